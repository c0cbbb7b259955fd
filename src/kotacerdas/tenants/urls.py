from django.urls import path

from kotacerdas.tenants import views

app_name = "tenants"
urlpatterns = [
    path("batas.geojson", views.boundary, name="boundary"),
    path("peta/", views.map_settings, name="map_settings"),
]
