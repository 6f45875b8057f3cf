"""The back office's password page passes axe (links in its help text are underlined, not
told apart by colour alone: link-in-text-block)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from lokalsamfund.core.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_office_password_page_passes_axe(
    page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    make_organisation: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    org = make_organisation()
    admin = make_user(Role.ORG_ADMIN, org, is_staff=True)
    caretaker = make_user(Role.CARETAKER, org)
    login(page, admin.email, "correct horse battery staple")
    for path in (
        f"/backoffice/core/user/{caretaker.pk}/change/",
        f"/backoffice/core/user/{caretaker.pk}/password/",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 200
        assert_accessible(page)
