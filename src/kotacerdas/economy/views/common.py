"""Helpers shared by the economy pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.economy.access import can_work
from kotacerdas.economy.models import Photo, VillageClass
from kotacerdas.tenants.models import Tenant

CLASS_COLORS = {
    VillageClass.RINTISAN: "#8a8f98",
    VillageClass.BERKEMBANG: "#2f7ec1",
    VillageClass.MAJU: "#1a7f37",
    VillageClass.MANDIRI: "#7b3fb5",
}
PRODUCER_COLOR = "#b26b00"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the page checked a signed-in user
    return user


def _worker(request: HttpRequest, tenant: Tenant) -> User | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _user(request)
    if not can_work(user, tenant):
        raise Http404("economy")
    return user


def _photo_urls(request: HttpRequest, tenant: Tenant, photo: Photo) -> dict[str, Any]:
    return {
        "photo": photo,
        "full": reverse("economy:photo", args=[tenant.slug, photo.pk]),
        "thumb": reverse("economy:photo_thumb", args=[tenant.slug, photo.pk]),
        "absolute": request.build_absolute_uri(
            reverse("economy:photo", args=[tenant.slug, photo.pk])
        ),
    }
