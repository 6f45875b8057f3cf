"""No two active claims on one room may overlap in time: on PostgreSQL an exclusion constraint.

SQLite has no exclusion constraints; there the booking service checks inside an IMMEDIATE
transaction (settings), which serialises all writers. This migration does nothing on SQLite.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE bookings_bookingclaim
    ADD CONSTRAINT bookings_claim_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (active)
    """,
]
DROP = ["ALTER TABLE bookings_bookingclaim DROP CONSTRAINT IF EXISTS bookings_claim_no_overlap"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0003_booking_policy_claims")]

    operations = [migrations.RunPython(forwards, backwards)]
