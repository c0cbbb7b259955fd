"""The seam to SIAK, the national population registry, which is an external system.

``record_in_siak`` asks the configured adapter (setting ``SERVICES_SIAK_ADAPTER``, a dotted
path; default ``ManualSiakAdapter``) to record an application. See docs/services.md for how a
real connector plugs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError

if TYPE_CHECKING:
    from kotacerdas.services.models import Application


# A SIAK reference as operators copy it from the SIAK client: letters and digits, joined by
# "-", "/", "." or "_" (e.g. SIAK-3673-20261123-0042), 3 to 60 characters, no spaces.
REFERENCE_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9./_-]{1,58})[A-Za-z0-9]")


def clean_reference(value: str) -> str:
    """The reference without surrounding blanks; ``DomainError`` when it is not one."""
    reference = value.strip()
    if not REFERENCE_RE.fullmatch(reference):
        raise DomainError(
            _(
                "Nomor referensi SIAK tidak sah: 3–60 huruf atau angka, boleh dipisah tanda "
                "- / . atau _, tanpa spasi (misalnya SIAK-3673-20261123-0042)."
            ),
            code="siak_reference_invalid",
        )
    return reference


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
        reference = clean_reference(reference)
        return SiakRecord(reference=reference, note=_("Dicatat manual di SIAK oleh operator."))


def siak_adapter() -> SiakAdapter:
    adapter: SiakAdapter = import_string(settings.SERVICES_SIAK_ADAPTER)()
    return adapter
