"""What every desk page shares: the signed-in user, the role-aware menu and the keyset pages
of the lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import (
    HttpRequest,
)
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency.access import (
    BOARD_ROLES,
    CALL_LIST_ROLES,
    INTAKE_ROLES,
    REPORT_ROLES,
    is_desk,
)
from kotacerdas.tenants.models import Tenant


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - staff_page guarantees a signed-in user
    return request.user


def desk_nav(user: User, tenant: Tenant) -> dict[str, bool]:
    """Which desk pages the user's role opens (the menu links only those)."""
    return {
        "intake": is_desk(user, tenant, *INTAKE_ROLES),
        "board": is_desk(user, tenant, *BOARD_ROLES),
        "blocks": is_desk(user, tenant, Role.SUPERVISOR),
        "reports": is_desk(user, tenant, *REPORT_ROLES),
        "calls": is_desk(user, tenant, *CALL_LIST_ROLES),
    }


def latest_first_page(
    request: HttpRequest, rows: QuerySet[Any, Any], size: int
) -> tuple[list[Any], str]:
    """One page of ``rows`` (ordered by ``-received_at, -pk``) after the row whose id is in
    ``setelah``, and the query string of the next page ("" on the last). Raises
    ``DomainError`` (400) on a cursor that is not one of the rows."""
    after = request.GET.get("setelah", "")
    if after:
        anchor = (
            rows.filter(pk=int(after)).values_list("received_at", "pk").first()
            if after.isascii() and after.isdigit() and len(after) < 19
            else None
        )
        if anchor is None:
            raise DomainError(
                _("Halaman daftar tidak dikenal; mulai dari halaman pertama."),
                code="invalid_cursor",
            )
        rows = rows.filter(received_at__lte=anchor[0]).exclude(
            received_at=anchor[0], pk__gte=anchor[1]
        )
    page = list(rows[: size + 1])
    if len(page) <= size:
        return page, ""
    page = page[:size]
    params = request.GET.copy()
    last = page[-1]
    params["setelah"] = str(last["pk"] if isinstance(last, dict) else last.pk)
    return page, f"?{params.urlencode()}"
