from django.urls import path

from kotacerdas.wifi import views

app_name = "wifi"

urlpatterns = [
    path("", views.public_map, name="public_map"),
    path("titik/<int:pk>/lapor/", views.report_problem, name="report_problem"),
    path("kelola/", views.registry, name="registry"),
    path("kelola/baru/", views.hotspot_new, name="new"),
    path("kelola/impor/", views.import_points, name="import"),
    path("kelola/ekspor.<str:fmt>", views.export_points, name="export"),
    path("kelola/angka/", views.figures, name="figures"),
    path("kelola/angka.<str:fmt>", views.figures_export, name="figures_export"),
    path("kelola/<int:pk>/", views.detail, name="detail"),
    path("kelola/<int:pk>/ubah/", views.hotspot_edit, name="edit"),
]
