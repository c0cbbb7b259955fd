"""What the complaint pages share: status badges, the timeline, maps and the page context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role
from kotacerdas.complaints import selectors
from kotacerdas.complaints.models import (
    Classification,
    Complaint,
    Confidentiality,
    Severity,
    Status,
)
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.regions.models import Region
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant

STAFF_ROLES = (Role.REGION_ADMIN, Role.OPD_OPERATOR, Role.LEADER)
SUBMIT_RATE = "20/h"
STATUS_BADGE: dict[str, str] = {
    Status.BARU: "warn",
    Status.DITUNDA: "warn",
    Status.DIDISPOSISI: "",
    Status.DIPROSES: "",
    Status.SELESAI: "ok",
    Status.DITUTUP: "ok",
    Status.BUKAN_WEWENANG: "",
    Status.DIARSIPKAN: "",
}
# Lazy: translated when a timeline is shown, in the reader's language.
EVENT_LABELS = {
    "submit": gettext_lazy("Laporan diterima"),
    "disposition": gettext_lazy("Disposisi"),
    "me_too": gettext_lazy("Dukungan warga (saya juga)"),
    "internal_note": gettext_lazy("Catatan internal"),
    "classify": gettext_lazy("Klasifikasi"),
    "escalate": gettext_lazy("Eskalasi keterlambatan"),
    "rate": gettext_lazy("Penilaian warga"),
}


def _event_label(action: str) -> str:
    label = EVENT_LABELS.get(action) or COMPLAINT_WORKFLOW.labels.get(action)
    # An action without a label shows as words, never as a raw code such as "Me_too".
    return str(label) if label else action.replace("_", " ")


def timeline_rows(events: Any, complaint: Complaint | None = None) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        note = event.note
        if event.action == "submit" and complaint is not None:
            # Rendered from the stored channel, in the reader's language (older rows stored
            # the sentence itself in Indonesian).
            note = _("Diterima melalui %(channel)s.") % {"channel": complaint.get_channel_display()}
        if event.action == "classify" and event.data:
            note = classification_note(event.data)
        rows.append(
            {
                "when": event.created_at,
                "label": _event_label(event.action).capitalize(),
                "note": note,
                "opd": event.opd,
                "status": Status(event.to_state).label if event.to_state else "",
                "actor": event.actor,
                "is_public": event.public,
                "action": event.action,
            }
        )
    return rows


def complaint_map(complaints: Any, tenant: Tenant, *, link: bool = True) -> dict[str, Any]:
    """The tenant's map (``tenants.maps.map_config``) with the complaints' pins. Markers link
    to the public ticket page, except on private pages (``link=False``), where the complaint
    may be secret."""
    markers = [
        {
            "lat": c.lat,
            "lng": c.long,
            "title": f"{c.ticket} · {c.category.local_name}",
            "url": reverse("complaints:ticket", args=[tenant.slug, c.ticket]) if link else "",
        }
        for c in complaints
        if c.lat is not None and c.long is not None
    ]
    if len(markers) == 1:  # one complaint: centre on it, close enough to see the street
        return map_config(
            tenant, markers=markers, center=[markers[0]["lat"], markers[0]["lng"]], zoom=16
        )
    return map_config(tenant, markers=markers)


def bad_request(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """A page that names what was wrong with the request (never a 500)."""
    return render(
        request,
        "core/error.html",
        {"title": _("Permintaan tidak dapat diproses"), "message": message},
        status=status,
    )


def page_context(tenant: Tenant, **extra: Any) -> dict[str, Any]:
    return {
        "tenant": tenant,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        **extra,
    }


# --- citizens --------------------------------------------------------------------------------


def parts_of(complaint: Complaint) -> list[Any]:
    """The OPDs working on the complaint now, each with its own progress."""
    return list(complaint.dispositions.filter(is_active=True).select_related("opd"))


def pick_map(tenant: Tenant) -> dict[str, Any]:
    return map_config(tenant, pick={"lat": "id_lat", "lng": "id_long"})


def place_of(complaint: Complaint) -> Region | None:
    """For a report with a pin but no kelurahan: the nearest kelurahan by the map."""
    if complaint.region_id is not None or complaint.lat is None or complaint.long is None:
        return None
    return selectors.nearest_village(complaint.tenant, complaint.lat, complaint.long)


# The fields a classification changes, with their choices (labels are lazy).
CLASSIFIED = {
    "classification": (gettext_lazy("klasifikasi"), Classification),
    "severity": (gettext_lazy("tingkat"), Severity),
    "confidentiality": (gettext_lazy("kerahasiaan"), Confidentiality),
}


def classification_note(data: dict[str, Any]) -> str:
    parts = []
    for name, (label, choices) in CLASSIFIED.items():
        value = data.get(name)
        if isinstance(value, str) and value in choices.values:
            parts.append(f"{label}: {choices(value).label}")
    return "; ".join(parts)
