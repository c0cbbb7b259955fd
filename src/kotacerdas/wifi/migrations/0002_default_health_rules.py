"""The platform's default health rules (a tenant may add its own for the same metric):
loss of 30% or more, an average round trip of 500 ms or more, a failed status page or TCP
connect make a point PROBLEM; three checks in a row without any answer make it CRITICAL."""

from django.db import migrations

DEFAULTS = [
    ("loss_pct", 30.0, "PROBLEM"),
    ("rtt_ms", 500.0, "PROBLEM"),
    ("http_failed", 1.0, "PROBLEM"),
    ("tcp_failed", 1.0, "PROBLEM"),
    ("down_streak", 3.0, "CRITICAL"),
]


def add(apps, schema_editor):
    HealthRule = apps.get_model("wifi", "HealthRule")
    for metric, threshold, health in DEFAULTS:
        HealthRule.objects.get_or_create(
            tenant=None, metric=metric, health=health, defaults={"threshold": threshold}
        )


def remove(apps, schema_editor):
    HealthRule = apps.get_model("wifi", "HealthRule")
    for metric, _threshold, health in DEFAULTS:
        HealthRule.objects.filter(tenant=None, metric=metric, health=health).delete()


class Migration(migrations.Migration):
    dependencies = [("wifi", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
