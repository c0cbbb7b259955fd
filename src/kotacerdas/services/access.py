"""Who may see which application. Everything fetched by a user-supplied id comes through here,
in the platform's one shape ``access_<thing>(user, pk, *, tenant, for_write=False)``; anyone
else gets a 404, so nobody learns that an application exists."""

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


def access_application(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> Application:
    """The applicant's own application (the citizen pages); writing is the applicant's too."""
    application = _get(tenant, pk)
    if not user.is_authenticated or application.applicant_id != user.pk:
        raise Http404("application")
    return application


def access_desk_application(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> Application:
    """An application at the desk: only operators of the OPD responsible for its service."""
    application = _get(tenant, pk)
    if not handles(user, application):
        raise Http404("application")
    return application


def access_document(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Document:
    """A stored document: read by its applicant or the responsible OPD's operators; reviewed
    (``for_write``) only by those operators."""
    try:
        document = Document.objects.select_related(
            "application__service__opd", "application__tenant", "requirement"
        ).get(pk=pk, application__tenant=tenant)
    except Document.DoesNotExist:
        raise Http404("document") from None
    allowed = (
        handles(user, document.application)
        if for_write
        else can_see_identity(user, document.application)
    )
    if not allowed:
        raise Http404("document")
    return document


def access_result(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Application:
    """The result document of application ``pk``, for its applicant and the responsible OPD."""
    application = _get(tenant, pk)
    if not can_see_identity(user, application) or not application.result_file:
        raise Http404("result")
    return application
