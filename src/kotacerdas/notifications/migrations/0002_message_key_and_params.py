"""Notifications store a message key and its parameters instead of sentences (#11.6), rendered
when read in the reader's language. Rows already written keep their rendered subject and body,
and an empty key: they are shown and sent as they were stored."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='language',
            field=models.CharField(blank=True, db_default='', help_text='Bahasa penerima surel; pesan di aplikasi memakai bahasa pembacanya.', max_length=10, verbose_name='bahasa'),
        ),
        migrations.AddField(
            model_name='notification',
            name='message_key',
            field=models.CharField(blank=True, db_default='', max_length=100, verbose_name='pesan'),
        ),
        migrations.AddField(
            model_name='notification',
            name='params',
            field=models.JSONField(blank=True, default=dict, verbose_name='parameter'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='body',
            field=models.TextField(blank=True, verbose_name='isi'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='subject',
            field=models.CharField(blank=True, max_length=255, verbose_name='judul'),
        ),
    ]
