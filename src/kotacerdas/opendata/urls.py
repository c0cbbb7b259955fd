from django.urls import path

from kotacerdas.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("statistik/", views.statistics, name="statistics"),
    path("dataset/<slug:name>/", views.dataset_page, name="dataset"),
    path(
        "sumber/<uuid:resource_id>/versi/<int:number>/unduh/",
        views.version_download,
        name="version_download",
    ),
    path("kelola/", views.staff_list, name="staff_list"),
    path("kelola/baru/", views.staff_create, name="staff_create"),
    path("kelola/<uuid:pk>/", views.staff_dataset, name="staff_dataset"),
    path("kelola/<uuid:pk>/status/", views.staff_transition, name="staff_transition"),
    path("kelola/<uuid:pk>/metadata/", views.staff_metadata, name="staff_metadata"),
    path("kelola/<uuid:pk>/sumber/", views.staff_resource_add, name="staff_resource_add"),
    path("kelola/sumber/<uuid:resource_id>/unggah/", views.staff_upload, name="staff_upload"),
    path("kelola/versi/<int:version_id>/skema/", views.staff_confirm, name="staff_confirm"),
    path(
        "kelola/versi/<int:version_id>/terbitkan/",
        views.staff_version_publish,
        name="staff_version_publish",
    ),
]
