"""Who may see which application. Everything fetched by a user-supplied id comes through here;
anyone else gets a 404, so nobody learns that an application exists."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.services.models import Application, Document
from kotacerdas.tenants.models import Tenant


def is_desk_operator(user: User, tenant: Tenant) -> bool:
    return bool(
        user.is_authenticated and user.is_staff_of(tenant, Role.OPD_OPERATOR) and user.opd_id
    )


def handles(user: User, application: Application) -> bool:
    """The applicant's counterpart: an operator of the OPD responsible for the service."""
    return bool(
        user.is_authenticated
        and user.is_staff_of(application.tenant, Role.OPD_OPERATOR)
        and user.opd_id == application.service.opd_id
    )


def can_see_identity(user: User, application: Application) -> bool:
    """NIK and KK number in full: only the applicant and the responsible OPD's staff (UU PDP)."""
    return bool(
        user.is_authenticated
        and (application.applicant_id == user.pk or handles(user, application))
    )


def _get(tenant: Tenant, pk: int) -> Application:
    try:
        return Application.objects.select_related(
            "service__opd", "tenant", "applicant", "pickup_location"
        ).get(pk=pk, tenant=tenant)
    except Application.DoesNotExist:
        raise Http404("application") from None


def access_application_for_applicant(user: User, tenant: Tenant, pk: int) -> Application:
    application = _get(tenant, pk)
    if not user.is_authenticated or application.applicant_id != user.pk:
        raise Http404("application")
    return application


def access_application_for_desk(user: User, tenant: Tenant, pk: int) -> Application:
    application = _get(tenant, pk)
    if not handles(user, application):
        raise Http404("application")
    return application


def access_document(user: User, pk: int) -> Document:
    """A stored document for its applicant or the responsible OPD's operators."""
    try:
        document = Document.objects.select_related(
            "application__service", "application__tenant"
        ).get(pk=pk)
    except Document.DoesNotExist:
        raise Http404("document") from None
    if not can_see_identity(user, document.application):
        raise Http404("document")
    return document


def access_result(user: User, application_id: int) -> Application:
    try:
        application = Application.objects.select_related("service", "tenant").get(pk=application_id)
    except Application.DoesNotExist:
        raise Http404("application") from None
    if not can_see_identity(user, application) or not application.result_file:
        raise Http404("result")
    return application
