"""The assessment audit trail moves onto ``core.lifecycle.LifecycleEvent`` (issue #9.1): the
table and its rows stay (at -> created_at) and every existing row gets its assessment's
tenant."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_tenant(apps, schema_editor):
    AssessmentEvent = apps.get_model("spbe", "AssessmentEvent")
    Assessment = apps.get_model("spbe", "Assessment")
    AssessmentEvent.objects.filter(tenant__isnull=True).update(
        tenant_id=Subquery(
            Assessment.objects.filter(pk=OuterRef("assessment_id")).values("tenant_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("spbe", "0002_seed_spbe_2020"),
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("assessmentevent", "at", "created_at"),
        migrations.AddField(
            model_name="assessmentevent",
            name="tenant",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="pemda",
            ),
        ),
        migrations.RunPython(fill_tenant, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessmentevent",
            name="tenant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="pemda",
            ),
        ),
    ]
