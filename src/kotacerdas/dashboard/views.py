"""The command-centre pages: the overview, its trend and map data, wall mode, exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import User
from kotacerdas.core import map_layers
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, download_response
from kotacerdas.dashboard import exports, maps, national, periods, selectors
from kotacerdas.dashboard.access import dashboard_scope
from kotacerdas.dashboard.selectors import Overview, Scope
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.maps import map_config as tenant_map_config
from kotacerdas.tenants.models import Tenant

NATIONAL_ZONE = "Asia/Jakarta"


def _bad_request(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json") or request.path.endswith(
        ".json"
    ):
        return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=400)
    return render(
        request,
        "core/error.html",
        {"title": _("Permintaan tidak sah"), "message": exc.message},
        status=400,
    )


def _scope_and_period(request: HttpRequest, tenant: Tenant) -> tuple[Scope, periods.Period]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - a signed-in user, checked by the caller
    scope = dashboard_scope(user, tenant, kecamatan=request.GET.get("kecamatan", ""))
    return scope, periods.parse(tenant, request.GET)


def _role(request: HttpRequest) -> str | None:
    """The viewer's role for link checks; None (every link) for the platform superadmin."""
    user = request.user
    if not isinstance(user, User) or user.is_platform_admin:
        return None
    return str(user.role)


def _signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated


def _filters(overview: Overview) -> dict[str, str]:
    params = overview.period.params()
    if overview.scope.kecamatan:
        params["kecamatan"] = overview.scope.kecamatan
    return params


@tenant_page
def overview(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if not _signed_in(request):
        return redirect(
            f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
        )
    try:
        scope, period = _scope_and_period(request, tenant)
    except DomainError as exc:
        return _bad_request(request, exc)
    data = selectors.overview(scope, period, role=_role(request))
    params = _filters(data)
    kecamatan_choices = selectors.kecamatan_choices(tenant)
    map_config = tenant_map_config(
        tenant,
        fit=False,
        layers=[
            {"key": key, "name": name}
            for key, name in maps.layer_choices(opd_scoped=scope.opd_id is not None)
        ],
        data_url=reverse("dashboard:map_data", kwargs={"tenant_slug": tenant.slug}),
        kecamatan=scope.kecamatan or "",
        centres=maps.kecamatan_centres(tenant),
    )
    return render(
        request,
        "dashboard/overview.html",
        {
            "tenant": tenant,
            "overview": data,
            "groups": _visible_groups(data),
            "period": period,
            "kinds": [
                ("bulan", _("Bulan")),
                ("triwulan", _("Triwulan")),
                ("tahun", _("Tahun")),
                ("kustom", _("Rentang tanggal")),
            ],
            "kecamatan_choices": kecamatan_choices,
            "kecamatan_name": dict(kecamatan_choices).get(scope.kecamatan or "", ""),
            "query": urlencode(params),
            "opd_scoped": scope.opd_id is not None,
            "map_config": map_config,
            "trend_url": reverse("dashboard:trend", kwargs={"tenant_slug": tenant.slug})
            + "?"
            + urlencode(params),
        },
    )


def _visible_groups(
    data: Overview, *, only_with_data: bool = False
) -> list[tuple[str, str, list[selectors.Figure]]]:
    """Every group; for an OPD operator (and on the wall) only the figures with data."""
    if data.scope.opd_id is None and not only_with_data:
        return data.by_dimension()
    return [
        (code, label, shown)
        for code, label, items in data.by_dimension()
        if (shown := [f for f in items if f.value is not None or f.previous is not None])
    ]


@tenant_page
def trend(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if not _signed_in(request):
        return JsonResponse(
            {"error": {"code": "not_authenticated", "message": _("Silakan masuk.")}}, status=401
        )
    try:
        scope, period = _scope_and_period(request, tenant)
    except DomainError as exc:
        return _bad_request(request, exc)
    return JsonResponse(selectors.trend(scope, period))


@tenant_page
def map_data(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if not _signed_in(request):
        return JsonResponse(
            {"error": {"code": "not_authenticated", "message": _("Silakan masuk.")}}, status=401
        )
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    try:
        scope = dashboard_scope(user, tenant, kecamatan=request.GET.get("kecamatan", ""))
        layer = map_layers.get(request.GET.get("lapisan", ""))
        if layer is None or (scope.opd_id is not None and layer.opd_field is None):
            raise DomainError(_("Lapisan peta tidak dikenal."), code="unknown_layer")
        raw_zoom = request.GET.get("zoom", "12")
        if not raw_zoom.isdigit() or not 1 <= int(raw_zoom) <= 19:
            raise DomainError(_("Zoom harus bilangan 1 sampai 19."), code="invalid_zoom")
    except DomainError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=400)
    return JsonResponse(
        maps.layer_data(
            layer, tenant, kecamatan=scope.kecamatan, zoom=int(raw_zoom), opd_id=scope.opd_id
        )
    )


@require_POST
@tenant_page
def refresh(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """Compute the tenant's figures afresh (drops the cache), then back to the overview."""
    if not _signed_in(request):
        return redirect(reverse("accounts:login"))
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    dashboard_scope(user, tenant)
    selectors.invalidate(tenant)
    back = request.POST.get("next", "")
    url = reverse("dashboard:overview", kwargs={"tenant_slug": tenant.slug})
    return redirect(back if back.startswith(url) else url)


@tenant_page
def wall(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if not _signed_in(request):
        return redirect(
            f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
        )
    try:
        scope, period = _scope_and_period(request, tenant)
    except DomainError as exc:
        return _bad_request(request, exc)
    data = selectors.overview(scope, period, role=_role(request))
    return render(
        request,
        "dashboard/wall.html",
        {
            "tenant": tenant,
            "overview": data,
            "groups": _visible_groups(data, only_with_data=True),
            "fragment_url": reverse("dashboard:wall_fragment", kwargs={"tenant_slug": tenant.slug})
            + "?"
            + urlencode(_filters(data)),
            "poll_seconds": _poll_seconds(),
        },
    )


def _poll_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "DASHBOARD_WALL_POLL_SECONDS", 15))


@tenant_page
def wall_fragment(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The wall's figures, served from the shared cache: polling screens add no queries to
    the apps' tables until the cached figures expire."""
    if not _signed_in(request):
        return HttpResponse(status=401)
    try:
        scope, period = _scope_and_period(request, tenant)
    except DomainError as exc:
        return _bad_request(request, exc)
    data = selectors.overview(scope, period, role=_role(request))
    return render(
        request,
        "dashboard/_wall_figures.html",
        {
            "tenant": tenant,
            "overview": data,
            "groups": _visible_groups(data, only_with_data=True),
            "now": timezone.now(),
        },
    )


@tenant_page
def export(request: HttpRequest, tenant: Tenant, fmt: str) -> HttpResponse:
    """The KPI table (``xlsx``) or the leader's report (``pdf``) for the chosen period."""
    if not _signed_in(request):
        return redirect(
            f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
        )
    try:
        scope, period = _scope_and_period(request, tenant)
    except DomainError as exc:
        return _bad_request(request, exc)
    data = selectors.overview(scope, period, role=_role(request))
    name = f"pusat-komando-{tenant.slug}-{period.first_day:%Y-%m-%d}"
    if fmt == "xlsx":
        return download_response(f"{name}.xlsx", exports.kpi_xlsx(data), XLSX_CONTENT_TYPE)
    if fmt == "pdf":
        pdf = exports.leader_pdf(data, selectors.trend(scope, period))
        return download_response(f"{name}.pdf", pdf, "application/pdf")
    raise Http404("format")


def national_view(request: HttpRequest) -> HttpResponse:
    """Every tenant side by side, ranked on a chosen KPI: the platform superadmin only."""
    user = request.user
    if not user.is_authenticated:
        return redirect(
            f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
        )
    if not (isinstance(user, User) and user.is_platform_admin):
        raise Http404("national")
    choices = national.national_kpis()
    by_key = {k.key: k for k in choices}
    try:
        period = periods.parse(NATIONAL_ZONE, request.GET)
        order = request.GET.get("urut") or (choices[0].key if choices else "")
        if order not in by_key:
            raise DomainError(_("Indikator untuk peringkat tidak dikenal."), code="unknown_kpi")
    except DomainError as exc:
        return _bad_request(request, exc)
    kpi = by_key[order]
    rows, computed_at = national.figures(period)
    rows = national.ranked(rows, kpi)
    map_config = {
        "center": [-2.5, 118.0],
        "zoom": 5,
        "fit": False,
        "markers": [
            {
                "lat": r.lat,
                "lng": r.lng,
                "title": r.name,
                "url": reverse("dashboard:overview", kwargs={"tenant_slug": r.slug}),
                "color": national.marker_colour(kpi, r.values.get(kpi.key)),
            }
            for r in rows
            if r.lat is not None and r.lng is not None
        ],
    }
    return render(
        request,
        "dashboard/national.html",
        {
            "rows": rows,
            "kpis": choices,
            "order": kpi,
            "period": period,
            "kinds": [
                ("bulan", _("Bulan")),
                ("triwulan", _("Triwulan")),
                ("tahun", _("Tahun")),
                ("kustom", _("Rentang tanggal")),
            ],
            "computed_at": computed_at,
            "map_config": map_config,
            "with_data": sum(1 for r in rows if r.rank is not None),
        },
    )
