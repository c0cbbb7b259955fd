"""Incidents the platform opens (sensor alerts) store a message key and its parameters instead of
Indonesian sentences (#11.6), rendered in the reader's language. Rows already written keep their
landmark and description and get an empty key, so they are shown as they were stored."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('emergency', '0003_desk_event_on_lifecycle_kit'),
    ]

    operations = [
        migrations.AddField(
            model_name='incident',
            name='message_key',
            field=models.CharField(blank=True, db_default='', max_length=100, verbose_name='pesan'),
        ),
        migrations.AddField(
            model_name='incident',
            name='params',
            field=models.JSONField(blank=True, default=dict, verbose_name='parameter'),
        ),
    ]
