"""Dates and times in forms are the browser's pickers with ISO values, in every language: an
``<input type="date">`` shows nothing for a Danish ``10.06.2026``, so a date put in beforehand
or shown again after an error was lost (the caretaker's hours form could not be sent)."""

from __future__ import annotations

import importlib
import inspect
from datetime import date, time

import pytest
from django import forms
from django.utils import translation

from lokalsamfund.core.forms import DateInput, TimeInput

FORM_MODULES = [
    "lokalsamfund.activities.calendar_forms",
    "lokalsamfund.bookings.forms",
    "lokalsamfund.decisions.forms",
    "lokalsamfund.green.forms",
    "lokalsamfund.green.views.work",
    "lokalsamfund.green.toolshed.forms",
    "lokalsamfund.residents.forms",
    "lokalsamfund.surveys.forms",
    "lokalsamfund.wellbeing.referral_forms",
    "lokalsamfund.wellbeing.forms_rights",
]


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    at = forms.TimeField(widget=TimeInput())


@pytest.mark.parametrize("language", ["da", "en"])
def test_pickers_show_iso_values_in_every_language(language: str) -> None:
    with translation.override(language):
        html = str(_Form(initial={"day": date(2026, 6, 10), "at": time(17, 30)}))
        again = str(_Form(data={"day": "2026-06-10", "at": "25:00"}))
    assert 'type="date"' in html
    assert 'value="2026-06-10"' in html
    assert 'type="time"' in html
    assert 'value="17:30"' in html
    assert 'value="2026-06-10"' in again  # shown again after an error, not emptied


def _project_forms() -> list[tuple[str, type[forms.BaseForm]]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append((f"{name}.{attr}", value))
    return found


def test_every_date_and_time_field_of_the_project_uses_the_pickers() -> None:
    checked = 0
    wrong = []
    for name, form in _project_forms():
        for field_name, field in form.base_fields.items():
            picker = {forms.DateField: DateInput, forms.TimeField: TimeInput}.get(type(field))
            if picker is None or isinstance(field.widget, forms.HiddenInput):
                continue
            checked += 1
            if not isinstance(field.widget, picker):
                wrong.append(f"{name}.{field_name}")
    assert checked >= 10
    assert wrong == []
