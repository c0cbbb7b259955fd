"""Categories get an English name; the "Lainnya" (other) category exists in every tenant, with
its English name, routed to Diskominfo when the tenant has one, else to the administrator's
triage (no OPD). It used to be created when the report page was opened (a write on GET)."""

import django.db.models.deletion
from django.db import migrations, models


OTHER = {"code": "lainnya", "name": "Lainnya", "name_en": "Other", "group": "Lainnya"}


def other_everywhere(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    Category = apps.get_model("complaints", "Category")
    Opd = apps.get_model("tenants", "Opd")
    for tenant in Tenant.objects.all().iterator():
        category = Category.objects.filter(tenant=tenant, code=OTHER["code"]).first()
        if category is not None:
            if not category.name_en and category.name == OTHER["name"]:
                category.name_en = OTHER["name_en"]
                category.save(update_fields=["name_en"])
            continue
        opd = Opd.objects.filter(
            tenant=tenant, is_active=True, acronym__istartswith="diskominfo"
        ).first()
        Category.objects.create(
            tenant=tenant,
            code=OTHER["code"],
            name=OTHER["name"],
            name_en=OTHER["name_en"],
            group=OTHER["group"],
            description=OTHER["name"],
            opd=opd,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0006_tenant_time_indexes'),
        ('tenants', '0003_map_view_validation_and_boundary_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='name_en',
            field=models.CharField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', max_length=120, verbose_name='nama (Inggris)'),
        ),
        migrations.AlterField(
            model_name='category',
            name='opd',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='tenants.opd', verbose_name='OPD tujuan'),
        ),
        # Reversed, the rows stay (complaints may point at them); only the column goes.
        migrations.RunPython(other_everywhere, migrations.RunPython.noop),
    ]
