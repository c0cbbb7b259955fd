from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.models import Region
from kotacerdas.sensors.models import QUANTITIES, DeviceKind
from kotacerdas.tenants.models import Opd, Tenant


class DeviceForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=DeviceKind.choices)
    opd = forms.ModelChoiceField(
        label=_("OPD pemilik"), queryset=Opd.objects.none(), required=False
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan/desa"), queryset=Region.objects.none(), required=False
    )
    latitude = forms.FloatField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Bujur"), required=False, min_value=-180, max_value=180)
    installed_on = forms.DateField(
        label=_("Tanggal pasang"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_interval = forms.IntegerField(
        label=_("Interval kirim (detik)"), min_value=10, max_value=86400, initial=600
    )
    quantities = forms.MultipleChoiceField(
        label=_("Besaran (kosongkan untuk bawaan jenisnya)"),
        choices=[(k, v[0]) for k, v in QUANTITIES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.filter(tenant=tenant, is_active=True)  # type: ignore[attr-defined]
        self.fields["kelurahan"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            level=4, parent__parent_id=tenant.code
        ).order_by("name")


class RulesImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas aturan (JSON)"))


class CapImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CAP 1.2 (XML)"), required=False)
    url = forms.URLField(label=_("atau URL CAP"), required=False, assume_scheme="https")
