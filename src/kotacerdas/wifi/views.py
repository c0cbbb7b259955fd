"""Pages: the citizens' map with "laporkan gangguan", and the staff registry, point page,
import/export and figures. A provider's staff see their own points read-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import csv_response, xlsx_response
from kotacerdas.core.middleware import error_response
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi import selectors, services, transfer
from kotacerdas.wifi.access import access_hotspot, can_manage, hotspots_visible_to, is_provider_of
from kotacerdas.wifi.forms import HotspotForm, ImportForm, ReportProblemForm
from kotacerdas.wifi.models import Health, Hotspot, PointStatus

HEALTH_COLORS = {
    Health.OK: "#1a7f37",
    Health.PROBLEM: "#b26b00",
    Health.CRITICAL: "#c62828",
    Health.UNKNOWN: "#6b7280",
}


def public_state(health: str, status: str) -> tuple[str, str]:
    """The words a citizen reads for a point, and its colour."""
    if status == PointStatus.SUSPENDED:
        return _("dihentikan sementara"), HEALTH_COLORS[Health.UNKNOWN]
    if health == Health.OK:
        return _("berfungsi"), HEALTH_COLORS[Health.OK]
    if health in (Health.PROBLEM, Health.CRITICAL):
        return _("gangguan"), HEALTH_COLORS[Health(health)]
    return _("belum diketahui"), HEALTH_COLORS[Health.UNKNOWN]


def registry_page_view(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A tenant page for its staff and for its providers' staff; anyone else gets a 404."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, tenant: Tenant, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert isinstance(user, User)  # noqa: S101 - AUTH_USER_MODEL
        if not (user.can_see_tenant(tenant) or is_provider_of(user, tenant)):
            raise Http404("wifi")
        return view(request, tenant, user, *args, **kwargs)

    return tenant_page(wrapper)


# --- citizens ---------------------------------------------------------------------------------


@tenant_page
def public_map(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    points = []
    markers = []
    for p in selectors.public_points(tenant):
        label, color = public_state(p["health"], p["status"])
        report_url = reverse("wifi:report_problem", args=[tenant.slug, p["id"]])
        points.append({**p, "state": label, "color": color, "report_url": report_url})
        markers.append(
            {
                "lat": float(p["lat"]),
                "lng": float(p["lng"]),
                "title": f"{p['name']} · {p['ssid'] or '-'} · {label}",
                "url": report_url,
                "color": color,
            }
        )
    return render(
        request,
        "wifi/public_map.html",
        {
            "tenant": tenant,
            "points": points,
            "map_conf": map_config(tenant, markers=markers),
            "working": sum(1 for p in points if p["health"] == Health.OK),
        },
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True, group="wifi-report")
@tenant_page
def report_problem(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    hotspot = Hotspot.objects.public().filter(tenant=tenant, pk=pk).select_related("tenant").first()
    if hotspot is None:
        raise Http404("hotspot")
    form = ReportProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        try:
            complaint = services.problem_report(
                hotspot=hotspot,
                description=form.cleaned_data["description"],
                reporter=user,
                reporter_name=form.cleaned_data["name"],
                reporter_email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "wifi/report_done.html",
                {"tenant": tenant, "hotspot": hotspot, "ticket": complaint.ticket},
            )
    label, color = public_state(hotspot.health, hotspot.status)
    return render(
        request,
        "wifi/report_problem.html",
        {"tenant": tenant, "hotspot": hotspot, "form": form, "state": label, "color": color},
        status=400 if request.method == "POST" else 200,
    )


# --- staff ------------------------------------------------------------------------------------


def _after(request: HttpRequest) -> tuple[str, int] | None:
    raw = request.GET.get("setelah", "")
    name, sep, pk = raw.rpartition("|")
    if not sep or not pk.isascii() or not pk.isdigit() or len(pk) > 12:
        return None
    return name, int(pk)


@registry_page_view
def registry(request: HttpRequest, tenant: Tenant, user: User) -> HttpResponse:
    qs = hotspots_visible_to(user, tenant)
    health = request.GET.get("kesehatan", "")
    if health in Health.values:
        qs = qs.filter(health=health)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        qs = qs.filter(name__icontains=query)
    rows, nxt = selectors.registry_page(qs, after=_after(request))
    counts = {
        r["health"]: r["n"]
        for r in hotspots_visible_to(user, tenant)
        .exclude(status=PointStatus.RETIRED)
        .values("health")
        .order_by()
        .annotate(n=Count("id"))
    }
    params = request.GET.copy()
    if nxt is not None:
        params["setelah"] = f"{nxt[0]}|{nxt[1]}"
    return render(
        request,
        "wifi/registry.html",
        {
            "tenant": tenant,
            "rows": rows,
            "next_query": params.urlencode() if nxt else "",
            "counts": [(h, h.label, counts.get(h.value, 0), HEALTH_COLORS[h]) for h in Health],
            "health": health,
            "query": query,
            "can_manage": can_manage(user, tenant),
            "healths": Health.choices,
        },
    )


@registry_page_view
def detail(request: HttpRequest, tenant: Tenant, user: User, pk: int) -> HttpResponse:
    hotspot = access_hotspot(user, pk, tenant=tenant)
    now = timezone.now()
    start = now - dt.timedelta(days=30)
    one = Hotspot.objects.filter(pk=hotspot.pk)
    total, up = selectors.uptime_by_point(one, start, now).get(hotspot.pk, (0, 0))
    point_usage = selectors.usage_by_point_day(hotspot, start, now)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Sesi"), _("Perangkat unik")]},
        "xAxis": {"type": "category", "data": [f"{r['day']:%d/%m}" for r in point_usage]},
        "yAxis": {"type": "value"},
        "series": [
            {"name": _("Sesi"), "type": "bar", "data": [r["sessions"] for r in point_usage]},
            {
                "name": _("Perangkat unik"),
                "type": "line",
                "data": [r["devices"] for r in point_usage],
            },
        ],
    }
    return render(
        request,
        "wifi/detail.html",
        {
            "tenant": tenant,
            "hotspot": hotspot,
            "color": HEALTH_COLORS[Health(hotspot.health)],
            "events": [
                (e, services.event_label(e))
                for e in hotspot.events.select_related("actor").order_by("-created_at", "-pk")[:50]
            ],
            "checks": hotspot.checks.order_by("-checked_at")[:20],
            "tickets": hotspot.tickets.all()[:10],
            "uptime": selectors.pct(up, total),
            "checks_30d": total,
            "chart": chart,
            "can_manage": can_manage(user, tenant),
            "map_conf": map_config(
                tenant,
                center=[float(hotspot.lat), float(hotspot.lng)],
                zoom=16,
                markers=[
                    {
                        "lat": float(hotspot.lat),
                        "lng": float(hotspot.lng),
                        "title": hotspot.name,
                        "color": HEALTH_COLORS[Health(hotspot.health)],
                    }
                ],
            ),
        },
    )


def _edit(
    request: HttpRequest, tenant: Tenant, user: User, hotspot: Hotspot | None
) -> HttpResponse:
    if not can_manage(user, tenant):
        raise Http404("wifi")
    form = HotspotForm(request.POST or None, instance=hotspot, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if hotspot is None:
            saved = services.hotspot_create(tenant=tenant, actor=user, **fields)
        else:
            saved = services.hotspot_update(hotspot=hotspot, actor=user, changes=fields)
        messages.success(request, _("Titik Wi-Fi tersimpan."))
        return redirect("wifi:detail", tenant.slug, saved.pk)
    conf = map_config(tenant, pick={"lat": "id_lat", "lng": "id_lng"})
    return render(
        request,
        "wifi/edit.html",
        {"tenant": tenant, "form": form, "hotspot": hotspot, "map_conf": conf},
        status=400 if request.method == "POST" else 200,
    )


@registry_page_view
def hotspot_new(request: HttpRequest, tenant: Tenant, user: User) -> HttpResponse:
    return _edit(request, tenant, user, None)


@registry_page_view
def hotspot_edit(request: HttpRequest, tenant: Tenant, user: User, pk: int) -> HttpResponse:
    return _edit(request, tenant, user, access_hotspot(user, pk, tenant=tenant, for_write=True))


@registry_page_view
def import_points(request: HttpRequest, tenant: Tenant, user: User) -> HttpResponse:
    if not can_manage(user, tenant):
        raise Http404("wifi")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = transfer.import_file(
                tenant=tenant, actor=user, upload=form.cleaned_data["file"]
            )
        except transfer.ImportProblem as exc:
            for problem in exc.problems[:50]:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Impor selesai: %(created)d titik baru, %(updated)d diperbarui.")
                % {"created": created, "updated": updated},
            )
            return redirect("wifi:registry", tenant.slug)
    return render(
        request,
        "wifi/import.html",
        {"tenant": tenant, "form": form, "columns": transfer.COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


@registry_page_view
def export_points(request: HttpRequest, tenant: Tenant, user: User, fmt: str) -> HttpResponse:
    headers, rows = transfer.export_rows(hotspots_visible_to(user, tenant))
    if fmt == "csv":
        return csv_response(f"wifi-publik-{tenant.slug}.csv", headers, rows)
    if fmt == "xlsx":
        return xlsx_response(f"wifi-publik-{tenant.slug}.xlsx", headers, rows, title="Wi-Fi")
    raise Http404("format")


def _month(request: HttpRequest, tenant: Tenant) -> tuple[dt.datetime, dt.datetime, str]:
    """The month asked for (``?bulan=2026-11``), this month when absent or malformed."""
    today = timezone.localdate()
    try:
        raw = request.GET.get("bulan", "")
        chosen = dt.date.fromisoformat(f"{raw}-01") if len(raw) == 7 else today
    except ValueError:
        chosen = today
    if not 2000 <= chosen.year <= today.year + 1:
        chosen = today
    start, end = selectors.month_bounds(chosen.year, chosen.month)
    return start, end, f"{chosen.year:04d}-{chosen.month:02d}"


# What the figures page totals for a figure of the command centre (``angka``).
PERIOD_FIGURES = ("sesi", "perangkat", "pemeriksaan", "menjawab")


def _figures(tenant: Tenant, user: User, request: HttpRequest) -> dict[str, Any]:
    """The month asked for, or the command centre's ``dari``/``sampai``/``kecamatan``/``opd``
    (raises ``DomainError``, a 400, on a bad one)."""
    start, end, month = _month(request, tenant)
    drill = list_filters.parse(tenant, request.GET)
    opd_id = list_filters.opd(tenant, request.GET)
    counted = request.GET.get("angka", "") or "sesi"
    if counted not in PERIOD_FIGURES:
        raise DomainError(
            _("Angka harus salah satu dari: %(names)s.") % {"names": ", ".join(PERIOD_FIGURES)},
            code="invalid_figure_filter",
        )
    start, end = drill.start or start, drill.end or end
    target = float(services.settings_read(tenant).uptime_target_pct)
    rows = selectors.figures_by_point(
        tenant, start, end, target, kecamatan=drill.kecamatan, opd_id=opd_id
    )
    period: dict[str, Any] = {"list_filter": drill, "list_total": None}
    if is_provider_of(user, tenant) and not user.can_see_tenant(tenant):
        mine = set(hotspots_visible_to(user, tenant).values_list("pk", flat=True))
        rows = [r for r in rows if r.hotspot.pk in mine]
    elif drill.active or opd_id is not None:  # the tenant's totals are the Pemda's
        counts = selectors.period_figures(
            tenant, start, end, kecamatan=drill.kecamatan, opd_id=opd_id
        )
        period = {**period, "list_total": counts[counted], "period_counts": counts}
        period["list_noun"] = {
            "sesi": _("sesi"),
            "perangkat": _("perangkat unik"),
            "pemeriksaan": _("pemeriksaan kesehatan"),
            "menjawab": _("pemeriksaan yang dijawab"),
        }[counted]
    return {"start": start, "end": end, "month": month, "target": target, "rows": rows, **period}


@registry_page_view
def figures(request: HttpRequest, tenant: Tenant, user: User) -> HttpResponse:
    try:
        ctx = _figures(tenant, user, request)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    daily = selectors.usage_by_day(tenant, ctx["start"], ctx["end"])
    if is_provider_of(user, tenant) and not user.can_see_tenant(tenant):
        daily = []  # tenant-wide usage is the Pemda's; providers see their points' rows
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Sesi"), _("Perangkat unik")]},
        "xAxis": {"type": "category", "data": [f"{r['day']:%d/%m}" for r in daily]},
        "yAxis": {"type": "value"},
        "series": [
            {"name": _("Sesi"), "type": "bar", "data": [r["sessions"] for r in daily]},
            {"name": _("Perangkat unik"), "type": "line", "data": [r["devices"] for r in daily]},
        ],
    }
    uptime_chart = {
        "tooltip": {},
        "grid": {"left": 160},
        "xAxis": {"type": "value", "max": 100},
        "yAxis": {"type": "category", "data": [r.hotspot.name for r in ctx["rows"]]},
        "series": [
            {
                "type": "bar",
                "data": [
                    round(r.uptime_pct, 1) if r.uptime_pct is not None else None
                    for r in ctx["rows"]
                ],
                "markLine": {"data": [{"xAxis": ctx["target"]}]},
            }
        ],
    }
    return render(
        request,
        "wifi/figures.html",
        {
            **ctx,
            "tenant": tenant,
            "chart": chart,
            "uptime_chart": uptime_chart,
            "below": [r for r in ctx["rows"] if r.below_target],
            "devices": selectors.devices_in(tenant, ctx["start"], ctx["end"]),
        },
    )


@registry_page_view
def figures_export(request: HttpRequest, tenant: Tenant, user: User, fmt: str) -> HttpResponse:
    try:
        ctx = _figures(tenant, user, request)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    headers, rows = transfer.figures_rows(ctx["rows"])
    name = f"wifi-angka-{tenant.slug}-{ctx['month']}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", headers, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", headers, rows, title=ctx["month"])
    raise Http404("format")
