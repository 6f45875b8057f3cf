"""The back office: an organisation adds a language and texts of its own, never shared ones."""

from __future__ import annotations

from collections.abc import Callable

from lokalsamfund.core.models import Organisation, User
from lokalsamfund.surveys.models import SurveyItem, SurveyLanguage


def test_admin_adds_a_right_to_left_language_for_its_organisation(
    admin_user: User, org: Organisation, other_org: Organisation, client_for: Callable
) -> None:
    client = client_for(admin_user)
    url = "/backoffice/surveys/surveylanguage/add/"
    response = client.post(url, {"code": "ar", "name": "العربية", "direction": "rtl"})
    assert response.status_code == 200  # organisation is required: nothing shared is made
    assert not SurveyLanguage.objects.filter(code="ar").exists()
    response = client.post(
        url, {"organisation": other_org.pk, "code": "ar", "name": "x", "direction": "rtl"}
    )
    assert not SurveyLanguage.objects.filter(code="ar").exists()  # not their organisation
    client.post(url, {"organisation": org.pk, "code": "ar", "name": "العربية", "direction": "rtl"})
    assert SurveyLanguage.objects.get(code="ar").organisation == org


def test_admin_adds_an_extra_question(
    admin_user: User, org: Organisation, client_for: Callable
) -> None:
    response = client_for(admin_user).post(
        "/backoffice/surveys/surveyitem/add/",
        {
            "organisation": org.pk,
            "code": "x_laundry",
            "active": "on",
            "options-TOTAL_FORMS": "2",
            "options-INITIAL_FORMS": "0",
            "options-0-code": "1",
            "options-0-value": "yes",
            "options-0-position": "1",
            "options-1-code": "2",
            "options-1-value": "no",
            "options-1-position": "2",
        },
    )
    assert response.status_code == 302
    item = SurveyItem.objects.get(code="x_laundry")
    assert (item.organisation, item.section, item.kind) == (org, "extra", "single")
    assert list(item.options.values_list("value", flat=True)) == ["yes", "no"]
