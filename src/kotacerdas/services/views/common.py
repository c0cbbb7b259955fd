"""Shared by the services app's pages: the signed link to a private file, timelines, documents."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.regions.models import Region
from kotacerdas.services.access import (
    can_see_identity,
)
from kotacerdas.services.forms import UploadForm
from kotacerdas.services.models import (
    Application,
    Event,
    FieldKind,
)
from kotacerdas.services.nik import mask
from kotacerdas.services.signatures import VERDICT_LABELS, Verdict
from kotacerdas.services.workflow import ACTION_LABELS
from kotacerdas.tenants.models import Tenant

FILE_LINK_SECONDS = 300  # a signed link to a private file works for five minutes
FILE_SALT = "services.file"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login required upstream
    return user


def _pk(value: str) -> int | None:
    """A primary key from a query or form value: ASCII digits of a sane length, else None
    (``"²".isdigit()`` is true and ``int("²")`` raises; a huge number overflows the database)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def signed_file_url(tenant: Tenant, user: User, kind: str, pk: int) -> str:
    token = signing.dumps({"k": kind, "id": pk, "u": user.pk}, salt=FILE_SALT, compress=True)
    return reverse("services:file", args=[tenant.slug, token])


def _timeline(application: Application, *, staff: bool) -> list[dict[str, Any]]:
    """The audit trail as people read it, in the page's language: notes that depend on the
    language are rendered here from the event's data, never stored as sentences."""
    events = application.events.select_related("actor")
    if not staff:
        events = events.filter(public=True)
    requirements = {r.pk: r.local_name for r in application.service.requirements.all()}
    return [
        {
            "at": e.created_at,
            "label": ACTION_LABELS.get(e.action, e.action),
            "note": _event_note(e, requirements),
            "actor": e.actor,
            "status": e.to_state,
        }
        for e in events
    ]


def _event_note(event: Event, requirements: dict[int, str]) -> str:
    data = event.data or {}
    requirement = requirements.get(data.get("requirement", 0), "")
    match event.action:
        case "document_upload":
            return requirement or event.note
        case "document_review":
            if data.get("accepted"):
                return _("%(document)s diterima") % {"document": requirement}
            return _("%(document)s ditolak: %(reason)s") % {
                "document": requirement,
                "reason": event.note,
            }
        case "cancel" if "renewed_as" in data:
            return _("Kedaluwarsa; dilanjutkan di draf baru.")
        case "complete" if data.get("by") == "download":
            return _("Diunduh pemohon.")
    return event.note


def _signature(application: Application) -> dict[str, Any] | None:
    """The stored verdict on the result's e-signature, as the pages show it."""
    check = application.result_signature or {}
    if not application.result_file or "verdict" not in check:
        return None
    try:
        verdict = Verdict(check["verdict"])
    except ValueError:
        return None
    signed_at = parse_datetime(check.get("signed_at") or "")
    return {
        "verdict": verdict.value,
        "label": VERDICT_LABELS[verdict],
        "signer": check.get("signer", ""),
        "signed_at": signed_at,
    }


def _identity(user: User, application: Application) -> tuple[str, str]:
    if can_see_identity(user, application):
        return application.nik, application.kk_number
    return mask(application.nik), mask(application.kk_number)


def _documents(tenant: Tenant, user: User, application: Application) -> list[dict[str, Any]]:
    uploaded = {d.requirement_id: d for d in application.documents.all()}
    rows = []
    for requirement in application.service.requirements.all():
        document = uploaded.get(requirement.pk)
        rows.append(
            {
                "requirement": requirement,
                "document": document,
                "url": signed_file_url(tenant, user, "doc", document.pk) if document else "",
                "accept": UploadForm.accept_for(requirement),
            }
        )
    return rows


def _answers(application: Application) -> list[tuple[str, str]]:
    """The form's answers as people read them (a kelurahan by name, not by code)."""
    data = application.form_data or {}
    fields = list(application.service.fields.all())
    codes = [str(data.get(f.name, "")) for f in fields if f.kind == FieldKind.VILLAGE]
    villages = {
        r.code: f"{r.name}, Kec. {r.parent.name}"
        for r in Region.objects.filter(code__in=codes).select_related("parent")
        if r.parent
    }
    answers = []
    for field in fields:
        value = str(data.get(field.name, ""))
        if field.kind == FieldKind.VILLAGE:
            value = villages.get(value, value)
        elif field.kind == FieldKind.CHOICE:
            value = dict(field.choice_pairs()).get(value, value)
        answers.append((field.local_label, value))
    return answers
