"""The service catalogue: creating or updating a service and its English texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from kotacerdas.services.models import (
    FormField,
    Fulfilment,
    Requirement,
    Service,
)
from kotacerdas.tenants.models import Opd, Tenant


@transaction.atomic
def service_upsert(
    *,
    tenant: Tenant,
    opd: Opd,
    code: str,
    name: str,
    description: str,
    sla_amount: float,
    sla_unit: str,
    fulfilment: Sequence[str],
    needs_visit: bool = False,
    booking_after_verification: bool = True,
    records_in_siak: bool = True,
    order: int = 0,
    fields: Sequence[tuple[str, str, str, bool, str]],
    requirements: Sequence[tuple[str, bool, str, str]],
) -> Service:
    """Create or update a catalogue entry with its form fields ``(name, label, kind, required, choices)``
    and documents ``(name, required, accepted types, help)``. Fields and documents not listed are kept."""
    service, _created = Service.objects.update_or_create(
        tenant=tenant,
        code=code,
        defaults={
            "opd": opd,
            "name": name,
            "description": description,
            "sla_amount": sla_amount,
            "sla_unit": sla_unit,
            "offers_pickup": Fulfilment.PICKUP in fulfilment,
            "offers_delivery": Fulfilment.DELIVERY in fulfilment,
            "offers_digital": Fulfilment.DIGITAL in fulfilment,
            "needs_visit": needs_visit,
            "booking_after_verification": booking_after_verification,
            "records_in_siak": records_in_siak,
            "order": order,
        },
    )
    for i, (field_name, label, kind, required, choices) in enumerate(fields):
        FormField.objects.update_or_create(
            service=service,
            name=field_name,
            defaults={
                "label": label,
                "kind": kind,
                "required": required,
                "choices": choices,
                "order": i,
            },
        )
    for i, (doc_name, required, types, help_text) in enumerate(requirements):
        Requirement.objects.update_or_create(
            service=service,
            name=doc_name,
            defaults={
                "is_required": required,
                "accepted_types": types,
                "help_text": help_text,
                "order": i,
                "max_size_mb": 8,
            },
        )
    return service


@transaction.atomic
def catalogue_translate(*, service: Service, english: Mapping[str, str]) -> int:
    """Fill the empty English forms of a service's texts (name, description, field labels, help
    and choices, document names and help) from ``english``, keyed by the Indonesian original.
    An English text already set (by the administrator) is kept. Returns the rows changed."""
    changed = 0

    def fill(obj: Service | FormField | Requirement, pairs: Sequence[str]) -> None:
        nonlocal changed
        fields = [
            f"{name}_en"
            for name in pairs
            if not getattr(obj, f"{name}_en") and getattr(obj, name) in english
        ]
        for name in fields:
            setattr(obj, name, english[getattr(obj, name.removesuffix("_en"))])
        if fields:
            obj.save(update_fields=fields)
            changed += 1

    fill(service, ["name", "description"])
    for field in service.fields.all():
        fill(field, ["label", "help_text", "choices"])
    for requirement in service.requirements.all():
        fill(requirement, ["name", "help_text"])
    return changed
