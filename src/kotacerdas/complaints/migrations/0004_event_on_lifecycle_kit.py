"""The complaint audit trail becomes the lifecycle kit's event table (``core.lifecycle``).

Existing rows are kept: the state and visibility columns are renamed (``from_status`` to
``from_state``, ``to_status`` to ``to_state``, ``is_public`` to ``public``), the new tenant
column is filled from each event's complaint before it becomes required, and ``data`` starts
empty. Also: the reporter's language on complaints (for their notifications).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_tenant(apps, schema_editor):
    Event = apps.get_model("complaints", "Event")
    Complaint = apps.get_model("complaints", "Complaint")
    Event.objects.filter(tenant__isnull=True).update(
        tenant_id=Subquery(
            Complaint.objects.filter(pk=OuterRef("complaint_id")).values("tenant_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_supporters_idempotency_client_disposition_resolution"),
        ("tenants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="language",
            field=models.CharField(default="id", max_length=8, verbose_name="bahasa pelapor"),
        ),
        migrations.RenameField(model_name="event", old_name="from_status", new_name="from_state"),
        migrations.RenameField(model_name="event", old_name="to_status", new_name="to_state"),
        migrations.RenameField(model_name="event", old_name="is_public", new_name="public"),
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
        migrations.RunPython(fill_tenant, migrations.RunPython.noop, elidable=False),
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
        migrations.AddField(
            model_name="event",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
        migrations.AlterField(
            model_name="event",
            name="from_state",
            field=models.CharField(blank=True, max_length=30, verbose_name="dari status"),
        ),
        migrations.AlterField(
            model_name="event",
            name="to_state",
            field=models.CharField(blank=True, max_length=30, verbose_name="ke status"),
        ),
        migrations.AlterField(
            model_name="event",
            name="public",
            field=models.BooleanField(default=False, verbose_name="publik"),
        ),
        migrations.AlterField(
            model_name="event",
            name="action",
            field=models.CharField(max_length=40, verbose_name="tindakan"),
        ),
        migrations.AlterField(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="pelaku",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu"),
        ),
        migrations.AlterField(
            model_name="event",
            name="note",
            field=models.TextField(blank=True, verbose_name="catatan"),
        ),
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "peristiwa aduan",
                "verbose_name_plural": "peristiwa aduan",
            },
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["tenant", "created_at"], name="complaint_event_tenant_time"),
        ),
    ]
