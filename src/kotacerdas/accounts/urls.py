from django.urls import path

from kotacerdas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("daftar/", views.register_view, name="register"),
    path("profil/", views.profile_view, name="profile"),
    path("hapus/", views.delete_account_view, name="delete"),
]
