"""Submitting a service request (POST to ``/requests``) with an ``api_key``."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.complaints import services
from kotacerdas.complaints.config import config_for
from kotacerdas.complaints.idempotency import client_of
from kotacerdas.complaints.models import (
    Channel,
)
from kotacerdas.complaints.open311.catalogue import category_of
from kotacerdas.complaints.open311.common import Open311Error, render
from kotacerdas.tenants.models import Tenant


def _attributes_from(post: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in post:
        match = re.fullmatch(r"attribute\[([^\]]+)\](\[\])?", key)
        if match:
            found.setdefault(match.group(1), []).extend(post.getlist(key))
    return found


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # also "nan", "inf" and "1e400"
        raise Open311Error(400, _("%(name)s harus berupa angka.") % {"name": name})
    return value


def post_request(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    post = request.POST
    api_key = post.get("api_key", "").strip()
    if not api_key:
        raise Open311Error(403, _("api_key wajib diisi."))
    key_id = config_for(tenant).open311_key_id(api_key)
    if key_id is None:
        raise Open311Error(403, _("api_key tidak sah."))
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code wajib diisi."))
    category = category_of(tenant, code)
    lat_raw, long_raw = post.get("lat", "").strip(), post.get("long", "").strip()
    address = post.get("address_string", "").strip() or post.get("address_id", "").strip()
    if bool(lat_raw) != bool(long_raw):
        raise Open311Error(400, _("lat dan long harus dikirim bersama."))
    if not lat_raw and not address:
        raise Open311Error(400, _("Lokasi wajib: lat dan long, address_string, atau address_id."))
    lat = _float("lat", lat_raw) if lat_raw else None
    long = _float("long", long_raw) if long_raw else None
    email = post.get("email", "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise Open311Error(400, _("email tidak sah.")) from None
    media_urls = [u.strip() for u in post.getlist("media_url") if u.strip()]
    for url in media_urls:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise Open311Error(400, _("media_url harus URL http(s).")) from None
    description = post.get("description", "").strip()
    if len(description) > services.MAX_DESCRIPTION:
        raise Open311Error(400, _("description paling banyak 4.000 karakter."))
    attributes = services.attributes_clean(category, _attributes_from(post))
    complaint, _created = services.complaint_submit(
        tenant=tenant,
        category=category,
        description=description or category.name,
        channel=Channel.OPEN311,
        lat=lat,
        long=long,
        address=address,
        reporter_name=" ".join(
            p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p
        ),
        reporter_email=email,
        reporter_phone=post.get("phone", "").strip(),
        device_id=post.get("device_id", "").strip(),
        account_id=post.get("account_id", "").strip(),
        media_url=media_urls[0] if media_urls else "",
        attributes=attributes,
        idempotency_key=request.headers.get("Idempotency-Key"),
        language=translation.get_language() or "id",
        # A key is replayed only to the api_key that used it, and only for the same body.
        client=client_of(request, open311_key_id=key_id),
        fingerprint=services.request_fingerprint(
            {k: post.getlist(k) for k in sorted(post) if k != "api_key"}
        ),
    )
    notice = _("Nomor tiket %(ticket)s. Batas verifikasi %(due)s.") % {
        "ticket": complaint.ticket,
        "due": timezone.localtime(complaint.verify_due).strftime("%d-%m-%Y %H:%M"),
    }
    return render(
        fmt,
        "service_requests",
        [{"service_request_id": complaint.ticket, "service_notice": notice, "account_id": None}],
    )
