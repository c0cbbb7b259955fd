"""An alert of a level its rule leaves unnamed (a rate-of-rise rule's) stores an empty level
name, named "Kenaikan cepat" / "Rapid rise" when read, in the reader's language (#11.6). The
alerts already written with the default name, in whichever language ingestion had active, get
the empty name; every other alert keeps its rule's name."""

from django.db import migrations, models

# The default name as ingestion stored it: Indonesian or the English catalogue's.
STORED_DEFAULTS = ["Kenaikan cepat", "Rapid rise"]


def forget_stored_defaults(apps, schema_editor):
    AlertRule = apps.get_model("sensors", "AlertRule")
    Alert = apps.get_model("sensors", "Alert")
    for rule in AlertRule.objects.filter(rule_type="rate_of_rise").iterator():
        if rule.levels and rule.levels[0].get("name"):
            continue  # the rule names its level: that name is data
        Alert.objects.filter(rule=rule, level_name__in=STORED_DEFAULTS).update(level_name="")


class Migration(migrations.Migration):

    dependencies = [
        ('sensors', '0003_alertevent_on_the_lifecycle_kit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='alert',
            name='level_name',
            field=models.CharField(blank=True, max_length=60, verbose_name='nama tingkat'),
        ),
        # Reversed, the names stay empty: they are read as the default name either way.
        migrations.RunPython(forget_stored_defaults, migrations.RunPython.noop),
    ]
