"""Every write of the public Wi-Fi app: the registry, check results and health changes, outage
tickets to providers, and RADIUS accounting.

No network call happens here: the checker (``checks.py``) probes the points with no database
connection in use, then hands each result to ``check_record``, which runs in a short
transaction; notifications go through the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import Lifecycle, record, transition
from kotacerdas.core.workflow import Workflow
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.tenants.models import Opd, Tenant
from kotacerdas.wifi.models import (
    HEALTH_RANK,
    Check,
    Health,
    HealthRule,
    Hotspot,
    HotspotEvent,
    OutageTicket,
    PointStatus,
    Provider,
    RadiusClient,
    WifiSession,
    WifiSettings,
)

_ALL_HEALTH = [h.value for h in Health]
HEALTH_WORKFLOW = Workflow.build(
    "wifi_health",
    [(h.value.lower(), _ALL_HEALTH, h.value) for h in Health],
    labels={h.value: str(h.value) for h in Health},
)
HEALTH_LIFECYCLE = Lifecycle(
    workflow=HEALTH_WORKFLOW, event_model=HotspotEvent, state_field="health"
)

# What the point's history shows for each act (health changes use the health's label).
ACT_LABELS = {
    "created": gettext_lazy("Titik didaftarkan"),
    "updated": gettext_lazy("Data titik diubah"),
    "reported": gettext_lazy("Warga melaporkan gangguan"),
    **{h.value: h.label for h in Health},
}


def event_label(event: HotspotEvent) -> str:
    return str(ACT_LABELS.get(event.to_state or event.action, event.action))


# Fields a staff member may set through the registry (pages, API, import).
EDITABLE_FIELDS = (
    "name",
    "site_type",
    "lat",
    "lng",
    "kelurahan",
    "opd",
    "provider",
    "bandwidth_mbps",
    "monthly_cost",
    "contract_start",
    "contract_end",
    "ssid",
    "access_points",
    "check_host",
    "check_port",
    "check_url",
    "check_interval_s",
    "nas_identifier",
    "installed_on",
    "status",
)


def settings_for(tenant: Tenant) -> WifiSettings:
    """The tenant's settings, created on first use with Diskominfo as the managing OPD (for
    writes: the created row holds the hashing secret)."""
    wifi_settings = WifiSettings.objects.filter(tenant=tenant).first()
    if wifi_settings is None:
        wifi_settings, _created = WifiSettings.objects.get_or_create(
            tenant=tenant, defaults={"managing_opd": _default_managing_opd(tenant)}
        )
    return wifi_settings


def settings_read(tenant: Tenant) -> WifiSettings:
    """The tenant's settings for a page: the stored row, or the defaults unsaved (a GET writes
    nothing). Never use its ``hash_secret``: only ``settings_for`` gives the kept one."""
    stored = WifiSettings.objects.filter(tenant=tenant).first()
    return stored or WifiSettings(tenant=tenant, managing_opd=_default_managing_opd(tenant))


def _default_managing_opd(tenant: Tenant) -> Opd | None:
    return Opd.objects.filter(tenant=tenant, acronym__iexact="Diskominfo").first()


def hash_identifier(secret: str, value: str) -> str:
    """HMAC-SHA256 of a MAC address or user name under the tenant's secret. MAC addresses are
    normalised first (``AA-BB-…`` and ``aa:bb:…`` are one device)."""
    cleaned = value.strip().lower()
    hexdigits = "".join(c for c in cleaned if c in "0123456789abcdef")
    if len(hexdigits) == 12 and len(cleaned) in (12, 14, 17):
        cleaned = hexdigits
    return hmac.new(secret.encode(), cleaned.encode(), hashlib.sha256).hexdigest()


# --- registry ---------------------------------------------------------------------------------


def hotspot_create(*, tenant: Tenant, actor: User | None, **fields: Any) -> Hotspot:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        hotspot = Hotspot(tenant=tenant, **fields)
        hotspot.full_clean()
        hotspot.save()
        record(hotspot, lifecycle=HEALTH_LIFECYCLE, action="created", actor=actor)
    return hotspot


def hotspot_update(*, hotspot: Hotspot, actor: User | None, changes: Mapping[str, Any]) -> Hotspot:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(hotspot, name, value)
        hotspot.full_clean()
        hotspot.save()
        changed = sorted(changes)
        record(
            hotspot,
            lifecycle=HEALTH_LIFECYCLE,
            action="updated",
            actor=actor,
            data={"fields": changed},
        )
    return hotspot


# --- health -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """What one probe of a point saw. ``None`` means that probe was not run."""

    loss_pct: float | None = None
    rtt_ms: float | None = None
    tcp_ok: bool | None = None
    http_status: int | None = None
    error: str = ""

    @property
    def http_ok(self) -> bool | None:
        if self.http_status is None:
            return None if not self.error.startswith("http") else False
        return self.http_status < 500

    @property
    def up(self) -> bool:
        """Whether the point answered anything at all."""
        return (
            (self.loss_pct is not None and self.loss_pct < 100)
            or bool(self.tcp_ok)
            or bool(self.http_ok)
        )


def rules_for(tenant: Tenant) -> list[HealthRule]:
    """The tenant's own rules, and the platform's defaults for metrics it has not set."""
    rules = list(HealthRule.objects.filter(Q(tenant=tenant) | Q(tenant__isnull=True)))
    own = {(r.metric, r.health) for r in rules if r.tenant_id is not None}
    return [r for r in rules if r.tenant_id is not None or (r.metric, r.health) not in own]


def evaluate(result: CheckResult, down_streak: int, rules: list[HealthRule]) -> Health:
    """The worst health any rule gives; OK when none fires."""
    values: dict[str, float | None] = {
        HealthRule.Metric.LOSS_PCT: result.loss_pct,
        HealthRule.Metric.RTT_MS: result.rtt_ms,
        HealthRule.Metric.HTTP_FAILED: None
        if result.http_ok is None
        else float(not result.http_ok),
        HealthRule.Metric.TCP_FAILED: None if result.tcp_ok is None else float(not result.tcp_ok),
        HealthRule.Metric.DOWN_STREAK: float(down_streak),
    }
    health = Health.OK
    for rule in rules:
        value = values.get(rule.metric)
        if value is not None and value >= rule.threshold:
            candidate = Health(rule.health)
            if HEALTH_RANK[candidate] > HEALTH_RANK[health]:
                health = candidate
    return health


def _responsible(hotspot: Hotspot) -> list[User]:
    """Staff told of a point's outages: operators of its OPD, else the region administrators."""
    staff = User.objects.filter(tenant_id=hotspot.tenant_id, is_active=True)
    if hotspot.opd_id:
        operators = list(staff.filter(role=Role.OPD_OPERATOR, opd_id=hotspot.opd_id)[:50])
        if operators:
            return operators
    return list(staff.filter(role=Role.REGION_ADMIN)[:50])


def _notify_staff(hotspot: Hotspot, event: HotspotEvent, *, down: bool) -> None:
    url = reverse("wifi:detail", args=[hotspot.tenant.slug, hotspot.pk])
    params = {
        "name": hotspot.name,
        "time": f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}",
    }
    for user in _responsible(hotspot):
        for channel in (Channel.EMAIL, Channel.INAPP):
            notify(
                key=f"wifi:event:{event.pk}:{user.pk}:{channel}",
                channel=channel,
                tenant=hotspot.tenant,
                user=user,
                message="wifi.point_down" if down else "wifi.point_up",
                params=params,
                url=url,
            )


def check_record(
    *, hotspot_id: int, result: CheckResult, now: dt.datetime | None = None
) -> Hotspot:
    """Stores one check of a point and moves its health by the rules. Going CRITICAL (down) and
    leaving CRITICAL (back) notify the responsible staff once each: the notification key is the
    health event's. Coming back closes an open outage ticket. Locks only the point's row."""
    now = now or timezone.now()
    with transaction.atomic():
        hotspot = Hotspot.objects.select_for_update(of=("self",), no_key=True).get(pk=hotspot_id)
        down_streak = 0 if result.up else hotspot.down_streak + 1
        health = evaluate(result, down_streak, rules_for(hotspot.tenant))
        Check.objects.create(
            tenant_id=hotspot.tenant_id,
            hotspot=hotspot,
            checked_at=now,
            up=result.up,
            loss_pct=result.loss_pct,
            rtt_ms=result.rtt_ms,
            tcp_ok=result.tcp_ok,
            http_status=result.http_status,
            health=health,
            error=result.error[:200],
        )
        Hotspot.objects.filter(pk=hotspot.pk).update(
            down_streak=down_streak,
            last_checked_at=now,
            next_check_at=now + dt.timedelta(seconds=hotspot.check_interval_s),
        )
        previous = hotspot.health
        if health == previous:
            hotspot.down_streak, hotspot.last_checked_at = down_streak, now
            return hotspot
        hotspot = transition(
            hotspot,
            health.value.lower(),
            lifecycle=HEALTH_LIFECYCLE,
            actor=None,
            at=now,
            data={"loss_pct": result.loss_pct, "rtt_ms": result.rtt_ms, "error": result.error},
            changes={"health_since": now},
        )
        event = hotspot._last_event  # type: ignore[attr-defined]
        if health == Health.CRITICAL:
            _notify_staff(hotspot, event, down=True)
        elif previous == Health.CRITICAL:
            _notify_staff(hotspot, event, down=False)
            _close_ticket(hotspot, now)
    return hotspot


def _close_ticket(hotspot: Hotspot, now: dt.datetime) -> None:
    ticket = OutageTicket.objects.filter(hotspot=hotspot, closed_at__isnull=True).first()
    if ticket is None:
        return
    OutageTicket.objects.filter(pk=ticket.pk).update(closed_at=now)
    provider = hotspot.provider
    if provider is not None and provider.contact_email:
        notify(
            key=f"wifi:ticket:{ticket.pk}:closed",
            channel=Channel.EMAIL,
            tenant=hotspot.tenant,
            email=provider.contact_email,
            message="wifi.ticket_closed",
            params={
                "number": ticket.number,
                "name": hotspot.name,
                "time": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
            },
            language=settings.LANGUAGE_CODE,  # a provider's address, not an account
        )


def tickets_open_due(*, now: dt.datetime | None = None) -> list[OutageTicket]:
    """Opens a ticket to the provider for every point CRITICAL longer than its tenant allows
    and without an open ticket; emails the provider's contact through the outbox. Idempotent:
    one open ticket per point (a database constraint)."""
    now = now or timezone.now()
    opened: list[OutageTicket] = []
    due = (
        Hotspot.objects.filter(health=Health.CRITICAL, status=PointStatus.ACTIVE)
        .exclude(Exists(OutageTicket.objects.filter(hotspot=OuterRef("pk"), closed_at=None)))
        .select_related("tenant", "provider")
        .order_by("pk")[:1000]
    )
    for hotspot in due:
        limit = dt.timedelta(minutes=settings_for(hotspot.tenant).ticket_after_minutes)
        if hotspot.health_since > now - limit:
            continue
        number = f"WIFI-{now:%Y%m%d}-{hotspot.pk}"
        try:
            with transaction.atomic():
                ticket = OutageTicket.objects.create(
                    tenant=hotspot.tenant, hotspot=hotspot, number=number, opened_at=now
                )
                provider = hotspot.provider
                if provider is not None and provider.contact_email:
                    notify(
                        key=f"wifi:ticket:{ticket.pk}:opened",
                        channel=Channel.EMAIL,
                        tenant=hotspot.tenant,
                        email=provider.contact_email,
                        message="wifi.ticket_opened",
                        params={
                            "number": number,
                            "name": hotspot.name,
                            "ssid": hotspot.ssid or "-",
                            "tenant": hotspot.tenant.name,
                            "time": f"{timezone.localtime(hotspot.health_since):%Y-%m-%d %H:%M}",
                        },
                        language=settings.LANGUAGE_CODE,  # a provider's address
                    )
        except IntegrityError:  # another checker opened it meanwhile
            continue
        opened.append(ticket)
    return opened


# --- RADIUS accounting ------------------------------------------------------------------------


class AccountingError(DomainError):
    code = "accounting_rejected"


@dataclass(frozen=True)
class Accounting:
    """The RFC 2866 attributes of one Accounting-Request that the platform reads."""

    status_type: str  # "Start", "Interim-Update", "Stop"
    session_id: str
    nas_identifier: str
    calling_station_id: str = ""  # the client's MAC address
    user_name: str = ""
    input_octets: int = 0
    output_octets: int = 0
    session_time: int = 0
    terminate_cause: str = ""


def accounting_record(
    *, client: RadiusClient, acct: Accounting, now: dt.datetime | None = None
) -> WifiSession:
    """Applies one accounting record to its session; safe to repeat (a NAS retransmits until it
    gets an answer). Raises ``AccountingError`` for a NAS-Identifier the tenant does not know.
    The MAC address and user name are hashed here and never stored in clear."""
    now = now or timezone.now()
    hotspot = Hotspot.objects.filter(
        tenant_id=client.tenant_id, nas_identifier=acct.nas_identifier
    ).first()
    if hotspot is None:
        raise AccountingError(_("NAS-Identifier tidak dikenal."))
    if not acct.session_id:
        raise AccountingError(_("Acct-Session-Id kosong."))
    secret = settings_for(hotspot.tenant).hash_secret
    counters = {
        "updated_at": now,
        "input_octets": max(acct.input_octets, 0),
        "output_octets": max(acct.output_octets, 0),
        "session_time_s": max(acct.session_time, 0),
    }
    if acct.status_type == "Stop":
        counters |= {"stopped_at": now, "stop_cause": acct.terminate_cause[:30] or "stop"}
    with transaction.atomic():
        session = (
            WifiSession.objects.select_for_update(of=("self",), no_key=True)
            .filter(hotspot=hotspot, session_id=acct.session_id, stopped_at__isnull=True)
            .first()
        )
        if session is None and acct.status_type == "Stop":
            # a retransmitted Stop of a session closed a moment ago: nothing to do
            recent = (
                WifiSession.objects.filter(
                    hotspot=hotspot,
                    session_id=acct.session_id,
                    stopped_at__gte=now - dt.timedelta(hours=1),
                )
                .order_by("-stopped_at")
                .first()
            )
            if recent is not None:
                return recent
        if session is None:
            # Start, or an Interim-Update/Stop whose Start was lost: the session began
            # session_time seconds ago.
            started = now - dt.timedelta(seconds=max(acct.session_time, 0))
            session = WifiSession.objects.create(
                tenant_id=hotspot.tenant_id,
                hotspot=hotspot,
                session_id=acct.session_id[:64],
                device_hash=hash_identifier(secret, acct.calling_station_id or acct.session_id),
                user_hash=hash_identifier(secret, acct.user_name) if acct.user_name else "",
                started_at=started,
                **counters,
            )
            return session
        # Counters only grow within a session; a late, reordered Interim never rolls them back.
        for name in ("input_octets", "output_octets", "session_time_s"):
            counters[name] = max(counters[name], getattr(session, name))
        WifiSession.objects.filter(pk=session.pk).update(**counters)
        for name, value in counters.items():
            setattr(session, name, value)
    return session


def sessions_close_stale(*, now: dt.datetime | None = None) -> int:
    """Closes sessions whose NAS has said nothing (no Interim-Update, no Stop) for longer than
    the tenant's timeout: their Stop was lost. Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    for wifi_settings in WifiSettings.objects.all().iterator():
        cutoff = now - dt.timedelta(minutes=wifi_settings.session_timeout_minutes)
        closed += WifiSession.objects.filter(
            tenant_id=wifi_settings.tenant_id, stopped_at__isnull=True, updated_at__lt=cutoff
        ).update(stopped_at=F("updated_at"), stop_cause="timeout")
    return closed


def provider_upsert(*, tenant: Tenant, name: str, **fields: Any) -> Provider:
    provider, _created = Provider.objects.update_or_create(
        tenant=tenant, name=name, defaults=fields
    )
    return provider


def cost_per(value: Decimal | None, count: float | None) -> Decimal | None:
    if value is None or not count:
        return None
    return (value / Decimal(str(count))).quantize(Decimal("1"))


def problem_report(
    *,
    hotspot: Hotspot,
    description: str,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_email: str = "",
) -> Any:
    """Files a citizen's "laporkan gangguan" as a complaint of the complaints app, in the
    tenant's public-internet category (``WIFI_COMPLAINT_CATEGORY``, else "lainnya"), placed at
    the point. Returns the complaint."""
    from django.conf import settings

    from kotacerdas.complaints import selectors as complaint_selectors
    from kotacerdas.complaints import services as complaint_services

    tenant = hotspot.tenant
    category = complaint_selectors.category_by_code(
        tenant, settings.WIFI_COMPLAINT_CATEGORY
    ) or complaint_selectors.category_by_code(tenant, "lainnya")
    if category is None:
        raise DomainError(_("Daerah ini belum membuka kategori aduan untuk internet publik."))
    text = _("Gangguan Wi-Fi publik di titik “%(name)s” (SSID %(ssid)s).") % {
        "name": hotspot.name,
        "ssid": hotspot.ssid or "-",
    }
    if description.strip():
        text = f"{text}\n\n{description.strip()}"
    complaint, _created = complaint_services.complaint_submit(
        tenant=tenant,
        category=category,
        description=text,
        lat=float(hotspot.lat),
        long=float(hotspot.lng),
        region=hotspot.kelurahan,
        address=hotspot.name,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
    )
    record(
        hotspot,
        lifecycle=HEALTH_LIFECYCLE,
        action="reported",
        actor=reporter,
        data={"ticket": complaint.ticket},
    )
    return complaint
