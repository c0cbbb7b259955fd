"""The application audit trail moves onto ``core.lifecycle.LifecycleEvent`` (issue #9.1): the
table and its rows stay; columns are renamed (at -> created_at, from_status -> from_state,
to_status -> to_state), and every existing row gets its application's tenant."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_tenant(apps, schema_editor):
    Event = apps.get_model("services", "Event")
    Application = apps.get_model("services", "Application")
    Event.objects.filter(tenant__isnull=True).update(
        tenant_id=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).values("tenant_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0003_fill_seeded_english_forms"),
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("event", "at", "created_at"),
        migrations.RenameField("event", "from_status", "from_state"),
        migrations.RenameField("event", "to_status", "to_state"),
        migrations.AddField(
            model_name="event",
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
            model_name="event",
            name="tenant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="pemda",
            ),
        ),
    ]
