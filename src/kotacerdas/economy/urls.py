from django.urls import path

from kotacerdas.economy import views

app_name = "economy"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("desa/<slug:slug>/", views.village, name="village"),
    path("produk/<slug:producer_slug>/<slug:slug>/", views.product, name="product"),
    path("acara/", views.calendar, name="calendar"),
    path("acara.ics", views.calendar_ics, name="calendar_ics"),
    path("foto/<int:pk>.jpg", views.photo, name="photo"),
    path("foto/<int:pk>-kecil.jpg", views.photo_thumb, name="photo_thumb"),
    path("kirim/", views.request_new, name="request_new"),
    path("permintaan/<str:token>/", views.track, name="track"),
    path("kelola/", views.inbox, name="inbox"),
    path("kelola/permintaan/<int:pk>/", views.request_detail, name="request"),
    path("kelola/desa/<int:village_pk>/penilaian/<int:year>/", views.assessment, name="assessment"),
    path("kelola/desa/<int:village_pk>/foto/", views.village_photos, name="village_photos"),
    path("kelola/produk/<int:product_pk>/foto/", views.product_photos, name="product_photos"),
    path("kelola/bukti/<int:pk>/", views.evidence, name="evidence"),
    path("kelola/angka/", views.figures, name="figures"),
    path("kelola/angka/<slug:table>.<str:fmt>", views.figures_export, name="figures_export"),
]
