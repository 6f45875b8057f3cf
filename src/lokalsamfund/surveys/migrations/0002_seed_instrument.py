"""Seed the canonical questionnaire (items, options, Danish and English texts) and the
national benchmarks from instrument.json; idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    from lokalsamfund.surveys.seeding import seed_instrument

    seed_instrument(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
