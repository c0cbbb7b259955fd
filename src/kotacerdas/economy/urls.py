from django.urls import path

from kotacerdas.economy import views

app_name = "economy"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("desa/<slug:slug>/", views.village, name="village"),
    path("produk/<slug:producer_slug>/<slug:slug>/", views.product, name="product"),
    path("kirim/", views.request_new, name="request_new"),
    path("permintaan/<str:token>/", views.track, name="track"),
    path("kelola/", views.inbox, name="inbox"),
    path("kelola/permintaan/<int:pk>/", views.request_detail, name="request"),
    path("kelola/desa/<int:village_pk>/penilaian/<int:year>/", views.assessment, name="assessment"),
    path("kelola/angka/", views.figures, name="figures"),
]
