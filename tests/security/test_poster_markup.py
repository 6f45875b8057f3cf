"""Markup in what residents write (title, description, place, a date's note) on the posters
(third attack): it is printed as text, and WeasyPrint fetches nothing it names (no file of the
server, no other host)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import weasyprint
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, User

from ..activities.factories_signups import make_activity, make_occurrence

pytestmark = pytest.mark.django_db

MARKUP = (
    '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://198.51.100.1/x.css">'
    "<style>@import url(http://198.51.100.1/y.css);</style><b>Fest</b>"
)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The HTML given to WeasyPrint and every URL it fetched."""
    seen: dict[str, list[str]] = {"html": [], "fetched": []}
    real = weasyprint.HTML

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        seen["fetched"].append(url)
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    def html(*args: Any, **kwargs: Any) -> Any:
        seen["html"].append(kwargs.get("string", ""))
        kwargs.setdefault("url_fetcher", fetch)
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html)
    return seen


def test_markup_on_the_posters_is_text_and_fetches_nothing(
    dept_a: Department,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    rendered: dict[str, list[str]],
) -> None:
    activity = make_activity(
        [dept_a],
        title=MARKUP[:200],
        description=MARKUP,
        place=MARKUP[:200],
        starts_at=timezone.now() + timedelta(days=3),
    )
    make_occurrence(activity, note=MARKUP[:200])
    client = client_for(coordinator)
    month = timezone.localtime(activity.starts_at).date()
    for url in (
        f"/aktiviteter/{activity.pk}/plakat.pdf",
        f"/aktiviteter/afdeling/{dept_a.pk}/plakat/{month.year}-{month.month}.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert len(rendered["html"]) == 2
    for html in rendered["html"]:
        assert "<img src=" not in html
        assert "<b>Fest" not in html
        assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert not [u for u in rendered["fetched"] if "198.51.100.1" in u or u.startswith("file:")]
