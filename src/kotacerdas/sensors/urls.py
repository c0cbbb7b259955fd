from __future__ import annotations

from django.urls import path

from kotacerdas.sensors import views

app_name = "sensors"

urlpatterns = [
    path("", views.public, name="public"),
    path("cap.xml", views.cap_feed, name="cap_feed"),
    path("peta/", views.staff_map, name="staff_map"),
    path("peringatan/", views.alerts, name="alerts"),
    path("perangkat/baru/", views.device_new, name="device_new"),
    path("perangkat/<int:pk>/", views.device, name="device"),
    path("perangkat/<int:pk>/token/", views.device_rotate, name="device_rotate"),
    path("perangkat/<int:pk>/pensiun/", views.device_retire, name="device_retire"),
    path("aturan/ekspor/", views.rules_export, name="rules_export"),
    path("aturan/impor/", views.rules_import, name="rules_import"),
    path("cap/impor/", views.cap_import, name="cap_import"),
]
