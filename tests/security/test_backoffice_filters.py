"""Second attack (docs/security.md): the back office's organisation filter listed every
organisation on the platform; no list may name another organisation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User

pytestmark = pytest.mark.django_db


def test_no_back_office_list_names_another_organisation(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    dept_a: Department,
    other_org: Organisation,
    other_dept: Department,
) -> None:
    client = client_for(admin_user)
    index = client.get("/backoffice/").content.decode()
    lists = sorted(set(re.findall(r'href="(/backoffice/[a-z_]+/[a-z_]+/)"', index)))
    assert "/backoffice/core/department/" in lists
    for url in lists:
        for query in ("", "?_facets=True", f"?organisation__id__exact={other_org.pk}"):
            page = client.get(url + query)
            assert page.status_code in {200, 302}, url + query
            assert other_org.name not in page.content.decode(), url + query
    # The organisation filter still offers the administrator's own organisation.
    assert (
        admin_user.memberships.get().organisation.name
        in client.get("/backoffice/core/department/").content.decode()
    )
