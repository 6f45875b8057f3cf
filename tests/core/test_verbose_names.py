"""Every model the back office shows, and every field of it, has a translated name: the
organisation's administrator reads Danish model names, column heads, filters and form labels,
never the English that Django makes up from the code's names."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import override

# Words that are the same in Danish and English (so their Danish equals the English).
SAME_IN_DANISH = {
    "organisation",
    "booking",
    "invitation",
    "administration",
    "revision",
    "status",
    "e-mail",
}


def _admin_models() -> set[type[Model]]:
    models: set[type[Model]] = set()
    for model, model_admin in admin.site._registry.items():
        models.add(model)
        models.update(inline.model for inline in model_admin.inlines)
    return models


def _problem(what: str, name: object) -> str | None:
    if not isinstance(name, Promise):
        return f"{what}: {name!r} is not translated (gettext_lazy)"
    with override("en"):
        english = str(name)
    with override("da"):
        danish = str(name)
    if danish == english and english.lower() not in SAME_IN_DANISH:
        return f"{what}: {english!r} has no Danish translation"
    return None


def test_every_back_office_model_and_field_has_a_danish_name() -> None:
    problems = []
    for model in sorted(_admin_models(), key=lambda m: m._meta.label):
        meta = model._meta
        problems.append(_problem(f"{meta.label} verbose_name", meta.verbose_name))
        problems.append(_problem(f"{meta.label} verbose_name_plural", meta.verbose_name_plural))
        for field in meta.get_fields(include_hidden=False):
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue  # the primary key and reverse relations: never shown as labels
            problems.append(_problem(f"{meta.label}.{field.name}", field.verbose_name))
    found = [p for p in problems if p is not None]
    assert len(_admin_models()) > 15
    assert not found, f"{len(found)} names:\n" + "\n".join(found)
