"""Pages: the public water-level and air-quality page, the staff map, the device page, alerts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.sensors import selectors, services
from kotacerdas.sensors.access import access_device, can_manage
from kotacerdas.sensors.alerts import local_number
from kotacerdas.sensors.forms import CapImportForm, DeviceForm, RulesImportForm
from kotacerdas.sensors.models import (
    HEALTH_QUANTITIES,
    QUANTITIES,
    Alert,
    AlertStatus,
    DeviceKind,
    Health,
)
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page, tenant_page
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant

RANGES = {
    "24j": dt.timedelta(hours=24),
    "7h": dt.timedelta(days=7),
    "30h": dt.timedelta(days=30),
    "1t": dt.timedelta(days=365),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page guarantees a signed-in user
    return user


def _markers(tenant: Tenant, rows: list[selectors.DeviceRow], *, staff: bool) -> dict[str, Any]:
    markers = []
    for row in rows:
        d = row.device
        if d.latitude is None or d.longitude is None:
            continue
        parts = [d.name]
        if row.level_value is not None:
            parts.append(f"{local_number(row.level_value.value)} cm")
        if row.ispu is not None:
            parts.append(f"ISPU {row.ispu['value']} ({row.ispu['name']})")
        if row.alert is not None:
            parts.append(row.alert.level_label)
        markers.append(
            {
                "lat": d.latitude,
                "lng": d.longitude,
                "title": " · ".join(parts),
                "color": row.color,
                "url": reverse("sensors:device", args=[tenant.slug, d.pk]) if staff else "",
            }
        )
    return map_config(tenant, markers=markers)


@tenant_page
def public(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """ "Tinggi muka air dan kualitas udara": no login, light enough for a cheap phone."""
    rows = selectors.device_rows(tenant)
    context = {
        "tenant": tenant,
        "water": [r for r in rows if r.device.kind == "water_level"],
        "air": [r for r in rows if r.ispu is not None],
        "alerts": selectors.open_alerts(tenant),
        "cap": selectors.active_cap_warnings(tenant),
        "map_config": _markers(tenant, rows, staff=False),
        "now": timezone.now(),
    }
    return render(request, "sensors/public.html", context)


@staff_page()
def staff_map(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The devices and their health now; with ``dari``/``sampai`` (as the command centre's
    readings and ISPU figures link here) also each one's readings stored and highest hourly
    ISPU in that period, with the totals the figures show."""
    try:
        drill = list_filters.parse(tenant, request.GET)
        if drill.kecamatan:
            raise DomainError(
                _("Angka bacaan sensor tidak dipilah per kecamatan."), code="unsupported_filter"
            )
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    rows = selectors.device_rows(tenant)
    counts = dict.fromkeys(Health.values, 0)
    for row in rows:
        counts[row.health] += 1
    period: dict[str, Any] = {"list_filter": drill, "list_total": None}
    if drill.start is not None and drill.end is not None:
        found = selectors.period_by_device(tenant, drill.start, drill.end)
        for row in rows:
            row.extras.update(found.get(row.device.pk, {}))
        worst = [f["worst_ispu"] for f in found.values() if "worst_ispu" in f]
        period = {
            "list_filter": drill,
            "list_total": int(sum(f.get("readings", 0) for f in found.values())),
            "list_noun": _("bacaan tersimpan"),
            "worst_ispu": max(worst) if worst else None,
        }
    context = {
        "tenant": tenant,
        **period,
        "rows": rows,
        "counts": counts,
        "map_config": _markers(tenant, rows, staff=True),
        "can_manage": can_manage(_user(request), tenant),
    }
    return render(request, "sensors/staff_map.html", context)


@staff_page()
def device(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    dev = access_device(user, pk, tenant=tenant)
    quantities = [
        q for q in dev.quantities.values_list("key", flat=True) if q not in HEALTH_QUANTITIES
    ]
    quantity = request.GET.get("besaran") or (quantities[0] if quantities else "")
    if quantity not in quantities and quantities:
        raise Http404("quantity")
    span_key = request.GET.get("rentang", "7h")
    span = RANGES.get(span_key)
    if span is None:
        raise Http404("range")
    end = timezone.now()
    points = selectors.history(dev, quantity, start=end - span, end=end) if quantity else []
    context = {
        "tenant": tenant,
        "device": dev,
        "health": Health(dev.health()).label,
        "latest": dev.latest_values.order_by("quantity"),
        "quantities": [(q, QUANTITIES[q][0]) for q in quantities],
        "quantity": quantity,
        "ranges": RANGES,
        "span_key": span_key,
        "chart": selectors.chart_option(dev, quantity, points) if quantity else None,
        "points": len(points),
        "alerts": dev.alerts.select_related("rule").order_by("-opened_at")[:50],
        "events": dev.events.all()[:30],
        "can_manage": can_manage(user, tenant, dev),
        "new_token": request.session.pop(f"sensors-token-{dev.pk}", None),
    }
    return render(request, "sensors/device.html", context)


@staff_page()
def device_new(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
    if not can_manage(user, tenant):
        raise Http404("device")
    form = DeviceForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered = services.device_register(
                tenant=tenant,
                actor=user,
                name=data["name"],
                kind=data["kind"],
                opd=data["opd"],
                kelurahan=data["kelurahan"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                installed_on=data["installed_on"],
                quantities=data["quantities"] or None,
                expected_interval=data["expected_interval"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            # Shown once on the next page, then gone: only the hash is stored.
            request.session[f"sensors-token-{registered.device.pk}"] = registered.token
            return redirect("sensors:device", tenant.slug, registered.device.pk)
    return render(request, "sensors/device_new.html", {"tenant": tenant, "form": form})


@require_POST
@staff_page()
def device_rotate(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    dev = access_device(_user(request), pk, tenant=tenant, for_write=True)
    token = services.device_rotate_token(device=dev, actor=_user(request))
    request.session[f"sensors-token-{dev.pk}"] = token
    return redirect("sensors:device", tenant.slug, dev.pk)


@require_POST
@staff_page()
def device_retire(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    dev = access_device(_user(request), pk, tenant=tenant, for_write=True)
    services.device_retire(
        device=dev, actor=_user(request), note=request.POST.get("note", "")[:500]
    )
    messages.success(request, _("Perangkat dipensiunkan; riwayatnya tetap tersimpan."))
    return redirect("sensors:device", tenant.slug, dev.pk)


ALERT_PAGE = 50


def _alert_rows(
    request: HttpRequest, tenant: Tenant
) -> tuple[QuerySet[Alert], list_filters.ListFilter]:
    """The alerts the filters select (``DomainError``, a 400, on a bad one) and the period."""
    data = request.GET
    drill = list_filters.parse(tenant, data)
    status = data.get("status", "")
    kind = data.get("jenis", "")
    if status and status not in AlertStatus.values:
        raise DomainError(_("Status peringatan tidak dikenal."), code="unknown_status")
    if kind and kind not in DeviceKind.values:
        raise DomainError(_("Jenis perangkat tidak dikenal."), code="unknown_kind")
    if data.get("ke112", "") not in ("", "1"):
        raise DomainError(_("Saringan “ke112” hanya boleh 1."), code="invalid_filter")
    qs = selectors.alerts_of_period(
        tenant,
        start=drill.start,
        end=drill.end,
        kecamatan=drill.kecamatan,
        opd_id=list_filters.opd(tenant, data),
        kind=kind,
        to_112=data.get("ke112") == "1",
    )
    return (qs.filter(status=status) if status else qs), drill


@staff_page()
def alerts(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The alerts, latest first, paged by keyset on (opened_at, id) (``sebelum``): of a status,
    and as the command centre's figures link here, of the period (``dari``/``sampai``, by
    opening time), kecamatan, OPD, device kind (``jenis``) or only those sent to 112."""
    try:
        qs, drill = _alert_rows(request, tenant)
        before = request.GET.get("sebelum", "")
        total = qs.count()
        if before:
            stamp, _sep, last_id = before.rpartition("_")
            try:
                when = dt.datetime.fromisoformat(stamp)
                cursor = Q(opened_at__lt=when) | Q(opened_at=when, id__lt=int(last_id))
            except ValueError:
                raise DomainError(
                    _("Halaman daftar tidak dikenal; mulai dari halaman pertama."),
                    code="invalid_cursor",
                ) from None
            qs = qs.filter(cursor)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    page = list(qs.select_related("device").order_by("-opened_at", "-id")[: ALERT_PAGE + 1])
    next_url = ""
    if len(page) > ALERT_PAGE:
        page = page[:ALERT_PAGE]
        params = request.GET.copy()
        params["sebelum"] = f"{page[-1].opened_at.isoformat()}_{page[-1].pk}"
        next_url = f"?{params.urlencode()}"
    context = {
        "tenant": tenant,
        "alerts": page,
        "status": request.GET.get("status", ""),
        "next_url": next_url,
        "list_filter": drill,
        "list_total": total,
        "list_noun": _("peringatan"),
        "can_manage": can_manage(_user(request), tenant),
    }
    return render(request, "sensors/alerts.html", context)


@staff_page()
def rules_export(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    response = JsonResponse(services.rules_export(tenant=tenant), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="aturan-sensor-{tenant.slug}.json"'
    return response


@staff_page()
def rules_import(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if not can_manage(_user(request), tenant):
        raise Http404("rules")
    form = RulesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 1024 * 1024:
                raise DomainError(_("Berkas aturan terlalu besar."), code="rules_too_large")
            try:
                data = json.loads(upload.read())
            except ValueError:
                raise DomainError(_("Berkas aturan bukan JSON."), code="rules_format") from None
            count = services.rules_import(tenant=tenant, data=data)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("%(count)d aturan diimpor.") % {"count": count})
            return redirect("sensors:alerts", tenant.slug)
    return render(request, "sensors/rules_import.html", {"tenant": tenant, "form": form})


@staff_page()
def cap_import(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    from kotacerdas.sensors import cap

    if not can_manage(_user(request), tenant):
        raise PermissionDenied
    form = CapImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                if upload.size > cap.MAX_BYTES:
                    raise DomainError(_("Berkas CAP terlalu besar."), code="cap_too_large")
                warning = cap.cap_import(tenant=tenant, xml=upload.read())
            elif form.cleaned_data["url"]:
                warning = cap.cap_import_url(tenant=tenant, url=form.cleaned_data["url"])
            else:
                raise DomainError(_("Unggah berkas atau isi URL."), code="cap_missing")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Peringatan CAP diimpor: %(h)s") % {"h": warning})
            return redirect("sensors:public", tenant.slug)
    return render(request, "sensors/cap_import.html", {"tenant": tenant, "form": form})


@tenant_page
def cap_feed(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The tenant's open flood alerts as CAP 1.2 (an Atom-less list: one <alert> per item)."""
    from kotacerdas.sensors import cap

    return HttpResponse(
        cap.feed(tenant=tenant, base_url=request.build_absolute_uri("/")),
        content_type="application/xml; charset=utf-8",
    )
