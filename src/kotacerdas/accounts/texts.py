"""What the accounts app says through notifications (``core.messages``): rendered when
read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, text


@text("accounts.password_reset")
def password_reset(params: Params) -> tuple[str, str]:
    return _("Atur ulang kata sandi"), _(
        "Seseorang (semoga Anda) meminta pengaturan ulang kata sandi akun Anda. "
        "Buka tautan di bawah dalam 3 hari untuk memilih kata sandi baru. "
        "Abaikan surel ini jika Anda tidak memintanya."
    )
