from django.urls import path

from kotacerdas.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("masterplan.<str:fmt>", views.masterplan_export, name="masterplan_export"),
    path("masterplan/ubah/", views.masterplan_edit, name="masterplan_edit"),
    path("kesiapan/tambah/", views.readiness_add, name="readiness_add"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("program/baru/", views.programme_create, name="programme_create"),
    path("program/<int:pk>/", views.programme_detail, name="programme"),
    path("program/<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("program/<int:pk>/lapor/", views.report_create, name="report_create"),
    path("laporan/", views.report_list, name="reports"),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("laporan/<int:pk>/<str:action>/", views.report_action, name="report_action"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("evaluasi/", views.evaluation_list, name="evaluations"),
    path("evaluasi/bukti/<int:pk>/", views.score_evidence_download, name="score_evidence"),
    path("evaluasi/<int:year>/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluasi/<int:year>.<str:fmt>", views.evaluation_export, name="evaluation_export"),
]
