from django.urls import path

from kotacerdas.opendata import views

app_name = "opendata"

urlpatterns = [
    path(
        "sumber/<uuid:resource_id>/versi/<int:number>/unduh/",
        views.version_download,
        name="version_download",
    ),
]
