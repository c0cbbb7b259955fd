from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kotacerdas.tenants.geo import MAX_BOUNDARY_BYTES, parse_boundary


class MapSettingsForm(forms.Form):
    center_lat = forms.DecimalField(
        label=_("Lintang pusat peta"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    center_lng = forms.DecimalField(
        label=_("Bujur pusat peta"), max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    zoom = forms.IntegerField(label=_("Zoom"), min_value=3, max_value=18)
    boundary_file = forms.FileField(
        label=_("Batas wilayah (berkas GeoJSON)"),
        required=False,
        help_text=_(
            "Polygon atau MultiPolygon dalam koordinat WGS 84, paling besar 5 MB. Kosongkan untuk mempertahankan batas yang ada."
        ),
    )
    clear_boundary = forms.BooleanField(label=_("Hapus batas wilayah"), required=False)

    def clean_boundary_file(self) -> dict[str, Any] | None:
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > MAX_BOUNDARY_BYTES:
            raise ValidationError(_("Berkas GeoJSON lebih dari 5 MB."), code="geojson_size")
        return parse_boundary(upload.read())
