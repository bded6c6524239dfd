"""TODO docstring."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import add_form_errors, error_message, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.forms import OfficeForm, PlaceForm
from fleksi.organisation.scoping import scope_for

from . import selectors, services
from .forms import AgencySettingsForm, FlexDayForm, PolicyForm


@login_required
@web_errors
def settings_home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    agencies = sorted(scope.admin_agency_ids)
    if not agencies:
        if scope.is_system_admin:
            first = org_selectors.agency_list(actor=request.user).first()
            if first is not None:
                return redirect("scheme:agency_settings", first.pk)
        raise Http404
    return redirect("scheme:agency_settings", agencies[0])


def _settings_context(request: HttpRequest, agency_id: int, **forms: Any) -> dict[str, Any]:
    settings = selectors.agency_settings_get(actor=request.user, agency_id=agency_id)
    agency = settings.agency
    return {
        "settings": settings,
        "agency": agency,
        "general_form": forms.get("general_form")
        or AgencySettingsForm(
            initial={
                "flexible_work_enabled": agency.flexible_work_enabled,
                "approval_supervisor_first": agency.approval_supervisor_first,
                "reminder_after_days": agency.reminder_after_days,
            }
        ),
        "policy_form": forms.get("policy_form")
        or PolicyForm(initial=PolicyForm.initial_from(settings.policy.to_dict())),
        "office_form": forms.get("office_form") or OfficeForm(prefix="kantor"),
        "place_form": forms.get("place_form") or PlaceForm(prefix="lokasi"),
        "flex_day_form": forms.get("flex_day_form") or FlexDayForm(prefix="hari"),
        "policy_errors": forms.get("policy_errors") or [],
        "managed": [
            a
            for a in (
                org_selectors.agency_list(actor=request.user)
                if len(scope_for(request.user).admin_agency_ids) > 1
                else []
            )
            if scope_for(request.user).can_manage_agency(a.pk)
        ],
    }


def _settings_page(
    request: HttpRequest, agency_id: int, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "scheme/agency_settings.html",
        _settings_context(request, agency_id, **forms),
        status=status,
    )


@login_required
@web_errors
def agency_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    return _settings_page(request, agency_id)


@login_required
@require_POST
@web_errors
def agency_settings_general(request: HttpRequest, agency_id: int) -> HttpResponse:
    form = AgencySettingsForm(request.POST)
    if form.is_valid():
        try:
            services.agency_settings_update(
                actor=request.user, agency_id=agency_id, **form.cleaned_data
            )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Pengaturan instansi disimpan."))
            return redirect("scheme:agency_settings", agency_id)
    return _settings_page(request, agency_id, status=422, general_form=form)


@login_required
@require_POST
@web_errors
def agency_policy(request: HttpRequest, agency_id: int) -> HttpResponse:
    form = PolicyForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            services.agency_policy_update(
                actor=request.user, agency_id=agency_id, data=form.to_data()
            )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            problems = _policy_problems(exc, form)
        else:
            messages.success(request, _("Kebijakan instansi disimpan."))
            return redirect("scheme:agency_settings", agency_id)
    return _settings_page(request, agency_id, status=422, policy_form=form, policy_errors=problems)


def _policy_problems(exc: ApplicationError, form: PolicyForm) -> list[str]:
    """The policy core's own (Indonesian) messages: on their field, else above the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    rest = []
    for problem in details.get("problems") or []:
        key = str(problem.get("key", "")) if isinstance(problem, dict) else ""
        message = str(problem.get("message", "")) if isinstance(problem, dict) else str(problem)
        if key in form.fields:
            form.add_error(key, message)
        else:
            rest.append(message)
    if not details.get("problems"):
        rest.append(error_message(exc))
    return rest


@login_required
@require_POST
@web_errors
def flex_day_add(request: HttpRequest, agency_id: int) -> HttpResponse:
    form = FlexDayForm(request.POST, prefix="hari")
    if form.is_valid():
        try:
            services.flex_day_declare(actor=request.user, agency_id=agency_id, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Hari kerja fleksibel nasional dicatat."))
            return redirect("scheme:agency_settings", agency_id)
    return _settings_page(request, agency_id, status=422, flex_day_form=form)


@login_required
@require_POST
@web_errors
def flex_day_remove(request: HttpRequest, agency_id: int, flex_day_id: int) -> HttpResponse:
    try:
        services.flex_day_remove(actor=request.user, flex_day_id=flex_day_id)
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Hari kerja fleksibel nasional dihapus."))
    return redirect("scheme:agency_settings", agency_id)
