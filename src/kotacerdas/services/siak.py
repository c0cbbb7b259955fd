"""The seam to SIAK, the national population registry, which is an external system.

``record_in_siak`` asks the configured adapter (setting ``SERVICES_SIAK_ADAPTER``, a dotted
path; default ``ManualSiakAdapter``) to record an application. See docs/services.md for how a
real connector plugs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError

if TYPE_CHECKING:
    from kotacerdas.services.models import Application


@dataclass(frozen=True)
class SiakRecord:
    reference: str
    note: str


class SiakAdapter(Protocol):
    """Records an application in SIAK and returns its reference. Raises ``DomainError`` on failure."""

    needs_reference: bool  # True: the operator types the reference of a step done by hand

    def record(self, application: Application, *, reference: str) -> SiakRecord: ...


class ManualSiakAdapter:
    """The operator records the data in the SIAK client by hand and enters its reference number here."""

    needs_reference = True

    def record(self, application: Application, *, reference: str) -> SiakRecord:
        reference = reference.strip()
        if not (3 <= len(reference) <= 60):
            raise DomainError(
                _(
                    "Isi nomor referensi SIAK (3–60 karakter) setelah mencatat data di aplikasi SIAK."
                ),
                code="siak_reference_required",
            )
        return SiakRecord(reference=reference, note=_("Dicatat manual di SIAK oleh operator."))


def siak_adapter() -> SiakAdapter:
    adapter: SiakAdapter = import_string(settings.SERVICES_SIAK_ADAPTER)()
    return adapter
