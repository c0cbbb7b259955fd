from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.complaints.config import config_for
from kotacerdas.complaints.models import (
    STAFF_CHANNELS,
    AttributeDatatype,
    Category,
    CategoryAttribute,
    Classification,
    Confidentiality,
    Severity,
    Status,
)
from kotacerdas.complaints.photos import MAX_PHOTOS
from kotacerdas.complaints.services import MAX_DESCRIPTION, attributes_clean
from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Paling banyak 5 foto."))
        return files


def kelurahan_choices(tenant: Tenant) -> list[Any]:
    """Kelurahan/desa grouped by kecamatan, for one select without JavaScript."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, kecamatan in config_for(tenant).villages:
        groups.setdefault(f"Kec. {kecamatan}", []).append((code, name))
    return [("", "—"), *groups.items()]


DESCRIPTION_ERRORS = {
    "max_length": _("Uraian terlalu panjang: maksimal 4.000 karakter (sekarang %(show_value)d)."),
    "required": _("Ceritakan masalahnya."),
}


class ReportForm(forms.Form):
    """A citizen's report. Categories, their questions and the kelurahan/desa come from the
    tenant's cached configuration (``complaints.config``): checking a choice costs no query."""

    category = forms.ChoiceField(label=_("Kategori"))
    description = forms.CharField(
        label=_("Uraian"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=DESCRIPTION_ERRORS,
        help_text=_("Apa masalahnya, sejak kapan, seberapa parah. Maksimal 4.000 karakter."),
    )
    photos = PhotosField(label=_("Foto (maksimal 5)"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    region = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    address = forms.CharField(label=_("Alamat atau patokan"), max_length=255, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Kerahasiaan"),
        choices=Confidentiality.choices,
        initial=Confidentiality.ANONIM,
        widget=forms.RadioSelect,
        help_text=_(
            "Anonim: laporan tampil tanpa identitas Anda. Rahasia: laporan tidak tampil untuk publik."
        ),
    )
    reporter_name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    reporter_email = forms.EmailField(label=_("Surel"), required=False)
    reporter_phone = forms.CharField(label=_("Nomor HP"), max_length=30, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    confirm_new = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        config = config_for(tenant)
        self.categories = config.by_pk
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Pilih kategori")),
            *((c.pk, c.local_name) for c in config.categories),
        ]
        self.attribute_groups = self._add_attribute_fields(config.categories)
        cast(forms.ChoiceField, self.fields["region"]).choices = kelurahan_choices(tenant)
        self.villages = {code: name for code, name, _kecamatan in config.villages}
        self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def _add_attribute_fields(self, categories: Sequence[Category]) -> list[dict[str, Any]]:
        """One optional field per extra question of every category; only the chosen category's
        answers are kept and checked (in ``clean``). Returns the groups for the template."""
        groups = []
        for category in categories:
            names = []
            for attribute in category.attributes.all():  # prefetched
                name = f"attr_{category.pk}_{attribute.code}"
                self.fields[name] = _attribute_field(attribute)
                names.append(name)
            if names:
                groups.append({"category": category, "names": names})
        return groups

    def clean_category(self) -> Category:
        return self.categories[int(self.cleaned_data["category"])]  # a valid choice

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return Region(code=code, name=self.villages[code]) if code else None

    def attribute_fieldsets(self) -> list[dict[str, Any]]:
        return [
            {"category": g["category"], "fields": [self[name] for name in g["names"]]}
            for g in self.attribute_groups
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        data["attributes"] = {}
        if category is not None:
            raw: dict[str, list[str]] = {}
            for attribute in category.attributes.all():
                value = data.get(f"attr_{category.pk}_{attribute.code}")
                raw[attribute.code] = (
                    [str(v) for v in value] if isinstance(value, list) else [value or ""]
                )
            try:
                data["attributes"] = attributes_clean(category, raw)
            except DomainError as error:
                self.add_error(None, error.message)
        if (
            data.get("lat") is None
            and not data.get("region")
            and not (data.get("address") or "").strip()
        ):
            raise forms.ValidationError(
                _("Tentukan lokasi: titik di peta, kelurahan/desa, atau alamat/patokan.")
            )
        return data


def _attribute_field(attribute: CategoryAttribute) -> forms.Field:
    label = attribute.description + (" *" if attribute.required else "")
    options: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": attribute.datatype_description,
    }
    choices = [(str(v["key"]), v["name"]) for v in attribute.values]
    match attribute.datatype:
        case AttributeDatatype.NUMBER:
            return forms.CharField(
                widget=forms.TextInput(attrs={"inputmode": "decimal"}), **options
            )
        case AttributeDatatype.DATETIME:
            return forms.CharField(
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **options
            )
        case AttributeDatatype.TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, **options
            )
        case AttributeDatatype.SINGLE:
            return forms.ChoiceField(choices=[("", "—"), *choices], **options)
        case AttributeDatatype.MULTI:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **options
            )
        case _:
            return forms.CharField(max_length=255, **options)


class StaffEntryForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Diterima melalui"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    field_order = ["channel"]


class TrackForm(forms.Form):
    ticket = forms.CharField(label=_("Nomor tiket"), max_length=30)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai penanganan"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Komentar"), max_length=500, required=False)


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label=_("Klasifikasi"), choices=Classification.choices)
    severity = forms.ChoiceField(label=_("Tingkat"), choices=Severity.choices)
    confidentiality = forms.ChoiceField(label=_("Kerahasiaan"), choices=Confidentiality.choices)


class OpdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Opd) -> str:
        return f"{obj.name} ({obj.acronym})"


class OpdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Opd) -> str:
        return f"{obj.name} ({obj.acronym})"


def _tenant_opds(tenant: Tenant) -> Any:
    return Opd.objects.active().filter(tenant=tenant).order_by("name")


class DisposeForm(forms.Form):
    # Checkboxes with full names, filtered as you type by complaints/staff.js; without
    # JavaScript the plain list still works.
    opds = OpdMultipleChoiceField(
        queryset=Opd.objects.none(),
        label=_("OPD tujuan"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "opd-picker"}),
        help_text=_("Ketik untuk mencari OPD menurut nama atau singkatan."),
    )
    note = forms.CharField(label=_("Catatan"), max_length=1000, required=False)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["opds"]).queryset = _tenant_opds(tenant)


class ForwardForm(forms.Form):
    opd = OpdChoiceField(queryset=Opd.objects.none(), label=_("Teruskan ke OPD"))
    note = forms.CharField(label=_("Catatan"), max_length=1000, required=False)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["opd"]).queryset = _tenant_opds(tenant)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan atau alasan"), max_length=1000, required=False)


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("Tanggapan"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(label=_("Tampilkan untuk publik"), required=False, initial=True)
    photos = PhotosField(label=_("Foto (maksimal 5)"), required=False)


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Nomor tiket atau kata dalam uraian")}),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), label=_("Kategori"), required=False
    )
    opd = forms.ModelChoiceField(queryset=Opd.objects.none(), label=_("OPD"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua")), *Status.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("Tingkat"), choices=[("", _("Semua")), *Severity.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)

    def __init__(self, *args: Any, tenant: Tenant, with_opd: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.filter(
            tenant=tenant
        )
        if with_opd:
            cast(forms.ModelChoiceField, self.fields["opd"]).queryset = (
                Opd.objects.active().filter(tenant=tenant).order_by("name")
            )
        else:  # an OPD operator sees only their own OPD's complaints anyway
            del self.fields["opd"]
