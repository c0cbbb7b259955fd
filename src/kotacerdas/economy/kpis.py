"""Tourism and OVOP indicators and map layer for the leaders' dashboard."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpi_sql import median, share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.economy import selectors
from kotacerdas.economy.models import Product, TourismVillage, VillageClass, VisitorRequest
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.models import Tenant

APP = "economy"
_register = for_app(APP, dimension=Dimension.ECONOMY)


def _requests(q: KpiQuery) -> QuerySet[VisitorRequest]:
    return selectors.requests_of_period(
        VisitorRequest.objects.filter(tenant=q.tenant),
        start=q.start,
        end=q.end,
        kecamatan=q.kecamatan,
    )


def requests_received(q: KpiQuery) -> float | None:
    if q.opd_id is not None:  # tourism and OVOP figures belong to no single OPD
        return None
    n = _requests(q).count()
    return float(n) if n else None


def answered_share(q: KpiQuery) -> float | None:
    if q.opd_id is not None:
        return None
    counts = _requests(q).aggregate(
        total=Count("pk"), answered=Count("pk", filter=selectors.REQUEST_FIGURES["dijawab"])
    )
    return share(counts["answered"], counts["total"])


def bookings_received(q: KpiQuery) -> float | None:
    qs = _requests(q)
    if not qs.exists():
        return None
    return float(qs.filter(selectors.REQUEST_FIGURES["pemesanan"]).count())


def first_answer_hours(q: KpiQuery) -> float | None:
    """The median time from a request to the manager's first answer, in hours."""
    seconds = median(_requests(q), selectors.first_answer_seconds())
    return None if seconds is None else seconds / 3600


def permits_expiring(q: KpiQuery) -> float | None:
    """Product permits expiring within the next 90 days (a state now, not over the period)."""
    qs = selectors.permits_expiring(q.tenant, today=timezone.localdate())
    if q.kecamatan:
        qs = qs.filter(product__producer__village__parent_id=q.kecamatan)
    return float(qs.count())


def advanced_villages(q: KpiQuery) -> float | None:
    if q.opd_id is not None:
        return None
    qs = TourismVillage.objects.filter(tenant=q.tenant)
    if q.kecamatan:
        qs = qs.filter(village__parent_id=q.kecamatan)
    total = qs.count()
    if not total:
        return None
    return float(qs.filter(village_class__in=[VillageClass.MAJU, VillageClass.MANDIRI]).count())


def rated_products(q: KpiQuery) -> float | None:
    if q.opd_id is not None:
        return None
    qs = Product.objects.filter(producer__tenant=q.tenant)
    if q.kecamatan:
        qs = qs.filter(producer__village__parent_id=q.kecamatan)
    if not qs.exists():
        return None
    return float(qs.filter(stars__gte=4).count())


def _portal(q: KpiQuery) -> str:
    return reverse("economy:portal", args=[q.tenant.slug])


def _figures(q: KpiQuery, counted: str = "") -> str:
    """The figures page over the query's period and kecamatan (counts, never visitors: the
    inbox shows a leader none of the requests, whose contacts stay with their addressees),
    totalling the period's requests or, with ``counted``, its bookings or answered ones."""
    url = reverse("economy:figures", args=[q.tenant.slug])
    return list_filters.link(url, q, angka=counted) if counted else list_filters.link(url, q)


_register(
    "requests",
    _("Permintaan pengunjung desa wisata dan OVOP"),
    _("Pertanyaan, pemesanan homestay/paket dan pesanan produk yang masuk."),
    "permintaan",
    direction=Direction.UP,
    compute=requests_received,
    list_url=_figures,
)
_register(
    "answered",
    _("Permintaan pengunjung yang dijawab"),
    _("Bagian permintaan periode ini yang sudah dijawab pengelola."),
    "%",
    direction=Direction.UP,
    compute=answered_share,
    target=90.0,
    list_url=_figures,
)
_register(
    "bookings",
    _("Pemesanan homestay, paket dan produk"),
    _("Permintaan pemesanan homestay, paket wisata dan produk OVOP yang masuk."),
    "pemesanan",
    direction=Direction.UP,
    compute=bookings_received,
    list_url=lambda q: _figures(q, "pemesanan"),
)
_register(
    "first_answer_hours",
    _("Median waktu jawaban pertama permintaan pengunjung"),
    _("Median jam dari permintaan masuk sampai jawaban pertama pengelola."),
    "jam",
    direction=Direction.DOWN,
    compute=first_answer_hours,
    target=24.0,
    list_url=lambda q: _figures(q, "dijawab"),
)
_register(
    "permits_expiring",
    _("Izin produk OVOP yang berakhir dalam 90 hari"),
    _("PIRT, BPOM MD, halal dan SNI produk unggulan yang perlu segera diperpanjang."),
    "izin",
    direction=Direction.DOWN,
    compute=permits_expiring,
    list_url=lambda q: reverse("economy:figures", args=[q.tenant.slug]),
    snapshot=True,
)
_register(
    "advanced_villages",
    _("Desa wisata maju dan mandiri"),
    _("Desa wisata berklasifikasi maju atau mandiri saat ini."),
    "desa",
    direction=Direction.UP,
    dimension=Dimension.BRANDING,
    compute=advanced_villages,
    list_url=lambda q: _portal(q) + "?kelas=maju",
    snapshot=True,
)
_register(
    "rated_products",
    _("Produk OVOP bintang 4–5"),
    _("Produk unggulan desa dengan penilaian OVOP empat atau lima bintang."),
    "produk",
    direction=Direction.UP,
    compute=rated_products,
    list_url=_portal,
    snapshot=True,
)


def _villages(tenant: Tenant, kecamatan: str | None) -> QuerySet[TourismVillage]:
    qs = TourismVillage.objects.filter(tenant=tenant, published=True)
    return qs.filter(village__parent_id=kecamatan) if kecamatan else qs


register_layer(
    MapLayer(
        app=APP,
        code="villages",
        name=_("Desa wisata"),
        rows=_villages,
        lat="lat",
        lng="lng",
        status="village_class",
        statuses={
            VillageClass.RINTISAN: (_("Rintisan"), "#8a8f98"),
            VillageClass.BERKEMBANG: (_("Berkembang"), "#2f7ec1"),
            VillageClass.MAJU: (_("Maju"), "#1a7f37"),
            VillageClass.MANDIRI: (_("Mandiri"), "#7b3fb5"),
        },
    )
)
