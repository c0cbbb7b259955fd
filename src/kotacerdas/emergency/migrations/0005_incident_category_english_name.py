"""Incident categories get an optional English name (#11.6). Existing rows keep their names;
the defaults the platform creates (the demo categories and the sensor-alert category) get their
English names where a row still has the default Indonesian name and no English one yet."""

from django.db import migrations, models

# (code, Indonesian name, English name), as emergency.demo and the sensor-alert seam create them.
KNOWN = [
    ("kebakaran", "Kebakaran", "Fire"),
    ("kecelakaan", "Kecelakaan lalu lintas", "Traffic accident"),
    ("medis", "Medis/ambulans", "Medical/ambulance"),
    ("kriminal", "Kriminal/keamanan", "Crime/security"),
    ("bencana", "Bencana/banjir", "Disaster/flood"),
    ("pohon-tumbang", "Pohon tumbang", "Fallen tree"),
    ("korsleting", "Korsleting listrik", "Electrical short circuit"),
    ("lainnya", "Lainnya", "Other"),
    ("peringatan-sensor", "Peringatan sensor", "Sensor alert"),
]


def english_names(apps, schema_editor):
    IncidentCategory = apps.get_model("emergency", "IncidentCategory")
    for code, name, name_en in KNOWN:
        IncidentCategory.objects.filter(code=code, name=name, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0004_incident_message_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='incidentcategory',
            name='name_en',
            field=models.CharField(blank=True, db_default='', help_text='Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.', max_length=100, verbose_name='nama (Inggris)'),
        ),
        # Reversed, the column goes with the names it holds.
        migrations.RunPython(english_names, migrations.RunPython.noop),
    ]
