from django.urls import path

from kotacerdas.notifications import views

app_name = "notifications_staff"
urlpatterns = [
    path("", views.delivery_status, name="status"),
    path("<int:pk>/kirim-ulang/", views.retry_view, name="retry"),
]
