from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.complaints import selectors as complaint_selectors
from kotacerdas.emergency.models import CallType, IncidentCategory
from kotacerdas.regions.models import Region
from kotacerdas.regions.selectors import village_choices
from kotacerdas.tenants.models import Opd, Tenant


def kelurahan_choices(tenant: Tenant) -> list[tuple[str, list[tuple[str, str]]]]:
    """Villages grouped by kecamatan (an <optgroup> each), so typing a name finds it at once."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in village_choices(tenant.code):
        kecamatan = village.parent.name if village.parent else ""
        groups.setdefault(f"Kec. {kecamatan}", []).append(
            (village.code, f"{village.name} ({kecamatan})")
        )
    return list(groups.items())


class IntakeForm(forms.Form):
    """One call; for a normal call also its incident. Field order is the tab order."""

    caller_number = forms.CharField(
        label=_("Nomor penelepon"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "accesskey": "n",
                "inputmode": "tel",
                "autocomplete": "off",
                "type": "tel",
            }
        ),
    )
    caller_name = forms.CharField(
        label=_("Nama penelepon"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    call_type = forms.ChoiceField(
        label=_("Jenis panggilan"),
        choices=CallType.choices,
        widget=forms.RadioSelect,
        initial=CallType.NORMAL,
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=IncidentCategory.objects.none(),
        required=False,
        to_field_name="code",
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    landmark = forms.CharField(label=_("Patokan/alamat"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Uraian kejadian"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    people_involved = forms.CharField(
        label=_("Orang terlibat"),
        max_length=255,
        required=False,
        help_text=_("Misalnya: 2 korban luka, 1 terjebak."),
    )
    latitude = forms.DecimalField(
        label=_("Lintang"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-11),
        max_value=Decimal(6),
    )
    longitude = forms.DecimalField(
        label=_("Bujur"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(95),
        max_value=Decimal(141),
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, tenant: Tenant, lookup_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        if lookup_url:  # htmx: the caller's history appears while the number is typed
            self.fields["caller_number"].widget.attrs.update(
                {
                    "hx-get": lookup_url,
                    "hx-trigger": "input changed delay:300ms, blur",
                    "hx-target": "#caller-history",
                }
            )
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = IncidentCategory.objects.filter(tenant=tenant, is_active=True)
        kelurahan = cast(forms.ChoiceField, self.fields["kelurahan"])
        kelurahan.choices = [("", "—"), *kelurahan_choices(tenant)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("call_type") == CallType.NORMAL:
            required = {
                "category": _("Pilih kategori kejadian."),
                "kelurahan": _("Pilih kelurahan/desa kejadian."),
                "landmark": _("Isi patokan atau alamat kejadian."),
                "description": _("Isi uraian kejadian."),
            }
            for field, message in required.items():
                if not data.get(field):
                    self.add_error(field, message)
            if (data.get("latitude") is None) != (data.get("longitude") is None):
                self.add_error(
                    "longitude", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
                )
        if data.get("kelurahan"):
            data["kelurahan_region"] = Region.objects.filter(pk=data["kelurahan"]).first()
        return data


class UnblockForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka blokir"),
        min_length=5,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class FollowupForm(forms.Form):
    """A follow-up complaint for an OPD from a closed incident (e.g. clearing a fallen tree)."""

    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Kategori aduan")
    )
    opd = forms.ModelChoiceField(queryset=Opd.objects.none(), label=_("OPD tujuan"))
    summary = forms.CharField(
        label=_("Yang perlu ditindaklanjuti"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["category"]
        ).queryset = complaint_selectors.active_categories(tenant)
        cast(forms.ModelChoiceField, self.fields["opd"]).queryset = Opd.objects.active().filter(
            tenant=tenant
        )
