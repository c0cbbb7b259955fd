"""Escalating a complaint to the 112 desk (issue #5): the region administrator turns a
complaint that turns out to be an emergency into a 112 incident, once."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints.access import access_complaint
from kotacerdas.complaints.models import Complaint
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency.selectors import incident_categories, incident_from_complaint
from kotacerdas.emergency.services import IncidentData, incident_create_from_complaint
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

if TYPE_CHECKING:
    from kotacerdas.emergency.models import IncidentCategory


class EscalateForm(forms.Form):
    category: forms.ModelChoiceField[IncidentCategory] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Kategori insiden 112")
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[IncidentCategory]", self.fields["category"]
        ).queryset = incident_categories(tenant)


def _point(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.6f}")


def incident_data(complaint: Complaint, category: IncidentCategory) -> IncidentData:
    """What the desk needs to know about the place and the problem; never the reporter."""
    if complaint.region is None:
        raise DomainError(
            _("Aduan tanpa kelurahan/desa tidak dapat dieskalasi; catat langsung di meja 112."),
            code="kelurahan_required",
        )
    has_point = complaint.lat is not None and complaint.long is not None
    return IncidentData(
        category=category,
        kelurahan=complaint.region,
        landmark=complaint.address.strip() or complaint.region.name,
        # The citizen's words, as data; the desk's page says which complaint it came from
        # (``source_complaint_id``), in its reader's language: no sentence is stored (#11.6).
        description=complaint.description,
        latitude=_point(complaint.lat) if has_point else None,
        longitude=_point(complaint.long) if has_point else None,
    )


def escalation_context(user: User, tenant: Tenant, complaint: Complaint) -> dict[str, Any] | None:
    """For the staff detail page: the incident made from this complaint, or the form to make
    one (region administrators only)."""
    if not user.administers(tenant):
        return None
    incident = incident_from_complaint(tenant, complaint.pk)
    return {"incident": incident, "form": None if incident else EscalateForm(tenant=tenant)}


@require_POST
@staff_page(Role.REGION_ADMIN)
def staff_escalate(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page guarantees it
    complaint = access_complaint(user, pk, tenant=tenant, for_write=True)
    if not user.administers(tenant):
        raise Http404("complaint")
    existing = incident_from_complaint(tenant, complaint.pk)
    form = EscalateForm(request.POST, tenant=tenant)
    if existing is not None:
        messages.info(
            request,
            _("Aduan ini sudah dieskalasi menjadi insiden 112 %(number)s.")
            % {"number": existing.number},
        )
    elif not form.is_valid():
        messages.error(request, _("Pilih kategori insiden 112."))
    else:
        try:
            incident = incident_create_from_complaint(
                tenant=tenant,
                actor=user,
                complaint_id=complaint.pk,
                data=incident_data(complaint, form.cleaned_data["category"]),
                received_at=timezone.now(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Aduan dieskalasi ke 112 sebagai insiden %(number)s.")
                % {"number": incident.number},
            )
    return redirect("complaints:staff_detail", tenant.slug, complaint.pk)
