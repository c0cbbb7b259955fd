from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User
from kotacerdas.accounts.phone import normalize_phone


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Surel, nomor HP, atau nama pengguna"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Data masuk tidak cocok. Periksa kembali surel/nomor HP dan kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact = forms.CharField(
        label=_("Surel atau nomor HP"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        help_text=_("Tidak perlu aktivasi: akun langsung dapat dipakai."),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter, jangan hanya angka."),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Surel"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Dipakai untuk memulihkan kata sandi dan menerima kabar laporan."),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Nomor Indonesia, misalnya 0812 3456 7890."),
    )
    language = forms.ChoiceField(
        label=_("Bahasa pemberitahuan"),
        choices=settings.LANGUAGES,
        help_text=_("Bahasa surel dan pemberitahuan yang Anda terima."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Surel ini sudah dipakai akun lain."))
        return email

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return None
        phone = normalize_phone(raw)
        if phone is None:
            raise forms.ValidationError(_("Isi nomor HP Indonesia, misalnya 0812 3456 7890."))
        if User.objects.filter(phone=phone).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Nomor HP ini sudah dipakai akun lain."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not data.get("email") and not data.get("phone")
        if self.user.is_citizen and missing and not self.errors:
            raise forms.ValidationError(_("Isi surel atau nomor HP agar akun dapat dipulihkan."))
        return data


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, with the message queued through the notification outbox (the
    platform's only way to send email) in the language the request was made in."""

    email = forms.EmailField(
        label=_("Surel akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        from kotacerdas.notifications.models import Channel
        from kotacerdas.notifications.services import notify

        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            token = default_token_generator.make_token(user)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = reverse("accounts:password_reset_confirm", args=[uid, token])
            notify(
                key=f"accounts:password-reset:{user.pk}:{token}",
                channel=Channel.EMAIL,
                tenant=None,
                message="accounts.password_reset",
                user=user,
                url=link,
                # The language the request was made in, unless the account has its own.
                language=translation.get_language() or "",
            )
