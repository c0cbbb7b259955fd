from django.urls import path

from kotacerdas.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.public_home, name="public_home"),
    path("lapor/", views.report, name="report"),
    path("sekitar/", views.nearby, name="nearby"),
    path("daftar/", views.public_list, name="public_list"),
    path("lacak/", views.track, name="track"),
    path("tiket/<str:ticket>/", views.ticket, name="ticket"),
    path("tiket/<str:ticket>/saya-juga/", views.me_too, name="me_too"),
    path("pantau/<str:token>/", views.follow, name="follow"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("kelola/", views.staff_inbox, name="staff_inbox"),
    path("kelola/baru/", views.staff_new, name="staff_new"),
    path("kelola/statistik/", views.statistics, name="statistics"),
    path("kelola/<int:pk>/", views.staff_detail, name="staff_detail"),
]
