from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.i18n import ENGLISH_HELP
from kotacerdas.planning import metrics
from kotacerdas.planning.models import (
    BudgetSource,
    Dimension,
    Direction,
    Element,
    Kpi,
    Masterplan,
    PartnerKind,
    Programme,
    ProgressReport,
    ReadinessEntry,
)
from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.scoring import COMPONENTS
from kotacerdas.planning.selectors import frequency_of
from kotacerdas.planning.services import BudgetIn, KpiIn, PartnerIn
from kotacerdas.tenants.models import Opd, Tenant

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "name_en",
            "description",
            "description_en",
            "dimension",
            "element",
            "term",
            "status",
            "lead_opd",
            "supporting_opds",
            "rpjmd_programme",
            "start_year",
            "end_year",
            "reporting_from",
        ]
        widgets = {
            "supporting_opds": forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
            "reporting_from": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opds = Opd.objects.active().filter(tenant=tenant).order_by("acronym")
        self.fields["lead_opd"].queryset = opds  # type: ignore[attr-defined]
        self.fields["supporting_opds"].queryset = opds  # type: ignore[attr-defined]
        self.fields["supporting_opds"].required = False
        self.fields["element"].queryset = Element.objects.select_related("dimension")  # type: ignore[attr-defined]
        self.fields["dimension"].queryset = Dimension.objects.all()  # type: ignore[attr-defined]
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("start_year", today.year)
            self.initial.setdefault("end_year", today.year)
            # New programmes report from the current period on, so they are not born overdue.
            self.initial.setdefault(
                "reporting_from", period_containing(today, frequency_of(tenant)).start
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        element, dimension = data.get("element"), data.get("dimension")
        if element and dimension and element.dimension_id != dimension.pk:
            self.add_error("element", _("Elemen ini bukan bagian dari dimensi yang dipilih."))
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Tahun selesai tidak boleh sebelum tahun mulai."))
        return data


class _RowForm(forms.Form):
    """A formset row whose fields are all optional: an empty row is ignored (or deletes)."""

    required_fields: tuple[str, ...] = ()
    not_content: tuple[str, ...] = ()  # fields whose value alone does not make a row "filled"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(v not in (None, "", {}) for k, v in data.items() if k not in self.not_content)
        if filled:
            for name in self.required_fields:
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Wajib diisi."))
        data["_empty"] = not filled
        return data


class PartnerForm(_RowForm):
    required_fields = ("kind", "name")
    kind = forms.ChoiceField(
        label=gettext_lazy("Unsur"), choices=[("", "—"), *PartnerKind.choices], required=False
    )
    name = forms.CharField(label=gettext_lazy("Nama mitra"), max_length=200, required=False)


class BudgetForm(_RowForm):
    required_fields = ("year", "source", "amount")
    year = forms.IntegerField(
        label=gettext_lazy("Tahun"), min_value=2000, max_value=2100, required=False
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Sumber dana"),
        choices=[("", "—"), *BudgetSource.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Pagu (Rp)"), min_value=0, decimal_places=0, required=False
    )


TARGET_RE = re.compile(r"^\s*(\d{4})\s*[:=]\s*(-?[\d.,]+)\s*$")


def parse_targets(text: str) -> dict[int, Decimal]:
    """``"2026: 80; 2027: 90"`` -> {2026: 80, 2027: 90}; raises ValidationError with the bad part."""
    targets: dict[int, Decimal] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
        match = TARGET_RE.match(part)
        try:
            if not match:
                raise InvalidOperation
            targets[int(match.group(1))] = Decimal(match.group(2).replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _("“%(part)s” tidak terbaca; tulis seperti 2026: 80; 2027: 90.") % {"part": part}
            ) from None
    return targets


class KpiForm(_RowForm):
    required_fields = ("name", "unit", "baseline")
    not_content = ("pk", "direction")
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Indikator"), max_length=200, required=False)
    name_en = forms.CharField(
        label=gettext_lazy("Indikator (Inggris)"),
        max_length=200,
        required=False,
        help_text=ENGLISH_HELP,
    )
    unit = forms.CharField(label=gettext_lazy("Satuan"), max_length=40, required=False)
    unit_en = forms.CharField(
        label=gettext_lazy("Satuan (Inggris)"),
        max_length=40,
        required=False,
        help_text=ENGLISH_HELP,
    )
    baseline = forms.DecimalField(
        label=gettext_lazy("Nilai dasar"), max_digits=14, decimal_places=2, required=False
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Arah"),
        choices=Direction.choices,
        initial=Direction.HIGHER,
        required=False,
    )
    metric = forms.ChoiceField(label=gettext_lazy("Metrik platform"), choices=(), required=False)
    targets = forms.CharField(
        label=gettext_lazy("Target tahunan"),
        required=False,
        help_text=gettext_lazy("Contoh: 2026: 80; 2027: 90"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metrics.choices()  # type: ignore[attr-defined]

    def clean_targets(self) -> dict[int, Decimal]:
        return parse_targets(self.cleaned_data.get("targets") or "")


PartnerFormSet = forms.formset_factory(PartnerForm, extra=2)
BudgetFormSet = forms.formset_factory(BudgetForm, extra=3)
KpiFormSet = forms.formset_factory(KpiForm, extra=2)


def programme_initial(programme: Programme) -> dict[str, list[dict[str, Any]]]:
    return {
        "partners": [{"kind": p.kind, "name": p.name} for p in programme.partners.all()],
        "budget": [
            {"year": b.year, "source": b.source, "amount": b.amount}
            for b in programme.budget_lines.all()
        ],
        "kpis": [
            {
                "pk": k.pk,
                "name": k.name,
                "name_en": k.name_en,
                "unit": k.unit,
                "unit_en": k.unit_en,
                "baseline": k.baseline,
                "direction": k.direction,
                "metric": k.metric,
                "targets": "; ".join(f"{t.year}: {t.value.normalize():f}" for t in k.targets.all()),
            }
            for k in programme.kpis.all()
        ],
    }


def rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("_empty")
    ]


def partners_in(formset: forms.BaseFormSet) -> list[PartnerIn]:
    return [PartnerIn(r["kind"], r["name"]) for r in rows(formset)]


def budget_in(formset: forms.BaseFormSet) -> list[BudgetIn]:
    return [BudgetIn(r["year"], r["source"], r["amount"]) for r in rows(formset)]


def kpis_in(formset: forms.BaseFormSet) -> list[KpiIn]:
    return [
        KpiIn(
            r["name"],
            r["unit"],
            r["baseline"],
            r["direction"] or Direction.HIGHER,
            r["metric"] or "",
            r["targets"],
            r["pk"],
            r["name_en"],
            r["unit_en"],
        )
        for r in rows(formset)
    ]


class ReportForm(forms.ModelForm):
    evidence = forms.FileField(
        label=gettext_lazy("Bukti dukung"),
        required=False,
        help_text=gettext_lazy("PDF, JPG, PNG, DOCX atau XLSX, paling besar 10 MB."),
    )

    class Meta:
        model = ProgressReport
        fields = ["physical_progress", "budget_realised", "achievements", "challenges", "obstacles"]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 3}),
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, kpis: list[Kpi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        actuals = (
            {a.kpi_id: a.value for a in self.instance.actuals.all()} if self.instance.pk else {}
        )
        for kpi in kpis:
            help_text = _("Diisi otomatis dari data platform bila tersedia.") if kpi.metric else ""
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=_("Realisasi IKU: %(name)s (%(unit)s)")
                % {"name": kpi.local_name, "unit": kpi.local_unit},
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=actuals.get(kpi.pk),
                help_text=help_text,
            )

    def actuals(self) -> dict[int, Decimal]:
        return {
            kpi.pk: self.cleaned_data[f"kpi_{kpi.pk}"]
            for kpi in self.kpis
            if self.cleaned_data.get(f"kpi_{kpi.pk}") is not None
        }


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WeightsForm(forms.Form):
    baseline = forms.IntegerField(
        label=gettext_lazy("Bobot baseline (%)"), min_value=0, max_value=100
    )
    output = forms.IntegerField(label=gettext_lazy("Bobot output (%)"), min_value=0, max_value=100)
    outcome = forms.IntegerField(
        label=gettext_lazy("Bobot outcome (%)"), min_value=0, max_value=100
    )
    impact = forms.IntegerField(label=gettext_lazy("Bobot impact (%)"), min_value=0, max_value=100)
    quick_win = forms.IntegerField(
        label=gettext_lazy("Bobot quick win (%)"), min_value=0, max_value=100
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(name in data for name in COMPONENTS) and sum(data[n] for n in COMPONENTS) != 100:
            raise forms.ValidationError(
                _("Jumlah bobot harus 100, bukan %(total)s.")
                % {"total": sum(data[n] for n in COMPONENTS)}
            )
        return data


class DimensionScoreForm(forms.Form):
    baseline = forms.TypedChoiceField(label="Baseline", choices=SCORE_CHOICES, coerce=int)
    output = forms.TypedChoiceField(label="Output", choices=SCORE_CHOICES, coerce=int)
    outcome = forms.TypedChoiceField(label="Outcome", choices=SCORE_CHOICES, coerce=int)
    impact = forms.TypedChoiceField(label="Impact", choices=SCORE_CHOICES, coerce=int)
    quick_win = forms.TypedChoiceField(label="Quick win", choices=SCORE_CHOICES, coerce=int)
    justification = forms.CharField(
        label=gettext_lazy("Justifikasi"), widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=gettext_lazy("Bukti dukung"), required=False)


class MasterplanForm(forms.ModelForm):
    class Meta:
        model = Masterplan
        fields = [
            "title",
            "vision",
            "mission",
            "strategy",
            "start_year",
            "horizon_years",
            "short_term_end",
            "medium_term_end",
            "rpjmd_reference",
            "reporting_frequency",
            "report_due_days",
        ]
        widgets = {
            n: forms.Textarea(attrs={"rows": 3})
            for n in ("vision", "mission", "strategy", "rpjmd_reference")
        }


class ReadinessForm(forms.ModelForm):
    class Meta:
        model = ReadinessEntry
        fields = ["leg", "kind", "description", "score"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
