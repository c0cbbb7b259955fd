"""Lists that regulations define and may change: kept as data here, not as database constraints.

The OVOP commodity groups follow Kemenperin's OVOP programme (Permenperin 14/2021); the exact
group list of the regulation was not confirmed, so tenants may add groups through
``ECONOMY_EXTRA_PRODUCT_GROUPS``. The seven ADWI categories are those of the Anugerah Desa
Wisata Indonesia judging."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PRODUCT_GROUPS = {
    "makanan_minuman": _("Makanan dan minuman"),
    "hasil_perikanan": _("Hasil perikanan"),
    "kerajinan": _("Kerajinan"),
    "fesyen": _("Fesyen dan kain"),
    "herbal": _("Herbal dan jamu"),
}

ADWI_CATEGORIES = {
    "daya_tarik": _("Daya tarik wisata"),
    "homestay": _("Homestay"),
    "toilet": _("Toilet umum"),
    "suvenir": _("Suvenir"),
    "digital": _("Konten digital dan kreatif"),
    "chse": _("CHSE (kebersihan, kesehatan, keselamatan, lingkungan)"),
    "kelembagaan": _("Kelembagaan desa"),
}

FACILITIES = {
    "toilet": _("Toilet"),
    "parkir": _("Parkir"),
    "musala": _("Musala"),
    "ramah_difabel": _("Ramah difabel"),
    "warung": _("Warung makan"),
    "atm": _("ATM"),
}


def product_groups() -> dict[str, object]:
    extra = {
        code: code.replace("_", " ").capitalize() for code in settings.ECONOMY_EXTRA_PRODUCT_GROUPS
    }
    return {**PRODUCT_GROUPS, **extra}
