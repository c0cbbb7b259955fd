from django.urls import path

from kotacerdas.spbe import views

app_name = "spbe"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/status/", views.assessment_transition, name="assessment_transition"),
    path("<int:pk>/indikator/<int:number>/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/indikator/<int:number>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("bukti/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:evidence_pk>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/simulasi/", views.simulator, name="simulator"),
    path("<int:pk>/unduh.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/unduh.pdf", views.export_pdf, name="export_pdf"),
]
