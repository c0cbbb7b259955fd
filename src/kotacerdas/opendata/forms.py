from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.opendata.config import FREQUENCIES, LICENSES, MS_VAR_FIELDS
from kotacerdas.opendata.models import Group, ResourceFormat
from kotacerdas.opendata.tabular import TABLE_TYPES
from kotacerdas.tenants.models import Opd, Tenant


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=255)
    notes = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opd = forms.ModelChoiceField(label=_("OPD produsen data"), queryset=Opd.objects.none())
    groups = forms.MultipleChoiceField(
        label=_("Kelompok"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(label=_("Tag"), required=False, help_text=_("Pisahkan dengan koma."))
    license_id = forms.ChoiceField(
        label=_("Lisensi"), choices=[(k, v.title) for k, v in LICENSES.items()], initial="CC-BY-4.0"
    )
    frequency = forms.ChoiceField(
        label=_("Frekuensi pembaruan"), choices=list(FREQUENCIES.items()), initial="ANNUAL"
    )
    temporal_start = forms.DateField(
        label=_("Cakupan waktu mulai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    temporal_end = forms.DateField(
        label=_("Cakupan waktu selesai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, tenant: Tenant, opd: Opd | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from kotacerdas.opendata.config import DEFAULT_GROUPS

        opd_field = self.fields["opd"]
        assert isinstance(opd_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        if opd is not None:  # a producer publishes for their own OPD only
            opd_field.queryset = Opd.objects.filter(pk=opd.pk)
            opd_field.initial = opd.pk
        else:
            opd_field.queryset = Opd.objects.filter(tenant=tenant, is_active=True)
        names = {name: str(title) for name, title in DEFAULT_GROUPS}
        names.update(dict(Group.objects.filter(tenant=tenant).values_list("name", "title")))
        groups_field = self.fields["groups"]
        assert isinstance(groups_field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        groups_field.choices = sorted(names.items())


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Nama sumber"), max_length=255)
    format = forms.ChoiceField(label=_("Format"), choices=ResourceFormat.choices)
    url = forms.URLField(
        label=_("Tautan (untuk format tautan)"), required=False, assume_scheme="https"
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))
    note = forms.CharField(label=_("Catatan perubahan"), required=False, max_length=500)


def schema_from_post(data: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The producer's confirmed schema from the confirm form: a type and the MS-Var fields per
    column (``type-<i>``, ``<key>-<i>``), and the primary key columns (``pk``)."""
    fields = []
    for i, field in enumerate(schema.get("fields", [])):
        item: dict[str, Any] = {
            "name": field["name"],
            "type": data.get(f"type-{i}", field.get("type", "string")),
        }
        for key in MS_VAR_FIELDS:
            value = (data.get(f"{key}-{i}") or "").strip()
            if value:
                item[key] = value
        fields.append(item)
    result: dict[str, Any] = {"fields": fields}
    keys = (
        [k for k in data.getlist("pk") if k in {f["name"] for f in fields}]
        if hasattr(data, "getlist")
        else []
    )
    if keys:
        result["primaryKey"] = keys
    return result


TYPE_CHOICES = sorted(TABLE_TYPES)


class MetadataForm(forms.Form):
    """The Satu Data metadata of a dataset; the data-standard and MS-Keg fields come from
    configuration (``config.DATA_STANDARD_FIELDS``, ``config.MS_KEG_FIELDS``)."""

    notes = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    license_id = forms.ChoiceField(
        label=_("Lisensi"), choices=[(k, v.title) for k, v in LICENSES.items()]
    )
    frequency = forms.ChoiceField(label=_("Frekuensi pembaruan"), choices=list(FREQUENCIES.items()))
    contact_name = forms.CharField(label=_("Kontak (unit kerja)"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Surel kontak"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from kotacerdas.opendata.config import DATA_STANDARD_FIELDS, MS_KEG_FIELDS

        for key, label in DATA_STANDARD_FIELDS.items():
            self.fields[f"sd_{key}"] = forms.CharField(
                label=str(label), required=False, max_length=2000
            )
        for key, label in MS_KEG_FIELDS.items():
            self.fields[f"keg_{key}"] = forms.CharField(
                label=_("MS-Keg: %(label)s") % {"label": label}, required=False, max_length=2000
            )

    @classmethod
    def initial_for(cls, dataset: Any) -> dict[str, Any]:
        initial = {
            "notes": dataset.notes,
            "license_id": dataset.license_id,
            "frequency": dataset.frequency,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
        }
        initial.update({f"sd_{k}": v for k, v in dataset.data_standard.items()})
        initial.update({f"keg_{k}": v for k, v in dataset.ms_keg.items()})
        return initial

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "notes": data["notes"],
            "license_id": data["license_id"],
            "frequency": data["frequency"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "data_standard": {k[3:]: v for k, v in data.items() if k.startswith("sd_") and v},
            "ms_keg": {k[4:]: v for k, v in data.items() if k.startswith("keg_") and v},
        }
