"""Mounted at ``/<tenant-slug>/``: the CKAN Action API at both paths CKAN serves, and the
DCAT documents where ckanext-dcat serves them."""

from django.urls import path

from kotacerdas.opendata import ckan, dcat

urlpatterns = [
    path("api/3/action/<str:action>", ckan.action_view, name="opendata_ckan_action"),
    path("api/action/<str:action>", ckan.action_view, name="opendata_ckan_action_legacy"),
    path("catalog.<str:fmt>", dcat.catalog_view, name="opendata_dcat_catalog"),
    path("dataset/<slug:name>.<str:fmt>", dcat.dataset_view, name="opendata_dcat_dataset"),
]
