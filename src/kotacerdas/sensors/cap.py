"""OASIS CAP 1.2 in and out.

In: BMKG-style warnings, uploaded or fetched from a URL set by the administrator, parsed
strictly against the CAP 1.2 structure (namespace, required elements, the schema's enumerations;
no DTDs or entities). PyPI's ``capparser`` was considered: it neither validates nor rejects
entity declarations, so the strict parse below is ours (standard library ElementTree).

Out: the tenant's open flood alerts as an Atom feed whose entries each carry a CAP 1.2 alert.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.sensors.models import Alert, AlertStatus, CapWarning, DeviceKind
from kotacerdas.tenants.models import Tenant

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 512 * 1024
STATUS = {"Actual", "Exercise", "System", "Test", "Draft"}
MSG_TYPE = {"Alert", "Update", "Cancel", "Ack", "Error"}
SCOPE = {"Public", "Restricted", "Private"}
CATEGORY = {
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
}
URGENCY = {"Immediate", "Expected", "Future", "Past", "Unknown"}
SEVERITY = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
CERTAINTY = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}


def _bad(message: str) -> DomainError:
    return DomainError(message, code="cap_invalid")


def _text(
    parent: ET.Element, name: str, *, required: bool = False, allowed: set[str] | None = None
) -> str:
    node = parent.find(f"{{{NS}}}{name}")
    value = (node.text or "").strip() if node is not None else ""
    if required and not value:
        raise _bad(_("CAP tidak sah: elemen %(name)s wajib ada.") % {"name": name})
    if value and allowed is not None and value not in allowed:
        raise _bad(_("CAP tidak sah: nilai %(name)s tidak dikenal.") % {"name": name})
    return value


def _time(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise _bad(
            _("CAP tidak sah: waktu %(name)s harus lengkap dengan zona waktu.") % {"name": name}
        )
    return parsed


def parse(xml: bytes) -> dict[str, Any]:
    """The alert's fields and its first ``info`` (Indonesian first, when several languages)."""
    if len(xml) > MAX_BYTES:
        raise _bad(_("Berkas CAP terlalu besar."))
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _bad(_("CAP tidak sah: DTD dan entitas tidak diterima."))
    try:
        root = ET.fromstring(xml)  # noqa: S314 - DTDs/entities refused above
    except ET.ParseError:
        raise _bad(_("CAP tidak sah: XML rusak.")) from None
    if root.tag != f"{{{NS}}}alert":
        raise _bad(_("Bukan peringatan CAP 1.2 (namespace %(ns)s).") % {"ns": NS})
    data: dict[str, Any] = {
        "identifier": _text(root, "identifier", required=True),
        "sender": _text(root, "sender", required=True),
        "sent": _time(_text(root, "sent", required=True), "sent"),
        "status": _text(root, "status", required=True, allowed=STATUS),
        "msg_type": _text(root, "msgType", required=True, allowed=MSG_TYPE),
        "scope": _text(root, "scope", required=True, allowed=SCOPE),
    }
    infos = root.findall(f"{{{NS}}}info")
    if not infos:
        raise _bad(_("CAP tidak sah: tidak ada elemen info."))
    info = next((i for i in infos if _text(i, "language").lower().startswith("id")), infos[0])
    for node in info.findall(f"{{{NS}}}category"):
        if (node.text or "").strip() not in CATEGORY:
            raise _bad(_("CAP tidak sah: nilai category tidak dikenal."))
    data |= {
        "event": _text(info, "event", required=True),
        "urgency": _text(info, "urgency", required=True, allowed=URGENCY),
        "severity": _text(info, "severity", required=True, allowed=SEVERITY),
        "certainty": _text(info, "certainty", required=True, allowed=CERTAINTY),
        "headline": _text(info, "headline")[:500],
        "description": _text(info, "description"),
        "instruction": _text(info, "instruction"),
        "effective": _time(_text(info, "effective"), "effective"),
        "expires": _time(_text(info, "expires"), "expires"),
        "area": "; ".join(
            _text(area, "areaDesc")
            for area in info.findall(f"{{{NS}}}area")
            if _text(area, "areaDesc")
        ),
    }
    return data


@transaction.atomic
def cap_import(*, tenant: Tenant, xml: bytes, source_url: str = "") -> CapWarning:
    """Store (or update, on sender + identifier) a CAP warning for the tenant. A ``Cancel``
    expires the warning it names."""
    data = parse(xml)
    if data["status"] != "Actual":
        raise DomainError(
            _("Hanya peringatan CAP berstatus Actual yang ditampilkan."), code="cap_not_actual"
        )
    fields = {k: v for k, v in data.items() if k not in ("identifier", "sender", "status", "scope")}
    warning, _created = CapWarning.objects.update_or_create(
        tenant=tenant,
        sender=data["sender"][:255],
        identifier=data["identifier"][:255],
        defaults=fields | {"source_url": source_url},
    )
    return warning


def cap_import_url(*, tenant: Tenant, url: str) -> CapWarning:
    """Fetch a CAP document from an administrator-set https/http URL (bounded size and time)."""
    if not url.startswith(("https://", "http://")):
        raise DomainError(_("URL CAP harus http(s)."), code="cap_url")
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - scheme checked above
            xml = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DomainError(
            _("URL CAP tidak dapat diambil: %(error)s") % {"error": exc},
            code="cap_fetch",
            status=422,
        ) from None
    return cap_import(tenant=tenant, xml=xml, source_url=url)


def _el(parent: ET.Element, name: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, name)
    node.text = text
    return node


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "-00:00")


SEVERITY_BY_RANK = {1: "Moderate", 2: "Severe", 3: "Extreme"}


def alert_to_cap(alert: Alert, *, base_url: str) -> ET.Element:
    device = alert.device
    tenant = device.tenant
    root = ET.Element("alert", xmlns=NS)
    _el(root, "identifier", f"kotacerdas-{tenant.slug}-sensor-alert-{alert.pk}-{alert.rank}")
    _el(root, "sender", f"kotacerdas@{tenant.slug}")
    _el(root, "sent", _iso(alert.escalated_at or alert.opened_at))
    _el(root, "status", "Actual")
    _el(root, "msgType", "Update" if alert.escalated_at else "Alert")
    _el(root, "scope", "Public")
    info = ET.SubElement(root, "info")
    _el(info, "language", "id-ID")
    _el(info, "category", "Met" if device.kind == DeviceKind.RAIN_GAUGE else "Geo")
    _el(info, "event", "Banjir")
    _el(info, "urgency", "Immediate" if alert.rank >= 2 else "Expected")
    _el(info, "severity", SEVERITY_BY_RANK.get(alert.rank, "Extreme"))
    _el(info, "certainty", "Observed")
    _el(info, "senderName", tenant.name)
    _el(info, "headline", f"{alert.level_label}: {device.name}")
    _el(info, "description", f"{device.name}: {alert.value:g} (puncak {alert.peak:g}).")
    _el(info, "web", base_url.rstrip("/") + reverse("sensors:public", args=[tenant.slug]))
    area = ET.SubElement(info, "area")
    _el(area, "areaDesc", device.kelurahan.name if device.kelurahan else device.name)
    if device.latitude is not None and device.longitude is not None:
        # A CAP circle: "lat,lon radius-km".
        _el(area, "circle", f"{device.latitude:.5f},{device.longitude:.5f} 1.0")
    return root


def feed(*, tenant: Tenant, base_url: str) -> bytes:
    """An Atom feed of the tenant's open water-level alerts, one CAP 1.2 alert per entry."""
    atom = "http://www.w3.org/2005/Atom"
    root = ET.Element("feed", xmlns=atom)
    _el(root, "id", f"{base_url.rstrip('/')}/{tenant.slug}/sensor/cap.xml")
    _el(root, "title", f"Peringatan banjir · {tenant.name}")
    alerts = list(
        Alert.objects.filter(
            tenant=tenant,
            status=AlertStatus.OPEN,
            device__kind__in=[DeviceKind.WATER_LEVEL, DeviceKind.RAIN_GAUGE],
        )
        .select_related("device__tenant", "device__kelurahan")
        .order_by("-opened_at")[:100]
    )
    updated = max((a.escalated_at or a.opened_at for a in alerts), default=None)
    _el(root, "updated", _iso(updated) if updated else "1970-01-01T00:00:00-00:00")
    for alert in alerts:
        entry = ET.SubElement(root, "entry")
        _el(entry, "id", f"kotacerdas-{tenant.slug}-sensor-alert-{alert.pk}")
        _el(entry, "title", f"{alert.level_label}: {alert.device.name}")
        _el(entry, "updated", _iso(alert.escalated_at or alert.opened_at))
        content = ET.SubElement(entry, "content", type="application/cap+xml")
        content.append(alert_to_cap(alert, base_url=base_url))
    feed: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return feed
