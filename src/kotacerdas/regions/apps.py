from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kotacerdas.regions"
    label = "regions"
    verbose_name = _("Wilayah")
    # Run by `kotacerdas setup`: loads every province, kabupaten/kota, kecamatan and desa.
    setup_step = "kotacerdas.regions.management.commands.load_regions.load_into"
