"""The masterplan's indicators for the leaders' dashboard (see ``core/kpis.py``).

Progress per smart-city dimension, quick wins delivered, budget realisation, programmes late
on reporting and the latest Kominfo evaluation index, from this app's own tables. An
OPD-scoped query narrows to the programmes that OPD leads; programmes have no kecamatan, so
under a kecamatan filter these indicators have no data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpi_national import register_national, share_by_tenant
from kotacerdas.core.kpi_sql import share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.planning.models import (
    BudgetLine,
    Programme,
    ProgrammeStatus,
    ProgressReport,
    ReportStatus,
    Term,
)
from kotacerdas.planning.selectors import evaluation_results, overdue_reports

APP = "planning"


def _programmes(q: KpiQuery) -> QuerySet[Programme] | None:
    if q.kecamatan:
        return None
    qs = Programme.objects.filter(tenant=q.tenant)
    if q.opd_id is not None:
        qs = qs.filter(lead_opd_id=q.opd_id)
    return qs


def _last_day(q: KpiQuery) -> dt.date:
    """The last local day of the period (``end`` is exclusive)."""
    return timezone.localtime(q.end - dt.timedelta(microseconds=1)).date()


def _progress(dimension: str) -> Callable[[KpiQuery], float | None]:
    def compute(q: KpiQuery) -> float | None:
        """Mean physical progress (%) of the dimension's running programmes, each at its
        latest approved report of a period that started by the end of the query period."""
        programmes = _programmes(q)
        if programmes is None:
            return None
        latest = (
            ProgressReport.objects.filter(
                programme__in=programmes.filter(dimension__code=dimension).exclude(
                    status=ProgrammeStatus.SUSPENDED
                ),
                status=ReportStatus.APPROVED,
                period_start__lte=_last_day(q),
            )
            .values("programme_id")
            .annotate(progress=Max("physical_progress"))
            .values_list("progress", flat=True)
        )
        # Progress is cumulative, so the highest approved figure is the latest one.
        values = [float(v) for v in latest]  # one row per programme: bounded by the plan
        return sum(values) / len(values) if values else None

    return compute


def quick_wins_delivered(q: KpiQuery) -> float | None:
    programmes = _programmes(q)
    if programmes is None:
        return None
    counts = programmes.filter(term=Term.QUICK_WIN).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ProgrammeStatus.COMPLETED))
    )
    return share(counts["done"], counts["total"])


def budget_realisation(q: KpiQuery) -> float | None:
    """Budget realised in the approved reports of the period's years up to its end, as a
    share of the budget planned for those years."""
    programmes = _programmes(q)
    if programmes is None:
        return None
    first_year, last_day = timezone.localtime(q.start).year, _last_day(q)
    planned = BudgetLine.objects.filter(
        programme__in=programmes, year__gte=first_year, year__lte=last_day.year
    ).aggregate(s=Sum("amount"))["s"]
    if not planned:
        return None
    realised = ProgressReport.objects.filter(
        programme__in=programmes,
        status=ReportStatus.APPROVED,
        period_start__gte=dt.date(first_year, 1, 1),
        period_end__lte=last_day,
    ).aggregate(s=Sum("budget_realised"))["s"]
    return 100.0 * float(realised or 0) / float(planned)


def programmes_late(q: KpiQuery) -> float | None:
    """Programmes with at least one progress report past its due date and not submitted,
    as of the end of the period (or today)."""
    programmes = _programmes(q)
    if programmes is None or not programmes.exists():
        return None
    today = min(_last_day(q), timezone.localdate())
    late = {item.programme.pk for item in overdue_reports(q.tenant, today, programmes=programmes)}
    return float(len(late))


def kominfo_index(q: KpiQuery) -> float | None:
    """The overall index (1–5) of the latest Kominfo evaluation up to the period's year."""
    if q.kecamatan or q.opd_id is not None:
        return None
    year = _last_day(q).year
    results = [r for r in evaluation_results(q.tenant) if r.evaluation.year <= year]
    return results[-1].overall if results else None


def _dashboard(q: KpiQuery) -> str:
    return reverse("planning:dashboard", kwargs={"tenant_slug": q.tenant.slug})


def _reports(q: KpiQuery) -> str:
    return reverse("planning:reports", kwargs={"tenant_slug": q.tenant.slug})


def _evaluations(q: KpiQuery) -> str:
    return reverse("planning:evaluations", kwargs={"tenant_slug": q.tenant.slug})


_register = for_app(APP, dimension=Dimension.GOVERNANCE)


_DIMENSION_NAMES = {
    Dimension.GOVERNANCE: _("Kemajuan program Smart Governance"),
    Dimension.BRANDING: _("Kemajuan program Smart Branding"),
    Dimension.ECONOMY: _("Kemajuan program Smart Economy"),
    Dimension.LIVING: _("Kemajuan program Smart Living"),
    Dimension.SOCIETY: _("Kemajuan program Smart Society"),
    Dimension.ENVIRONMENT: _("Kemajuan program Smart Environment"),
}
for _dimension, _name in _DIMENSION_NAMES.items():
    _register(
        f"progress_{_dimension.value}",
        _name,
        _(
            "Rata-rata kemajuan fisik program masterplan dimensi ini, menurut laporan "
            "kemajuan terakhir yang disetujui."
        ),
        "%",
        direction=Direction.UP,
        dimension=_dimension,
        compute=_progress(_dimension.value),
        list_url=_dashboard,
        snapshot=True,
    )
_register(
    "quick_wins_delivered",
    _("Quick win terlaksana"),
    _("Persentase program quick win masterplan yang sudah selesai."),
    "%",
    direction=Direction.UP,
    dimension=Dimension.GOVERNANCE,
    compute=quick_wins_delivered,
    target=100,
    list_url=_dashboard,
    snapshot=True,
)
_register(
    "budget_realisation",
    _("Realisasi anggaran program"),
    _(
        "Anggaran terealisasi menurut laporan kemajuan yang disetujui, dibanding pagu "
        "tahun berjalan."
    ),
    "%",
    direction=Direction.UP,
    dimension=Dimension.GOVERNANCE,
    compute=budget_realisation,
    list_url=_dashboard,
)
_register(
    "programmes_late",
    _("Program terlambat melapor"),
    _("Program yang laporan kemajuannya melewati batas dan belum diajukan."),
    "program",
    direction=Direction.DOWN,
    dimension=Dimension.GOVERNANCE,
    compute=programmes_late,
    target=0,
    list_url=_reports,
    snapshot=True,
)
_register(
    "kominfo_index",
    _("Indeks evaluasi kota cerdas (Kominfo)"),
    _("Indeks keseluruhan (1–5) evaluasi Kominfo terakhir sampai tahun periode."),
    "indeks",
    direction=Direction.UP,
    dimension=Dimension.GOVERNANCE,
    compute=kominfo_index,
    target=3.5,
    list_url=_evaluations,
    snapshot=True,
)


def _quick_wins_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    """National comparison: the share of quick wins delivered, every tenant in one query."""
    return share_by_tenant(
        Programme.objects.filter(term=Term.QUICK_WIN), part=Q(status=ProgrammeStatus.COMPLETED)
    )


register_national(f"{APP}.quick_wins_delivered", _quick_wins_by_tenant)
