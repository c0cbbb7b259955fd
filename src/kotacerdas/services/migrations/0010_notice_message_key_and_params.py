"""In-app notices keep a message key and its parameters instead of a sentence written in one
language (#11.6): existing sentences are read back into key and parameters by matching the
Indonesian messages they were written from (a frozen copy); what matches none keeps its text
under the key "text"."""

import re

from django.db import migrations, models

# services.models.NOTICE_MESSAGES in Indonesian, as the sentences were stored.
MESSAGES = {
    "request_revision": "Permohonan Anda perlu diperbaiki:\n%(reason)s\nPerbaiki lalu ajukan ulang.",
    "ready_digital": "Dokumen Anda sudah jadi dan dapat diunduh.",
    "ready_pickup": "Dokumen Anda siap diambil di %(place)s. Bawa bukti permohonan.",
    "ready_delivery": "Dokumen Anda sedang diantar ke alamat Anda.",
    "reject": "Permohonan Anda ditolak. Alasan: %(reason)s",
}


def _pattern(message):
    parts = re.split(r"%\((\w+)\)s", message)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*)" for i, part in enumerate(parts)
    )
    return re.compile(rf"\A{regex}\Z", re.S)


PATTERNS = {key: _pattern(message) for key, message in MESSAGES.items()}


def to_keys(apps, schema_editor):
    Notice = apps.get_model("services", "Notice")
    for notice in Notice.objects.all().iterator():
        for key, pattern in PATTERNS.items():
            found = pattern.match(notice.message)
            if found:
                notice.message_key, notice.params = key, found.groupdict()
                break
        else:
            notice.message_key, notice.params = "text", {"text": notice.message}
        notice.save(update_fields=["message_key", "params"])


def to_sentences(apps, schema_editor):
    Notice = apps.get_model("services", "Notice")
    for notice in Notice.objects.all().iterator():
        template = MESSAGES.get(notice.message_key, "%(text)s")
        notice.message = template % notice.params
        notice.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [("services", "0009_status_labels_being_verified_result_ready")]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="message_key",
            field=models.CharField(default="text", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notice",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="notice", name="message", field=models.TextField(blank=True)
        ),
        migrations.RunPython(to_keys, to_sentences),
        migrations.RemoveField(model_name="notice", name="message"),
    ]
