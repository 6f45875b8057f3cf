"""The booking domain now supplies a fælleshus's free hours, so the tool's stand-in default
(``default_free_facility_hours``, 500 h) is no longer a parameter: remove its rows (shipped and
organisations' own)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("decisions", "ValueParameter").objects.filter(
        key="default_free_facility_hours"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(remove, migrations.RunPython.noop)]
