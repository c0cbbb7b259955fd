"""The superadmin's national view, mounted at ``/nasional/`` outside any tenant."""

from django.urls import path

from kotacerdas.dashboard import views

urlpatterns = [path("", views.national_view, name="dashboard_national")]
