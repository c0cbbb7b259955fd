"""Alert evaluation: rules as data, hysteresis, minimum duration, rate of rise, the 112 link.

Called by ingestion inside its transaction with the readings that were really new. All timing
uses the readings' own timestamps, so replayed or accelerated data behaves like real time, and
the state between readings lives in ``RuleState`` rows (locked per rule and device), so two
workers and a restart agree.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict, deque
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import formats

from kotacerdas.sensors.models import (
    Alert,
    AlertEvent,
    AlertRule,
    AlertStatus,
    Device,
    Reading,
    RuleState,
    RuleType,
)

log = logging.getLogger(__name__)

# The 112 desk's incident category per device kind (others: the desk's sensor-alert category).
INCIDENT_CATEGORY = {"water_level": "bencana", "rain_gauge": "bencana"}

Row = tuple[int, str, dt.datetime, float]


def rules_for_devices(devices: Iterable[Device]) -> dict[int, list[AlertRule]]:
    """The active rules of each device (its own and its kind's), one query for a whole batch."""
    devices = list(devices)
    if not devices:
        return {}
    rules = AlertRule.objects.filter(
        tenant_id__in={d.tenant_id for d in devices}, is_active=True
    ).filter(
        Q(device_id__in=[d.pk for d in devices])
        | Q(device__isnull=True, kind__in={d.kind for d in devices})
    )
    out: dict[int, list[AlertRule]] = {d.pk: [] for d in devices}
    by_kind: dict[tuple[int, str], list[AlertRule]] = defaultdict(list)
    for rule in rules.order_by("pk"):
        if rule.device_id is not None:
            out[rule.device_id].append(rule)
        else:
            by_kind[rule.tenant_id, rule.kind].append(rule)
    for device in devices:
        out[device.pk] = sorted(
            out[device.pk] + by_kind.get((device.tenant_id, device.kind), []), key=lambda r: r.pk
        )
    return out


def evaluate_readings(
    rows: list[Row],
    devices: dict[int, Device],
    rules: dict[int, list[AlertRule]] | None = None,
) -> list[Alert]:
    """Feed new readings, oldest first, to every rule that watches them (``rules`` as
    ``rules_for_devices`` returns them, loaded here when not given)."""
    per_device: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        per_device[row[0]].append(row)
    if rules is None:
        rules = rules_for_devices(devices[d] for d in per_device)
    touched: list[Alert] = []
    for device_id, device_rows in per_device.items():
        device = devices[device_id]
        quantities = {r[1] for r in device_rows}
        for rule in rules.get(device_id, []):
            if rule.quantity not in quantities:
                continue
            series = sorted((r for r in device_rows if r[1] == rule.quantity), key=lambda r: r[2])
            alert = _evaluate_rule(rule, device, series)
            if alert is not None:
                touched.append(alert)
    return touched


def _level_rank(rule: AlertRule, value: float, current_rank: int) -> int:
    """The level the value reaches (0 = normal). With hysteresis, a level already reached holds
    until the value falls below its threshold minus the hysteresis."""
    rank = 0
    for i, level in enumerate(rule.levels, start=1):
        threshold = float(level["threshold"])
        if i <= current_rank:
            threshold -= rule.hysteresis
        if value >= threshold:
            rank = i
    return rank


class RiseWindow:
    """How much the value rose over the rule's window (now minus the lowest reading in it) for
    each reading of a series, from one query per series: the stored readings from the window
    before the series' first reading up to its last, with a sliding minimum."""

    def __init__(self, rule: AlertRule, device: Device, series: list[Row]) -> None:
        self.window = dt.timedelta(seconds=rule.window or 0)
        self.history = list(
            Reading.objects.filter(
                device=device,
                quantity=rule.quantity,
                ts__gte=series[0][2] - self.window,
                ts__lte=series[-1][2],
            )
            .order_by("ts")
            .values_list("ts", "value")
        )
        self.lows: deque[tuple[dt.datetime, float]] = deque()  # increasing values
        self.next = 0

    def rise(self, ts: dt.datetime, value: float) -> float:
        while self.next < len(self.history) and self.history[self.next][0] <= ts:
            point = self.history[self.next]
            while self.lows and self.lows[-1][1] >= point[1]:
                self.lows.pop()
            self.lows.append(point)
            self.next += 1
        while self.lows and self.lows[0][0] < ts - self.window:
            self.lows.popleft()
        return value - self.lows[0][1] if self.lows else 0.0


def _evaluate_rule(rule: AlertRule, device: Device, series: list[Row]) -> Alert | None:  # noqa: PLR0912 - one state machine reads best in one place
    state, _created = RuleState.objects.get_or_create(rule=rule, device=device)
    state = RuleState.objects.select_for_update(of=("self",), no_key=True).get(
        rule=rule, device=device
    )
    alert = Alert.objects.filter(rule=rule, device=device, status=AlertStatus.OPEN).first()
    changed: Alert | None = None
    rises = RiseWindow(rule, device, series) if rule.rule_type == RuleType.RATE_OF_RISE else None
    for _d, _q, ts, value in series:
        if state.last_ts is not None and ts < state.last_ts:
            continue  # a late, older reading does not move the state machine backwards
        state.last_ts = ts
        current = alert.rank if alert is not None else 0
        if rule.rule_type == RuleType.RATE_OF_RISE:
            assert rises is not None  # noqa: S101 - made above for this rule type
            rank = 1 if rises.rise(ts, value) >= (rule.rise or 0) else 0
        else:
            rank = _level_rank(rule, value, current)
        if alert is not None:
            alert.value = value
            alert.peak = max(alert.peak, value)
        if rank > current:
            state.normal_since = None
            if state.pending_rank is None:
                state.pending_rank, state.pending_since = rank, ts
            else:
                # The level held by every reading since pending_since.
                state.pending_rank = min(state.pending_rank, rank)
            assert state.pending_since is not None  # noqa: S101 - set just above
            if (ts - state.pending_since).total_seconds() >= rule.min_duration:
                alert = _raise(rule, device, alert, rank=state.pending_rank, value=value, ts=ts)
                changed = alert
                state.pending_rank, state.pending_since = None, None
        else:
            state.pending_rank, state.pending_since = None, None
            if alert is not None and rank == 0:
                if state.normal_since is None:
                    state.normal_since = ts
                if (ts - state.normal_since).total_seconds() >= rule.clear_duration:
                    _close(alert, ts)
                    changed = alert
                    alert = None
                    state.normal_since = None
            else:
                state.normal_since = None
    state.save()
    if alert is not None and changed is None:
        alert.save(update_fields=["value", "peak"])
    return changed


def _level(rule: AlertRule, rank: int) -> dict[str, Any]:
    if rule.rule_type == RuleType.RATE_OF_RISE:
        level = rule.levels[0] if rule.levels else {}
        return {
            "code": level.get("code", "rate"),
            "name": level.get("name", ""),  # unnamed: shown as UNNAMED_LEVEL when read
            "incident": bool(level.get("incident", False)),
        }
    ranked: dict[str, Any] = rule.levels[rank - 1]
    return ranked


def _raise(
    rule: AlertRule,
    device: Device,
    alert: Alert | None,
    *,
    rank: int,
    value: float,
    ts: dt.datetime,
) -> Alert:
    level = _level(rule, rank)
    if alert is None:
        alert = Alert.objects.create(
            tenant_id=device.tenant_id,
            rule=rule,
            device=device,
            level=level["code"],
            level_name=level["name"],
            rank=rank,
            value=value,
            peak=value,
            opened_at=ts,
        )
        action, from_state = "opened", ""
    else:
        from_state = alert.level
        alert.level, alert.level_name, alert.rank = level["code"], level["name"], rank
        alert.escalated_at = ts
        alert.save(update_fields=["level", "level_name", "rank", "escalated_at", "value", "peak"])
        action = "escalated"
    event = AlertEvent.objects.create(
        tenant_id=device.tenant_id,
        subject=alert,
        action=action,
        from_state=from_state,
        to_state=alert.level,
        public=True,
        data={"value": value, "rank": rank},
        created_at=ts,
    )
    if level.get("incident"):
        _link_incident(alert, device, level)
    _notify_owner(alert, device, event)
    return alert


def _close(alert: Alert, ts: dt.datetime) -> None:
    from_state = alert.level
    alert.status, alert.closed_at = AlertStatus.CLOSED, ts
    alert.save(update_fields=["status", "closed_at", "value", "peak"])
    event = AlertEvent.objects.create(
        tenant_id=alert.tenant_id,
        subject=alert,
        action="closed",
        from_state=from_state,
        to_state="normal",
        public=True,
        data={"value": alert.value},
        created_at=ts,
    )
    if alert.incident_id is not None:
        from kotacerdas.emergency import services as emergency

        emergency.incident_close_from_alert(
            tenant=alert.tenant,
            source_key=f"sensors:alert:{alert.pk}",
            message="sensors.incident_ended",
            params={"value": float(alert.value)},
        )
    _notify_owner(alert, alert.device, event)


def local_number(value: float) -> str:
    """A reading as people write it in the active language: 12,5 in Bahasa Indonesia."""
    return formats.number_format(Decimal(f"{value:g}"), use_l10n=True)


def alert_url(alert: Alert) -> str:
    return reverse("sensors:device", args=[alert.device.tenant.slug, alert.device_id])


def _link_incident(alert: Alert, device: Device, level: dict[str, Any]) -> None:
    """Open (or escalate) the incident on the tenant's 112 desk. The emergency app's service is
    idempotent on ``source_key``: an escalation updates the same incident."""
    from kotacerdas.emergency import services as emergency

    incident = emergency.incident_open_from_alert(
        tenant=device.tenant,
        source_key=f"sensors:alert:{alert.pk}",
        kind=INCIDENT_CATEGORY.get(device.kind, device.kind),
        level=level["name"],
        message="sensors.incident",
        params={
            "device": device.name,
            "level": level["name"],
            "value": float(alert.value),  # formatted for the reader's language when shown
            "peak": float(alert.peak),
        },
        lat=device.latitude,
        lng=device.longitude,
        url=alert_url(alert),
    )
    if alert.incident_id != incident.pk:
        alert.incident_id = incident.pk
        alert.save(update_fields=["incident_id"])


def _notify_owner(alert: Alert, device: Device, event: AlertEvent) -> None:
    """In-app (and e-mail) notice to the owner OPD's staff, deduplicated per event and user."""
    if device.opd_id is None:
        return
    from kotacerdas.accounts.models import User
    from kotacerdas.notifications.models import Channel
    from kotacerdas.notifications.services import notify

    params = {
        "device": device.name,
        "level": alert.level_name,
        "value": float(alert.value),  # formatted for the reader's language when shown
        "time": event.created_at.isoformat(),
    }
    for user in User.objects.filter(
        tenant_id=device.tenant_id, opd_id=device.opd_id, is_active=True
    ):
        notify(
            key=f"sensors:alertevent:{event.pk}:user:{user.pk}:inapp",
            channel=Channel.INAPP,
            tenant=device.tenant,
            message=f"sensors.alert_{event.action}",
            params=params,
            user=user,
            url=alert_url(alert),
        )
