from django.urls import path

from kotacerdas.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("tren.json", views.trend, name="trend"),
    path("peta.json", views.map_data, name="map_data"),
    path("perbarui/", views.refresh, name="refresh"),
    path("dinding/", views.wall, name="wall"),
    path("dinding/isi/", views.wall_fragment, name="wall_fragment"),
    path("unduh.<str:fmt>", views.export, name="export"),
]
