from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from kotacerdas.accounts.forms import LoginForm, ProfileForm, RegisterForm, ResetRequestForm
from kotacerdas.accounts.landing import citizen_items, landing_url
from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import (
    api_token_revoke_own,
    citizen_delete_account,
    citizen_register,
    profile_update,
    user_set_language,
)
from kotacerdas.core.errors import DomainError


class _LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # No ?next=: each role lands on its own work (CONTRACT "Role landing").
        user = self.request.user
        return landing_url(user) if isinstance(user, User) else "/"


def _login_rate(group: str, request: HttpRequest) -> str:
    return settings.LOGIN_RATE_PER_IP


@ratelimit(key="ip", rate=_login_rate, method="POST", block=True)
def login_view(request: HttpRequest) -> HttpResponseBase:
    return _LoginView.as_view()(request)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer while an account is locked (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": 15},
        status=429,
    )


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_register(**form.cleaned_data, language=translation.get_language())
        except DomainError as exc:
            form.add_error("contact", exc.message)
        else:
            login(request, user, backend="kotacerdas.accounts.backends.EmailPhoneUsernameBackend")
            messages.success(request, _("Selamat datang! Akun Anda sudah aktif."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    initial = {
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone or "",
        "language": user.language or translation.get_language() or settings.LANGUAGE_CODE,
    }
    form = ProfileForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Data diri Anda sudah disimpan."))
        return redirect("accounts:profile")
    tokens = user.api_tokens.order_by("-created_at")[:50]
    return render(
        request, "accounts/profile.html", {"profile": user, "form": form, "tokens": tokens}
    )


@login_required
@require_http_methods(["POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    if api_token_revoke_own(user=user, token_id=pk):
        messages.success(
            request, _("Token dicabut: sistem yang memakainya tidak dapat masuk lagi.")
        )
    return redirect("accounts:profile")


@login_required
def my_reports_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return render(request, "accounts/my_reports.html", {"items": citizen_items(user)})


@login_required
@require_http_methods(["POST"])
def delete_account_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    try:
        citizen_delete_account(user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:profile")
    logout(request)
    messages.success(request, _("Akun Anda telah dihapus."))
    return redirect("home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_form.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The owner proved control of the mailbox: lift any sign-in lockout at once.
        axes_reset(username=f"user:{form.user.pk}")
        return response


password_change = ratelimit(key="user_or_ip", rate="10/h", method="POST", block=True)(
    PasswordChangeView.as_view()
)
password_reset = ratelimit(key="ip", rate="10/h", method="POST", block=True)(
    PasswordResetView.as_view()
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_http_methods(["POST"])
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice for a signed-in user's
    messages (email and in-app)."""
    response = i18n_views.set_language(request)
    user = request.user
    if isinstance(user, User):  # an unknown language is ignored, as Django's view does
        user_set_language(user=user, language=request.POST.get("language", ""))
    return response
