"""PostgreSQL: stored results are megabytes of JSON text written once per round; compress
them with lz4 (fast) instead of the default pglz (slow), or store them uncompressed where
the server has no lz4. Nothing to do on SQLite."""

from django.db import DatabaseError, migrations, transaction

COLUMNS = [
    ("surveys_roundresults", "overview_json"),
    ("surveys_departmentresults", "breakdowns_json"),
]


def compress(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")
            except DatabaseError:
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_seed_instrument")]

    operations = [migrations.RunPython(compress, migrations.RunPython.noop)]
