from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.services.models import FieldKind, Fulfilment, Location, Requirement, Service
from kotacerdas.services.nik import validate_kk, validate_nik
from kotacerdas.services.siak import clean_reference
from kotacerdas.tenants.models import Tenant


def _field_for(spec: Any, tenant: Tenant, required: bool) -> forms.Field:  # noqa: PLR0911 - one return per kind
    common: dict[str, Any] = {
        "label": spec.local_label,
        "required": required,
        "help_text": spec.local_help_text,
    }
    match spec.kind:
        case FieldKind.TEXTAREA:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common
            )
        case FieldKind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case FieldKind.NIK:
            return forms.CharField(
                max_length=20,
                validators=[validate_nik],
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                **common,
            )
        case FieldKind.KK:
            return forms.CharField(
                max_length=20,
                validators=[validate_kk],
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                **common,
            )
        case FieldKind.VILLAGE:
            villages = (
                Region.objects.villages_of_regency(tenant.code)
                .select_related("parent")
                .order_by("parent__name", "name")
            )
            choices = [("", "—")] + [
                (v.code, f"{v.name}, Kec. {v.parent.name}") for v in villages if v.parent
            ]
            return forms.ChoiceField(choices=choices, **common)
        case FieldKind.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *spec.choice_pairs()], **common)
        case FieldKind.NAME:
            return forms.CharField(
                max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}), **common
            )
        case FieldKind.PHONE:
            return forms.CharField(
                max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}), **common
            )
        case _:
            return forms.CharField(max_length=200, **common)


class ApplicationForm(forms.Form):
    """The service's own form fields, then how the citizen wants the result.

    With ``partial`` (saving a draft) nothing is required, but what is filled must be valid.
    """

    fulfilment = forms.ChoiceField(label=_("Cara menerima hasil"), widget=forms.RadioSelect)
    pickup_location = forms.ModelChoiceField(
        queryset=Location.objects.none(), label=_("Lokasi pengambilan"), required=False
    )
    delivery_address = forms.CharField(
        label=_("Alamat pengiriman"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, service: Service, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.partial = partial
        self.field_names = []
        specs = list(service.fields.all())
        for spec in specs:
            self.fields[f"f_{spec.name}"] = _field_for(
                spec, service.tenant, spec.required and not partial
            )
            self.field_names.append(spec.name)
        self.order_fields([f"f_{s.name}" for s in specs])
        fulfilment = self.fields["fulfilment"]
        pickup = self.fields["pickup_location"]
        assert isinstance(fulfilment, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(pickup, forms.ModelChoiceField)  # noqa: S101 - declared above
        fulfilment.choices = service.fulfilment_choices()
        fulfilment.required = not partial
        # Only the handover details this service can use.
        if not service.offers_pickup:
            del self.fields["pickup_location"]
        if not service.offers_delivery:
            del self.fields["delivery_address"]
        pickup.queryset = Location.objects.filter(tenant=service.tenant, is_active=True)
        # Needed only for one way of receiving the result: the label says when, instead of
        # "optional" (the template reads ``required_when``); ``clean`` enforces it.
        only_one = len(fulfilment.choices) == 1
        for name, when in (
            ("pickup_location", _("wajib bila hasil diambil")),
            ("delivery_address", _("wajib bila hasil diantar")),
        ):
            if name in self.fields:
                field = self.fields[name]
                field.required = only_one and not partial
                field.required_when = "" if only_one else when  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.partial:
            return data
        if data.get("fulfilment") == Fulfilment.PICKUP and not data.get("pickup_location"):
            self.add_error("pickup_location", _("Pilih lokasi pengambilan."))
        if data.get("fulfilment") == Fulfilment.DELIVERY and not data.get("delivery_address"):
            self.add_error("delivery_address", _("Isi alamat pengiriman lengkap dengan RT/RW."))
        return data

    def form_data(self) -> dict[str, str]:
        out = {}
        for name in self.field_names:
            value = self.cleaned_data.get(f"f_{name}")
            out[name] = (
                value.isoformat() if isinstance(value, dt.date) else str(value or "").strip()
            )
        return out

    @classmethod
    def initial_for(cls, application: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {f"f_{k}": v for k, v in (application.form_data or {}).items()}
        initial.update(
            fulfilment=application.fulfilment,
            pickup_location=application.pickup_location_id,
            delivery_address=application.delivery_address,
        )
        return initial


class UploadForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Berkas"), error_messages={"required": _("Pilih berkas atau ambil foto dahulu.")}
    )

    @staticmethod
    def accept_for(requirement: Requirement) -> str:
        types = requirement.accepted_type_list()
        parts = (["application/pdf", ".pdf"] if "pdf" in types else []) + (
            ["image/jpeg", "image/png", ".jpg", ".jpeg", ".png"]
            if {"jpg", "png"} & set(types)
            else []
        )
        return ",".join(parts)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReadyForm(forms.Form):
    result = forms.FileField(label=_("Dokumen hasil (PDF)"), required=False)
    note = forms.CharField(label=_("Catatan penyerahan"), max_length=255, required=False)


class SiakForm(forms.Form):
    """The reference of a step done by hand in the SIAK client (required by a manual adapter)."""

    reference = forms.CharField(
        label=_("Catat di SIAK: nomor referensi"),
        help_text=_("Catat data di aplikasi SIAK, lalu isi nomor referensinya di sini."),
        max_length=60,
        widget=forms.TextInput(
            attrs={"id": "siak-ref", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, needs_reference: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = needs_reference

    def clean_reference(self) -> str:
        value: str = self.cleaned_data["reference"]
        if not value and not self.fields["reference"].required:
            return ""
        try:
            return clean_reference(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
