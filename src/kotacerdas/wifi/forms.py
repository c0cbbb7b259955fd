from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant
from kotacerdas.wifi.models import Hotspot, Provider
from kotacerdas.wifi.services import EDITABLE_FIELDS

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class HotspotForm(forms.ModelForm):
    check_url = forms.URLField(
        label=_("URL status/portal"), max_length=300, required=False, assume_scheme="https"
    )

    class Meta:
        model = Hotspot
        fields = EDITABLE_FIELDS
        widgets = {
            "contract_start": forms.DateInput(attrs={"type": "date"}),
            "contract_end": forms.DateInput(attrs={"type": "date"}),
            "installed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.tenant = tenant
        self.fields["kelurahan"].queryset = Region.objects.villages_of_regency(tenant.code)  # type: ignore[attr-defined]
        self.fields["opd"].queryset = Opd.objects.filter(tenant=tenant)  # type: ignore[attr-defined]
        self.fields["provider"].queryset = Provider.objects.filter(tenant=tenant)  # type: ignore[attr-defined]
        self.fields["lat"].widget.attrs["id"] = "id_lat"
        self.fields["lng"].widget.attrs["id"] = "id_lng"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("Kontrak selesai sebelum mulai."))
        lat, lng = data.get("lat"), data.get("lng")
        if lat is not None and not -11 <= lat <= 6:
            self.add_error("lat", _("Lintang di luar wilayah Indonesia."))
        if lng is not None and not 94 <= lng <= 142:
            self.add_error("lng", _("Bujur di luar wilayah Indonesia."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Kolom seperti pada hasil ekspor. Baris dengan nama yang sudah ada diperbarui."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Hanya berkas .csv atau .xlsx."))
        return upload


class ReportProblemForm(forms.Form):
    """A citizen's "laporkan gangguan": becomes a complaint about the point."""

    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="",
        required=False,
        help_text=_("Misalnya: tidak bisa tersambung, sangat lambat, halaman login tidak muncul."),
    )
    name = forms.CharField(label=_("Nama"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Surel"),
        required=False,
        help_text=_("Untuk kabar tindak lanjut; tidak ditampilkan kepada publik."),
    )
