"""English names for the national dimensions and elements seeded by 0002 (data-driven names
have an English form, #11.6); programmes get English fields that their owners fill in."""

from django.db import migrations, models


ENGLISH = {
    "governance": "Smart Governance",
    "branding": "Smart Branding",
    "economy": "Smart Economy",
    "living": "Smart Living",
    "society": "Smart Society",
    "environment": "Smart Environment",
    "governance-public-services": "Public services",
    "governance-bureaucracy": "Bureaucracy",
    "governance-public-policy": "Public policy",
    "branding-tourism": "Tourism branding",
    "branding-business": "Business branding",
    "branding-city-appearance": "City appearance",
    "economy-industry": "Industry ecosystem",
    "economy-welfare": "Public welfare",
    "economy-financial-transactions": "Financial transaction ecosystem",
    "living-spatial-harmony": "Spatial planning harmony",
    "living-health": "Health",
    "living-transport": "Transport and mobility",
    "society-community": "Community",
    "society-learning": "Learning ecosystem",
    "society-security": "Security",
    "environment-protection": "Environmental protection",
    "environment-waste": "Waste management",
    "environment-energy": "Energy management",
}


def fill(apps, schema_editor):
    for model in ("Dimension", "Element"):
        rows = apps.get_model("planning", model).objects.filter(code__in=ENGLISH, name_en="")
        for row in rows:
            row.name_en = ENGLISH[row.code]
            row.save(update_fields=["name_en"])


class Migration(migrations.Migration):

    dependencies = [
        ('planning', '0005_auditevent_lifecycle_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='dimension',
            name='name_en',
            field=models.CharField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', max_length=80, verbose_name='nama (Inggris)'),
        ),
        migrations.AddField(
            model_name='element',
            name='name_en',
            field=models.CharField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', max_length=120, verbose_name='nama (Inggris)'),
        ),
        migrations.AddField(
            model_name='programme',
            name='description_en',
            field=models.TextField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', verbose_name='uraian (Inggris)'),
        ),
        migrations.AddField(
            model_name='programme',
            name='name_en',
            field=models.CharField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', max_length=200, verbose_name='nama program (Inggris)'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),  # the columns go on reverse
    ]
