from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from kotacerdas.accounts.forms import LoginForm, RegisterForm
from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import citizen_delete_account, citizen_register
from kotacerdas.core.errors import DomainError


@ratelimit(key="ip", rate="20/m", method="POST", block=True)
def login_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )(request)


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
            user = citizen_register(**form.cleaned_data)
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
    return render(request, "accounts/profile.html", {"profile": request.user})


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
