from __future__ import annotations

from django.urls import path

from kotacerdas.emergency import views

app_name = "emergency"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("penelepon/", views.caller_lookup, name="caller"),
    path("papan/", views.board, name="board"),
    path("papan/dinding/", views.wall, name="wall"),
    path("papan/isi/", views.board_fragment, name="board_fragment"),
    path("papan/peta.json", views.board_map, name="board_map"),
    path("papan/stream/", views.board_stream, name="board_stream"),
    path("panggilan/", views.call_list, name="call_list"),
    path("insiden/", views.incident_list, name="incident_list"),
    path("insiden/<int:pk>/", views.incident_detail, name="incident"),
    path("insiden/<int:pk>/teruskan/", views.incident_dispatch, name="incident_dispatch"),
    path("insiden/<int:pk>/langkah/", views.incident_step, name="incident_step"),
    path("insiden/<int:pk>/tindak-lanjut/", views.incident_followup, name="incident_followup"),
    path("blokir/", views.blocks, name="blocks"),
    path("blokir/<int:pk>/buka/", views.block_lift, name="block_lift"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/unduh/<str:name>.<str:fmt>", views.report_export, name="report_export"),
    path("laporan/bulanan.pdf", views.monthly_pdf, name="monthly_pdf"),
]
