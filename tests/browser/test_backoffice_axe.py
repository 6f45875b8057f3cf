"""The back office's own pages pass axe without excuses: underlined breadcrumbs
(link-in-text-block), the membership form's user autocomplete (select2) with an accessible name
and its departments as labelled check boxes, the survey item's options as a stacked inline with
a label on every input; and no back-office page asks for a file the server does not have
(``favicon.ico``, a relative ``widgets.css``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from lokalsamfund.core.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _missing(response: Any) -> bool:
    """A file the server did not have, asked for by the page. Not counted: axe-core's own
    CSSOM preload, which fetches (by XHR) each ``@import`` of a stylesheet by its text as
    written, resolved against the page: Django's forms.css has ``@import url('widgets.css')``,
    so axe asks for ``/backoffice/password_change/widgets.css`` (404) and
    ``/backoffice/<model>/add/widgets.css`` (redirects). Chromium itself resolves the import
    against the stylesheet (``/static/admin/css/widgets.css``), which the test checks."""
    if response.request.resource_type == "xhr" and response.url.endswith(".css"):
        return False
    return response.status >= 400


def test_back_office_forms_pass_axe_and_load_only_existing_files(
    page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    make_organisation: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    org = make_organisation()
    admin = make_user(Role.ORG_ADMIN, org, is_staff=True)
    missing: list[str] = []
    stylesheets: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if _missing(r) else None)
    page.on(
        "request",
        lambda r: stylesheets.append(r.url) if r.resource_type == "stylesheet" else None,
    )
    login(page, admin.email, "correct horse battery staple")
    for path in (
        "/backoffice/",
        "/backoffice/core/membership/add/",
        "/backoffice/surveys/surveyitem/add/",
        "/backoffice/password_change/",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)
    assert not missing, missing
    widgets = [url for url in stylesheets if url.endswith("widgets.css")]
    assert widgets, "forms.css imports widgets.css"
    assert all("/static/admin/css/widgets.css" in url for url in widgets), widgets
    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200
