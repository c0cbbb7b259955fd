from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.economy.config import ADWI_CATEGORIES
from kotacerdas.economy.models import VillageClass


class RequestForm(forms.Form):
    """A visitor's enquiry, booking or order. Contact details are for the manager only."""

    visitor_name = forms.CharField(label=_("Nama Anda"), max_length=100)
    visitor_email = forms.EmailField(
        label=_("Surel"), help_text=_("Jawaban dikirim ke sini; tidak ditampilkan kepada publik.")
    )
    visitor_phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=20, required=False)
    check_in = forms.DateField(
        label=_("Tanggal datang"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    check_out = forms.DateField(
        label=_("Tanggal pulang"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    guests = forms.IntegerField(label=_("Jumlah orang"), min_value=1, max_value=500, required=False)
    quantity = forms.IntegerField(
        label=_("Jumlah pesanan"), min_value=1, max_value=100_000, required=False
    )
    message = forms.CharField(
        label=_("Pesan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != "homestay":
            del self.fields["check_in"], self.fields["check_out"]
        else:
            self.fields["check_in"].required = self.fields["check_out"].required = True
        if kind not in ("homestay", "paket"):
            del self.fields["guests"]
        if kind != "pesanan":
            del self.fields["quantity"]
        else:
            self.fields["quantity"].required = True
        if kind == "tanya":
            self.fields["message"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("check_in"), data.get("check_out")
        if start and start < timezone.localdate():
            self.add_error("check_in", _("Tanggal datang sudah lewat."))
        if start and end and end <= start:
            self.add_error("check_out", _("Tanggal pulang harus setelah tanggal datang."))
        if start and end and (end - start) > dt.timedelta(days=60):
            self.add_error("check_out", _("Paling lama 60 malam."))
        return data


class ReplyForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Tindakan"),
        choices=[
            ("answer", _("Jawab")),
            ("confirm", _("Konfirmasi")),
            ("decline", _("Tolak")),
            ("complete", _("Tandai selesai")),
        ],
    )
    reply = forms.CharField(
        label=_("Jawaban untuk pengunjung"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian Anda"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in ADWI_CATEGORIES.items():
            current = answers.get(code) or {}
            self.fields[f"{code}__score"] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", "-"), *[(i, str(i)) for i in range(1, 6)]],
                initial=current.get("score"),
            )
            self.fields[f"{code}__note"] = forms.CharField(
                label=_("Catatan"),
                max_length=1000,
                required=False,
                initial=current.get("note", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{code}__evidence"] = forms.URLField(
                label=_("Tautan bukti"),
                max_length=300,
                required=False,
                assume_scheme="https",
                initial=current.get("evidence", ""),
            )

    def answers(self) -> dict[str, dict[str, Any]]:
        return {
            code: {
                "score": self.cleaned_data.get(f"{code}__score"),
                "note": self.cleaned_data.get(f"{code}__note", ""),
                "evidence": self.cleaned_data.get(f"{code}__evidence", ""),
            }
            for code in ADWI_CATEGORIES
        }


class ReviewForm(forms.Form):
    village_class = forms.ChoiceField(label=_("Klasifikasi"), choices=VillageClass.choices)
    note = forms.CharField(
        label=_("Catatan penelaah"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PhotoForm(forms.Form):
    """A photo of the village itself or of one of its parts (``a<pk>`` an attraction, ``h<pk>``
    a homestay); a product's photo has no part."""

    image = forms.FileField(
        label=_("Foto"),
        help_text=_("JPG, PNG atau WebP, paling besar 8 MB. Lokasi dan data kamera dihapus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Keterangan foto"), max_length=150, required=False)
    part = forms.ChoiceField(label=_("Foto dari"), required=False)

    def __init__(self, *args: Any, parts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parts:
            part = self.fields["part"]
            assert isinstance(part, forms.ChoiceField)  # noqa: S101 - declared above
            part.choices = [("", _("Desa secara umum")), *parts]
        else:
            del self.fields["part"]


class EvidenceForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=list(ADWI_CATEGORIES.items()))
    file = forms.FileField(
        label=_("Berkas bukti"),
        help_text=_("PDF, JPG atau PNG, paling besar 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
