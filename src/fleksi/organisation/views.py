from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fleksi.accounts.sessions import reauth_required
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, web_errors
from fleksi.core.templatetags.fleksi_text import person

from . import account_security as account_security_service
from . import selectors, services
from .forms import DelegationForm
from .scoping import scope_for

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    me = selectors.employee_for_user(user=request.user)
    context: dict[str, object] = {"me": me, "scope": scope}
    if scope.everything or scope.admin_agency_ids:
        context["agencies"] = selectors.agency_list(actor=request.user)
    if scope.is_head:
        context["headed_units"] = [
            u for u in selectors.unit_list(actor=request.user) if u.pk in scope.head_unit_ids
        ]
    return render(request, "organisation/home.html", context)


@login_required
@web_errors
def unit_tree(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agency_list(actor=request.user))
    if not agencies:
        if scope_for(request.user).is_national_monitor:
            return redirect("home")  # sees aggregates only; the home page says where they come
        raise Http404
    agency_id = int_param(request, "instansi") or agencies[0].pk
    agency = selectors.agency_get(actor=request.user, agency_id=agency_id)
    return render(
        request,
        "organisation/unit_tree.html",
        {"agency": agency, "agencies": agencies, "tree": selectors.unit_tree(actor=request.user, agency_id=agency.pk)},
    )


@login_required
@web_errors
def employee_directory(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    unit_id = int_param(request, "unit")
    qs = selectors.employee_list(actor=request.user, search=search, unit_id=unit_id)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "organisation/_employee_rows.html" if request.htmx else "organisation/employee_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "q": search, "unit_id": unit_id})


@login_required
@web_errors
def employee_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = selectors.employee_get(actor=request.user, employee_id=employee_id)
    return render(request, "organisation/employee_detail.html", {"employee": employee})


@login_required
@reauth_required
@web_errors
def unit_delegations(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Plt/Plh of a unit: who holds the head's approval rights, for which dates."""
    unit = selectors.unit_managed_get(actor=request.user, unit_id=unit_id)
    form = DelegationForm(request.POST if request.method == "POST" and "revoke" not in request.POST else None)
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                services.delegation_revoke(actor=request.user, delegation_id=int(request.POST["revoke"]))
                messages.success(request, _("Pelimpahan dicabut."))
                return redirect("organisation:unit_delegations", unit_id=unit.pk)
            if form.is_valid():
                services.delegation_create(actor=request.user, unit_id=unit.pk, **form.cleaned_data)
                messages.success(request, _("Pelimpahan disimpan."))
                return redirect("organisation:unit_delegations", unit_id=unit.pk)
        except ValueError as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise
            for field, message in (exc.details.get("fields") or {}).items():
                form.add_error(field if field in form.fields else None, message)
            if not exc.details.get("fields"):
                form.add_error(None, exc.message)
    return render(
        request,
        "organisation/unit_delegations.html",
        {"unit": unit, "form": form, "delegations": selectors.delegation_list(actor=request.user, unit_id=unit.pk)},
    )


@login_required
@reauth_required
@web_errors
def account_security(request: HttpRequest) -> HttpResponse:
    """HR and system admins: locked accounts (unlock) and accounts with 2FA (reset)."""
    if not account_security_service.may_manage_accounts(request.user):
        raise Http404
    if request.method == "POST":
        try:
            user_id = int(request.POST.get("user", ""))
        except ValueError as exc:
            raise Http404 from exc
        if request.POST.get("action") == "unlock":
            user = account_security_service.account_unlock(actor=request.user, user_id=user_id)
            messages.success(request, _("Kunci akun %(name)s dibuka.") % {"name": person(user)})
        elif request.POST.get("action") == "reset_2fa":
            try:
                user = account_security_service.account_twofactor_reset(actor=request.user, user_id=user_id)
            except ApplicationError as exc:
                if exc.code == ErrorCode.NOT_FOUND:
                    raise
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Verifikasi dua langkah %(name)s diatur ulang; ia mendaftarkan aplikasi lagi saat masuk.")
                    % {"name": person(user)},
                )
        return redirect("organisation:account_security")
    return render(
        request,
        "organisation/account_security.html",
        {
            "locked": account_security_service.locked_accounts(actor=request.user),
            "enrolled": account_security_service.enrolled_accounts(actor=request.user),
        },
    )
