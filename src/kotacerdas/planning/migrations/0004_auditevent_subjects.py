"""Planning's audit trail on the lifecycle kit, part two: each row's subject (see 0003)."""

from django.db import migrations

# The part, the model of its whole, and the part's foreign key to it.
PARTS = {
    "evidence": ("progressreport", "report_id"),
    "dimensionscore": ("evaluation", "evaluation_id"),
    "reminder": ("programme", "programme_id"),
}
REPORT_ACTIONS = ("submit", "approve", "return")
BATCH = 500


def _content_type(apps, model):
    content_types = apps.get_model("contenttypes", "ContentType")
    return content_types.objects.get_or_create(app_label="planning", model=model)[0]


def forward(apps, schema_editor):
    events = apps.get_model("planning", "AuditEvent")
    # order_by(): the model's ordering would add its columns to the DISTINCT, and a type
    # seen twice would move its rows twice. Only rows still without a subject are moved.
    pending = events.objects.filter(subject_type__isnull=True)
    for object_type in pending.order_by().values_list("object_type", flat=True).distinct():
        rows = pending.filter(object_type=object_type)
        if object_type not in PARTS:
            rows.update(subject_type=_content_type(apps, object_type))
            continue
        whole, key = PARTS[object_type]
        parts = apps.get_model("planning", object_type)
        whole_type = _content_type(apps, whole)
        part_type = _content_type(apps, object_type)
        # Bounded: a batch of events and their parts at a time.
        pks = list(rows.values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            batch = list(events.objects.filter(pk__in=pks[start : start + BATCH]))
            wholes = dict(
                parts.objects.filter(pk__in=[e.object_id for e in batch]).values_list("pk", key)
            )
            for event in batch:
                if event.object_id in wholes:  # the part still exists: move to its whole
                    event.data = {object_type: event.object_id}
                    event.object_id, event.subject_type = wholes[event.object_id], whole_type
                else:  # the part is gone: the row stays about it
                    event.subject_type = part_type
            events.objects.bulk_update(batch, ["data", "object_id", "subject_type"])
    report_type = _content_type(apps, "progressreport")
    for action in REPORT_ACTIONS:
        events.objects.filter(subject_type=report_type, action=f"report_{action}").update(
            action=action
        )


def backward(apps, schema_editor):
    events = apps.get_model("planning", "AuditEvent")
    content_types = apps.get_model("contenttypes", "ContentType")
    report_type = _content_type(apps, "progressreport")
    for action in REPORT_ACTIONS:
        events.objects.filter(subject_type=report_type, action=action).update(
            action=f"report_{action}"
        )
    for type_id in events.objects.order_by().values_list("subject_type_id", flat=True).distinct():
        model = content_types.objects.get(pk=type_id).model
        events.objects.filter(subject_type_id=type_id).update(object_type=model)
    for part in PARTS:
        rows = events.objects.filter(data__has_key=part)
        pks = list(rows.values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            batch = list(events.objects.filter(pk__in=pks[start : start + BATCH]))
            for event in batch:
                event.object_type, event.object_id = part, event.data.pop(part)
            events.objects.bulk_update(batch, ["data", "object_id", "object_type"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("planning", "0003_auditevent_on_the_lifecycle_kit"),
    ]

    operations = [migrations.RunPython(forward, backward)]
