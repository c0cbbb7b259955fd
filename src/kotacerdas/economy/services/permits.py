"""Reminders before an OVOP product's permit (PIRT, BPOM MD, halal, SNI) expires."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kotacerdas.economy.models import (
    Permit,
)
from kotacerdas.economy.services.common import office_operators
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify


def permit_reminders(*, today: dt.date | None = None) -> int:
    """Tells the OVOP office (and the producer's members) of permits expiring within
    ``ECONOMY_PERMIT_REMINDER_DAYS``, once per permit and expiry date."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ECONOMY_PERMIT_REMINDER_DAYS)
    permits = Permit.objects.filter(expires_on__gte=today, expires_on__lte=horizon).select_related(
        "product__producer__tenant"
    )
    sent = 0
    for permit in permits.order_by("expires_on", "pk")[:5000]:
        producer = permit.product.producer
        people = office_operators(producer.tenant, settings.ECONOMY_OVOP_OPDS)
        people += list(producer.members.filter(is_active=True)[:20])
        url = reverse(
            "economy:product", args=[producer.tenant.slug, producer.slug, permit.product.slug]
        )
        params = {
            "permit": permit.kind,
            "number": permit.number,
            "product": permit.product.name,
            "producer": producer.name,
            "date": f"{permit.expires_on:%d-%m-%Y}",
        }
        with transaction.atomic():
            for user in people:
                made = notify(
                    key=f"economy:permit:{permit.pk}:{permit.expires_on}:{user.pk}",
                    channel=Channel.EMAIL,
                    tenant=producer.tenant,
                    user=user,
                    message="economy.permit_expiring",
                    params=params,
                    url=url,
                )
                sent += made is not None
    return sent
