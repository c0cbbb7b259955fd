from django.urls import path

from kotacerdas.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("baca-semua/", views.read_all, name="read_all"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("berhenti/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
