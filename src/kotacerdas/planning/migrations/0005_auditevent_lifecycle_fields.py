"""Planning's audit trail on the lifecycle kit, part three: the schema after the data move
of 0004 (a separate transaction, see 0003)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0004_auditevent_subjects"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="planning_au_object__587663_idx"),
        # With a default, so that the reverse can add the column back to existing rows.
        migrations.AlterField(
            model_name="auditevent",
            name="object_type",
            field=models.CharField(default="", max_length=40),
        ),
        migrations.RemoveField(model_name="auditevent", name="object_type"),
        migrations.RenameField("auditevent", "object_id", "subject_id"),
        migrations.AlterField(
            model_name="auditevent",
            name="subject_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(max_length=40, verbose_name="tindakan"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu"),
        ),
        migrations.AlterField(
            model_name="auditevent",
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
            model_name="auditevent",
            name="tenant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="pemda",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=30, verbose_name="dari status"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=30, verbose_name="ke status"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="catatan"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["tenant", "created_at"], name="planning_event_tenant_time"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["subject_type", "subject_id"], name="planning_event_subject"
            ),
        ),
    ]
