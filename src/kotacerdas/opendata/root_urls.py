"""Mounted at ``/<tenant-slug>/``: the CKAN Action API at both paths CKAN serves."""

from django.urls import path

from kotacerdas.opendata import ckan

urlpatterns = [
    path("api/3/action/<str:action>", ckan.action_view, name="opendata_ckan_action"),
    path("api/action/<str:action>", ckan.action_view, name="opendata_ckan_action_legacy"),
]
