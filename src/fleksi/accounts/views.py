from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fleksi.core.errors import ApplicationError

from . import selectors, services
from .forms import LoginForm, TokenCreateForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

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
