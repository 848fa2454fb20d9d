"""Issue 17: every yearly report row keeps its figures' numbers as one flat list too, so a
supervising body's closed-year roll-up adds lists instead of decoding thousands of objects.

Existing rows are filled from their own figures. The layout is recorded per row, so a row
filled here with today's key order stays readable if that order changes later (such rows are
then read from their figures: cases.querysets.statistics.frozen_year_figures).
"""

from django.db import migrations, models


def fill_counts(apps, schema_editor):
    from cases.querysets.statistics import frozen_counts

    YearlyReport = apps.get_model("cases", "YearlyReport")
    batch = []
    for report in YearlyReport.objects.only("id", "figures").iterator(chunk_size=500):
        report.counts_layout, report.counts = frozen_counts(report.figures)
        batch.append(report)
        if len(batch) == 500:
            YearlyReport.objects.bulk_update(batch, ["counts", "counts_layout"])
            batch = []
    if batch:
        YearlyReport.objects.bulk_update(batch, ["counts", "counts_layout"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0014_case_active_received_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="yearlyreport",
            name="counts",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="计数"),
        ),
        migrations.AddField(
            model_name="yearlyreport",
            name="counts_layout",
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name="计数格式"),
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop),
    ]
