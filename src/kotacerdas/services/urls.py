from django.urls import path

from kotacerdas.services import views

app_name = "services"

urlpatterns = [
    path("", views.home, name="home"),
    path("katalog/<slug:code>/", views.service_detail, name="service_detail"),
    path("katalog/<slug:code>/ajukan/", views.application_start, name="application_start"),
    path("permohonan/", views.my_applications, name="my_applications"),
    path("permohonan/<int:pk>/", views.application_detail, name="application_detail"),
    path("permohonan/<int:pk>/isi/", views.application_form, name="application_form"),
    path("permohonan/<int:pk>/dokumen/", views.application_documents, name="application_documents"),
    path("permohonan/<int:pk>/periksa/", views.application_review, name="application_review"),
    path("permohonan/<int:pk>/batal/", views.application_cancel, name="application_cancel"),
    path("permohonan/<int:pk>/lanjutkan/", views.application_renew, name="application_renew"),
    path("permohonan/<int:pk>/janji/", views.appointment_book, name="appointment_book"),
    path("permohonan/<int:pk>/janji/batal/", views.appointment_cancel, name="appointment_cancel"),
    path("permohonan/<int:pk>/janji/cetak/", views.appointment_print, name="appointment_print"),
    path("berkas/<str:token>/", views.private_file, name="file"),
    path("meja/", views.desk, name="desk"),
    path("meja/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("meja/<int:pk>/dokumen/<int:document_pk>/", views.desk_document, name="desk_document"),
    path("meja/<int:pk>/<slug:action>/", views.desk_action, name="desk_action"),
    path("daftar/", views.application_register, name="application_register"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik.csv", views.statistics, {"fmt": "csv"}, name="statistics_csv"),
    path("statistik.xlsx", views.statistics, {"fmt": "xlsx"}, name="statistics_xlsx"),
]
