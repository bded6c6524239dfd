from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fleksi.core.errors import ApplicationError

from . import selectors, services, sessions, twofactor
from .forms import ActivationOrResetForm, LoginForm, OtpForm, ReauthForm, TokenCreateForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notice"] = sessions.login_notice(self.request)
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session["fleksi_language"] = form.get_user().language
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "id")
    if language not in ("id", "en"):
        language = "id"
    request.session["fleksi_language"] = language
    if request.user.is_authenticated:
        services.user_set_language(actor=request.user, language=language)  # type: ignore[arg-type]
    target = request.POST.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)  # a path, never a view name: redirect("abc") is a 500


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Akun saya: who is logged in, the personal links (profile, calendar feed, API tokens)."""
    return render(request, "accounts/account.html", {"tokens": selectors.api_token_list(actor=request.user)})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "revoke" not in request.POST:
        return _token_create(request)
    return _tokens(request)


@sessions.reauth_required
def _token_create(request: HttpRequest) -> HttpResponse:
    return _tokens(request)


def _tokens(request: HttpRequest) -> HttpResponse:
    issued = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                services.api_token_revoke(actor=request.user, token_id=int(request.POST["revoke"]))
                messages.success(request, _("Token dicabut."))
            except (ApplicationError, ValueError):
                messages.error(request, _("Token tidak ditemukan."))
            return redirect("accounts:tokens")
        if form.is_valid():
            issued = services.api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
            form = TokenCreateForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "issued": issued, "tokens": selectors.api_token_list(actor=request.user)},
    )


def _client_ip(request: HttpRequest) -> str | None:
    from .lockout import client_ip

    return client_ip(request)


class ResetView(auth_views.PasswordResetView):
    """Django's reset form, limited: emails per account and requests per address (the
    lockout's cool-off); the answer for a limited account is the same as for any other."""

    form_class = ActivationOrResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        users = list(form.get_users(form.cleaned_data["email"]))
        account = users[0].get_username() if users else ""
        address_ok, email_ok = services.password_reset_allowed(account=account, ip_address=_client_ip(self.request))
        if not address_ok:
            form.add_error(None, _("Terlalu banyak permintaan atur ulang kata sandi dari alamat ini. Coba lagi dalam %(minutes)d menit.")
                           % {"minutes": settings.FLEKSI_LOCKOUT_MINUTES})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not email_ok:
            return HttpResponseRedirect(str(self.success_url))
        return super().form_valid(form)


def _next(request: HttpRequest) -> str:
    return sessions.safe_next(request, request.POST.get("next") or request.GET.get("next"), default=str(reverse_lazy("home")))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password for an account with an authenticator app."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next(request))
    if not twofactor.has_confirmed_device(request.user):
        request.session.pop(sessions.OTP_ENROLLED, None)  # removed meanwhile: read it again
        return HttpResponseRedirect(_next(request))
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request=request, user=request.user, token=form.cleaned_data["otp_token"]):  # type: ignore[arg-type]
            return HttpResponseRedirect(_next(request))
        form.add_error("otp_token", _("Kode salah atau sudah dipakai. Periksa jam ponsel Anda, lalu coba lagi."))
        status = 422
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}, status=status)


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: a QR code (SVG made here), the key to type, one code back;
    then the recovery codes, shown once."""
    user = request.user
    if twofactor.has_confirmed_device(user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(f"{reverse_lazy('accounts:otp_verify')}?next={_next(request)}")
    if twofactor.has_confirmed_device(user) and request.method == "GET":
        return render(request, "accounts/otp_enrolled.html", {"left": twofactor.recovery_codes_left(user=user)})
    device = twofactor.pending_device(user=user)  # type: ignore[arg-type]
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_confirm(request=request, user=user, token=form.cleaned_data["otp_token"])  # type: ignore[arg-type]
        if codes is not None:
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("otp_token", _("Kode salah. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang tampil."))
        status = 422
    return render(
        request,
        "accounts/otp_enrol.html",
        {"form": form, "qr_svg": twofactor.qr_svg(device), "secret": twofactor.secret_text(device), "next": _next(request)},
        status=status,
    )


@login_required
@require_POST
def otp_recovery_renew(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_confirmed_device(request.user) or not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:otp_enrol")
    codes = twofactor.recovery_codes_renew(actor=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/otp_codes.html", {"codes": codes, "next": reverse_lazy("accounts:account")})


@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm the password (and the TOTP code when enrolled) before a sensitive action."""
    user = request.user
    needs_code = twofactor.has_confirmed_device(user)
    form = ReauthForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        from django.contrib.auth import authenticate

        # authenticate(): a wrong password here counts towards the lockout like at the login.
        ok = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"]) is not None
        if ok and needs_code:
            ok = twofactor.check_code(user=user, token=form.cleaned_data["otp_token"])  # type: ignore[arg-type]
        if ok:
            sessions.reauth_mark(request)
            return HttpResponseRedirect(_next(request))
        form.add_error(None, _("Kata sandi atau kode salah."))
        status = 422
    return render(request, "accounts/reauth.html", {"form": form, "needs_code": needs_code, "next": _next(request)}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi diubah."))
        return response
