from django.urls import path

from kotacerdas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("daftar/", views.register_view, name="register"),
    path("profil/", views.profile_view, name="profile"),
    path("laporan-saya/", views.my_reports_view, name="my_reports"),
    path("token/<int:pk>/cabut/", views.token_revoke_view, name="token_revoke"),
    path("hapus/", views.delete_account_view, name="delete"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("reset/selesai/", views.password_reset_complete, name="password_reset_complete"),
]
