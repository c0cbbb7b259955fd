"""The inbox of in-app notices, the one-click unsubscribe page and the delivery status page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.notifications import selectors, services
from kotacerdas.notifications.access import access_email, access_notification
from kotacerdas.notifications.models import Status
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant
from kotacerdas.tenants.roles import REGION_ADMIN, TenantUser


def _user(request: HttpRequest) -> AbstractBaseUser:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # noqa: S101 - behind login_required
    return user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("sebelum", "")
    if before and not before.isdigit():
        raise Http404("page")
    notices, more = selectors.inbox_page(_user(request), before=int(before) if before else None)
    return render(request, "notifications/inbox.html", {"notices": notices, "more": more})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=_user(request))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Follows the notice's link (only to this site). A POST (the inbox's button, with its
    CSRF token) marks it read first; a GET never writes: link prefetchers, crawlers and mail
    scanners follow GETs."""
    notice = access_notification(_user(request), pk)
    if request.method == "POST" and notice.read_at is None:
        services.mark_read(user=_user(request), pks=[notice.pk])
    target = notice.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:inbox")
    return redirect(target)


# Mail clients send RFC 8058's one-click POST without a CSRF token or cookie; the signed
# token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = services.read_unsubscribe_token(token)
    if found is None:
        raise Http404("token")
    email, scope = found
    if request.method == "POST":
        services.unsubscribe(email=email, scope=scope)
        return render(request, "notifications/unsubscribed.html", {"done": True})
    # A GET only asks: link scanners in mail systems open every link.
    return render(request, "notifications/unsubscribed.html", {"done": False})


@staff_page(REGION_ADMIN)
def delivery_status(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    counts = selectors.status_counts(tenant)
    return render(
        request,
        "notifications/status.html",
        {
            "counts": [(label, counts[value]) for value, label in Status.choices],
            "dead": selectors.dead_emails(tenant),
        },
    )


@staff_page(REGION_ADMIN)
@require_POST
def retry_view(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponseBase:
    user = request.user
    if not isinstance(user, TenantUser):  # staff_page let a staff user through
        raise Http404("notification")
    notification = access_email(user, pk, tenant=tenant)
    services.retry(notification=notification)
    messages.success(request, _("Surel dimasukkan lagi ke antrean."))
    return redirect("notifications_staff:status", tenant.slug)
