"""Keep each yearly report row's flat list of counts uncompressed on PostgreSQL.

A report row is larger than PostgreSQL's 2 KB TOAST threshold (its figures, case list and
two paragraphs), so PostgreSQL compressed every column of it, counts included, and the
trend's totals (cases.querysets.statistics.year_totals) decompressed each row's counts once
per number read: 41 ms a year for 3,141 agencies. STORAGE PLAIN keeps counts (~1.4 KB)
inline and uncompressed while the bigger columns are still compressed or moved out: 7 ms.
Existing rows are rewritten so that they are stored the new way. Other databases: nothing.
"""

from django.db import migrations


def plain_counts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE cases_yearlyreport ALTER COLUMN counts SET STORAGE PLAIN")
    schema_editor.execute("UPDATE cases_yearlyreport SET counts = counts || '[]'::jsonb")


def extended_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_yearlyreport ALTER COLUMN counts SET STORAGE EXTENDED")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0019_agency_roll_up_covering_index"),
    ]

    operations = [
        migrations.RunPython(plain_counts, extended_counts),
    ]
