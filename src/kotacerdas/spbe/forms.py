from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.spbe.scoring import FrameworkSpec, IndicatorSpec
from kotacerdas.spbe.services import MIN_YEAR


class AssessmentCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun penilaian"), min_value=MIN_YEAR)
    copy_previous = forms.BooleanField(
        label=_("Salin tingkat dan penjelasan dari penilaian sebelumnya"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year + 1))
        self.fields["year"].widget.attrs["max"] = this_year + 1
        self.fields["year"].initial = this_year


def level_choices(spec: FrameworkSpec, indicator: IndicatorSpec) -> list[tuple[int, str]]:
    return [
        (level, f"{level} - {spec.level_name(indicator, level)}".removesuffix(" - "))
        for level in range(spec.min_level, spec.max_level + 1)
    ]


class IndicatorScoreForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Tingkat kematangan"), coerce=int, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mengapa tingkat ini tercapai: kebijakan, dokumen, sistem yang dipakai."),
    )

    def __init__(
        self, *args: Any, spec: FrameworkSpec, indicator: IndicatorSpec, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(spec, indicator)  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Bukti dukung"), help_text=_("PDF, PNG, JPG, DOCX atau XLSX, paling besar 10 MB.")
    )
