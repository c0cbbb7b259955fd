"""Every write to the device registry and the alert rules. Readings go through ``ingestion``."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.sensors.models import (
    DEFAULT_QUANTITIES,
    QUANTITIES,
    AlertRule,
    Device,
    DeviceEvent,
    DeviceKind,
    DeviceQuantity,
    RuleType,
)
from kotacerdas.tenants.models import Opd, Tenant

TOKEN_BYTES = 24


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_by_token(token: str) -> Device | None:
    """The active device behind a secret token, or None (unknown, retired)."""
    if not token or len(token) > 200:
        return None
    return (
        Device.objects.select_related("tenant")
        .filter(token_hash=token_hash(token), retired_at__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class Registered:
    device: Device
    token: str  # shown once; only its hash is kept


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _sync_broker(device: Device, token: str | None) -> None:
    """After commit: create/update/remove the device's credentials in Mosquitto (if one is
    configured). A broker that is down does not undo the registry change."""
    from kotacerdas.sensors import dynsec

    transaction.on_commit(lambda: dynsec.sync_device_safely(device.pk, token))


@transaction.atomic
def device_register(
    *,
    tenant: Tenant,
    actor: User | None,
    name: str,
    kind: str,
    opd: Opd | None = None,
    kelurahan: Region | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    installed_on: dt.date | None = None,
    quantities: list[str] | None = None,
    expected_interval: int = 600,
    gateway: Device | None = None,
    uid: str = "",
    is_example: bool = False,
) -> Registered:
    """Register a device and return it with its one-time token."""
    name = name.strip()
    if not name:
        raise DomainError(_("Nama perangkat wajib diisi."), code="name_required")
    if kind not in DeviceKind.values:
        raise DomainError(_("Jenis perangkat tidak dikenal."), code="unknown_kind")
    if opd is not None and opd.tenant_id != tenant.pk:
        raise DomainError(_("OPD bukan milik pemerintah daerah ini."), code="opd_other_tenant")
    if kelurahan is not None and not kelurahan.code.startswith(tenant.code + "."):
        raise DomainError(_("Kelurahan/desa di luar wilayah ini."), code="kelurahan_other_tenant")
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Isi lintang dan bujur bersama-sama."), code="location_incomplete")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # type: ignore[operator]
        raise DomainError(_("Koordinat tidak valid."), code="location_invalid")
    keys = quantities if quantities is not None else DEFAULT_QUANTITIES.get(kind, [])
    unknown = [k for k in keys if k not in QUANTITIES]
    if unknown:
        raise DomainError(
            _("Besaran tidak dikenal: %(keys)s") % {"keys": ", ".join(unknown)},
            code="unknown_quantity",
        )
    if expected_interval < 10:
        raise DomainError(_("Interval kirim paling sedikit 10 detik."), code="interval_too_short")
    token = _new_token()
    uid = slugify(uid) or f"{slugify(tenant.slug)[:20]}-{secrets.token_hex(5)}"
    if Device.objects.filter(uid=uid).exists():
        raise DomainError(_("ID perangkat sudah dipakai."), code="uid_taken", status=409)
    device = Device.objects.create(
        tenant=tenant,
        uid=uid,
        name=name,
        kind=kind,
        opd=opd,
        kelurahan=kelurahan,
        latitude=latitude,
        longitude=longitude,
        installed_on=installed_on,
        expected_interval=expected_interval,
        gateway=gateway,
        token_hash=token_hash(token),
        token_prefix=token[:8],
        is_example=is_example,
    )
    DeviceQuantity.objects.bulk_create(
        DeviceQuantity(
            device=device,
            key=k,
            unit=QUANTITIES[k][1],
            min_value=QUANTITIES[k][2],
            max_value=QUANTITIES[k][3],
        )
        for k in dict.fromkeys(keys)
    )
    DeviceEvent.objects.create(tenant=tenant, device=device, actor=actor, action="registered")
    _sync_broker(device, token)
    return Registered(device=device, token=token)


@transaction.atomic
def device_gateway_child(*, gateway: Device, name: str) -> Device:
    """The child device a gateway reports for (ThingsBoard's ``v1/gateway/telemetry``), made
    on first sight with the gateway's kind, owner and quantities. It has no token of its own."""
    child = Device.objects.filter(gateway=gateway, name=name).first()
    if child is not None:
        return child
    registered = device_register(
        tenant=gateway.tenant,
        actor=None,
        name=name,
        kind=gateway.kind,
        opd=gateway.opd,
        quantities=list(gateway.quantities.values_list("key", flat=True)),
        expected_interval=gateway.expected_interval,
        gateway=gateway,
    )
    return registered.device


@transaction.atomic
def device_rotate_token(*, device: Device, actor: User | None) -> str:
    """A new token; the old one stops working at once (HTTP, own MQTT endpoint, Mosquitto)."""
    token = _new_token()
    Device.objects.filter(pk=device.pk).update(token_hash=token_hash(token), token_prefix=token[:8])
    device.token_prefix = token[:8]
    DeviceEvent.objects.create(
        tenant_id=device.tenant_id, device=device, actor=actor, action="token_rotated"
    )
    _sync_broker(device, token)
    return token


@transaction.atomic
def device_retire(*, device: Device, actor: User | None, note: str = "") -> Device:
    """Stop accepting readings; the device and its whole history stay."""
    if device.retired_at is not None:
        return device
    device.retired_at = timezone.now()
    device.save(update_fields=["retired_at"])
    DeviceEvent.objects.create(
        tenant_id=device.tenant_id, device=device, actor=actor, action="retired", note=note
    )
    _sync_broker(device, None)
    return device


@transaction.atomic
def device_update(*, device: Device, actor: User | None, changes: dict[str, Any]) -> Device:
    allowed = {
        "name",
        "opd",
        "kelurahan",
        "latitude",
        "longitude",
        "installed_on",
        "expected_interval",
    }
    bad = set(changes) - allowed
    if bad:
        raise DomainError(_("Kolom tidak boleh diubah."), code="field_not_allowed")
    for key, value in changes.items():
        setattr(device, key, value)
    device.save(update_fields=list(changes))
    DeviceEvent.objects.create(
        tenant_id=device.tenant_id,
        device=device,
        actor=actor,
        action="updated",
        note=", ".join(sorted(changes)),
    )
    return device


# ------------------------------------------------------------------ rules as data

RULE_FIELDS = (
    "name",
    "kind",
    "quantity",
    "rule_type",
    "levels",
    "hysteresis",
    "min_duration",
    "clear_duration",
    "rise",
    "window",
    "is_active",
)


def _check_rule(data: dict[str, Any]) -> None:
    if data.get("rule_type", RuleType.THRESHOLD) not in RuleType.values:
        raise DomainError(_("Tipe aturan tidak dikenal."), code="unknown_rule_type")
    if data.get("quantity") not in QUANTITIES:
        raise DomainError(_("Besaran tidak dikenal."), code="unknown_quantity")
    levels = data.get("levels") or []
    if not isinstance(levels, list):
        raise DomainError(_("Tingkat harus berupa daftar."), code="levels_invalid")
    last = None
    for level in levels:
        if not isinstance(level, dict) or not level.get("code") or not level.get("name"):
            raise DomainError(_("Setiap tingkat perlu kode dan nama."), code="levels_invalid")
        if data.get("rule_type", RuleType.THRESHOLD) == RuleType.THRESHOLD:
            try:
                threshold = float(level["threshold"])
            except (KeyError, TypeError, ValueError):
                raise DomainError(
                    _("Setiap tingkat perlu ambang berupa angka."), code="levels_invalid"
                ) from None
            if last is not None and threshold <= last:
                raise DomainError(
                    _("Ambang harus naik dari tingkat ringan ke berat."), code="levels_order"
                )
            last = threshold
    if data.get("rule_type") == RuleType.THRESHOLD and not levels:
        raise DomainError(
            _("Aturan ambang perlu paling sedikit satu tingkat."), code="levels_invalid"
        )
    if data.get("rule_type") == RuleType.RATE_OF_RISE and (
        not data.get("rise") or not data.get("window")
    ):
        raise DomainError(
            _("Aturan laju kenaikan perlu kenaikan dan jendela waktu."), code="rate_invalid"
        )


@transaction.atomic
def rule_save(
    *, tenant: Tenant, device: Device | None, data: dict[str, Any], rule: AlertRule | None = None
) -> AlertRule:
    data = {k: v for k, v in data.items() if k in RULE_FIELDS}
    _check_rule(data)
    if device is not None and device.tenant_id != tenant.pk:
        raise DomainError(
            _("Perangkat bukan milik pemerintah daerah ini."), code="device_other_tenant"
        )
    if device is None and data.get("kind") not in DeviceKind.values:
        raise DomainError(_("Aturan perlu perangkat atau jenis perangkat."), code="rule_target")
    if rule is None:
        rule = AlertRule(tenant=tenant)
    rule.device = device
    for key, value in data.items():
        setattr(rule, key, value)
    rule.save()
    return rule


def rules_export(*, tenant: Tenant) -> dict[str, Any]:
    """The tenant's rules as JSON (devices named by their ID, so an import can map them)."""
    rules = AlertRule.objects.filter(tenant=tenant).select_related("device").order_by("pk")
    return {
        "format": "kotacerdas.sensors.rules/1",
        "tenant": tenant.code,
        "rules": [
            {"device": r.device.uid if r.device else None} | {f: getattr(r, f) for f in RULE_FIELDS}
            for r in rules
        ],
    }


@transaction.atomic
def rules_import(*, tenant: Tenant, data: dict[str, Any]) -> int:
    """Create or replace rules (matched on name and device) from an export. All or nothing."""
    if not isinstance(data, dict) or data.get("format") != "kotacerdas.sensors.rules/1":
        raise DomainError(_("Berkas aturan tidak dikenali."), code="rules_format")
    items = data.get("rules")
    if not isinstance(items, list):
        raise DomainError(_("Berkas aturan tidak dikenali."), code="rules_format")
    count = 0
    for item in items:
        if not isinstance(item, dict):
            raise DomainError(_("Berkas aturan tidak dikenali."), code="rules_format")
        device = None
        if item.get("device"):
            device = Device.objects.filter(tenant=tenant, uid=item["device"]).first()
            if device is None:
                raise DomainError(
                    _("Perangkat %(uid)s tidak ada di sini.") % {"uid": item["device"]},
                    code="rule_device_unknown",
                )
        existing = AlertRule.objects.filter(
            tenant=tenant, device=device, name=item.get("name", "")
        ).first()
        rule_save(tenant=tenant, device=device, data=item, rule=existing)
        count += 1
    return count
