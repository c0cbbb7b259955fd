"""A progress report no longer stores its period's label ("2026-T1", with the Indonesian T of
triwulan even in English): it is made from the period's dates when read, in the reader's
language (#11.6). Every report keeps its row and its dates; going back fills the label in again
from the dates."""

from django.db import migrations, models


def fill_labels(apps, schema_editor):
    """The labels as 0001-0007 stored them: "2026-03" for a month, "2026-T1" for a quarter."""
    reports = apps.get_model("planning", "ProgressReport").objects
    for report in reports.only("period_start", "period_end").iterator():
        start, end = report.period_start, report.period_end
        if (start.year, start.month) == (end.year, end.month):
            label = f"{start:%Y-%m}"
        else:
            label = f"{start.year}-T{(start.month - 1) // 3 + 1}"
        reports.filter(pk=report.pk).update(period_label=label)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0007_english_descriptions_and_kpi_names"),
    ]

    operations = [
        # Backwards these run last to first: the column comes back empty, then is filled.
        migrations.RunPython(migrations.RunPython.noop, fill_labels),
        migrations.AlterField(
            model_name="progressreport",
            name="period_label",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="periode"),
        ),
        migrations.RemoveField(
            model_name="progressreport",
            name="period_label",
        ),
    ]
