"""Number blocks, for the supervisor."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.emergency import services
from kotacerdas.emergency.access import (
    access_block,
)
from kotacerdas.emergency.forms import UnblockForm
from kotacerdas.emergency.models import (
    NumberBlock,
    RegulatorReport,
)
from kotacerdas.emergency.views._common import _user, desk_nav
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

# --- Blocks (supervisor) ---------------------------------------------------------------


@staff_page(Role.SUPERVISOR)
def blocks(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    return render(
        request,
        "emergency/blocks.html",
        {
            "tenant": tenant,
            "blocks": NumberBlock.objects.active().filter(tenant=tenant).order_by("-blocked_at"),
            "recent": NumberBlock.objects.filter(tenant=tenant, unblocked_at__isnull=False)
            .select_related("unblocked_by")
            .order_by("-unblocked_at")[:20],
            "listed_count": RegulatorReport.objects.filter(tenant=tenant).count(),
            "form": UnblockForm(),
            "nav": desk_nav(_user(request), tenant),
        },
    )


@require_POST
@staff_page(Role.SUPERVISOR)
def block_lift(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    block = access_block(_user(request), pk, tenant=tenant, for_write=True)
    form = UnblockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka blokir (minimal 5 karakter)."))
    else:
        services.number_unblock(
            block=block, actor=_user(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Blokir nomor %(number)s dibuka.") % {"number": block.number})
    return redirect("emergency:blocks", tenant.slug)
