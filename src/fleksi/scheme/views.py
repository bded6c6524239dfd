"""The agency settings area (HR admin / PPK): one page per section under
/kerja-fleksibel/instansi/<id>/pengaturan/?bagian=..., each form posting to its own URL."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fleksi.accounts.sessions import reauth_required
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import add_form_errors, error_message, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.forms import OfficeForm, PlaceForm
from fleksi.organisation.scoping import scope_for

from . import selectors, services
from .forms import AgencySettingsForm, FlexDayForm, PolicyForm, UnitMinimumsForm


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


SECTIONS: tuple[tuple[str, Any], ...] = (
    ("umum", gettext_lazy("Skema dan persetujuan")),
    ("kebijakan", gettext_lazy("Kebijakan")),
    ("unit", gettext_lazy("Minimum per unit")),
    ("kantor", gettext_lazy("Kantor")),
    ("lokasi", gettext_lazy("Lokasi lain")),
    ("hari", gettext_lazy("Hari fleksibel nasional")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)

# Labels of policy.json keys that are not fields of PolicyForm (the unit table, stored keys).
KEY_LABELS: dict[str, Any] = {
    "min_office_share": gettext_lazy("Minimum pegawai di kantor"),
    "min_office_headcount": gettext_lazy("Jumlah minimum pegawai di kantor"),
    "ramadan": gettext_lazy("Masa Ramadan"),
    "dynamic_start_window": gettext_lazy("Rentang jam mulai kerja dinamis"),
    "agency_enabled": gettext_lazy("Instansi menerapkan kerja fleksibel"),
    "disabled_units": gettext_lazy("Unit yang tidak menerapkan kerja fleksibel"),
    "allowed_location_kinds": gettext_lazy("Jenis lokasi yang diizinkan"),
    "service_units": gettext_lazy("Unit layanan"),
    "severity": gettext_lazy("Tingkat temuan aturan"),
}


def section_url(agency_id: int, section: str) -> str:
    return f"{reverse('scheme:agency_settings', args=[agency_id])}?bagian={section}"


def _section_of(request: HttpRequest, default: str = "umum") -> str:
    value = str(request.GET.get("bagian", "") or default)
    return value if value in SECTION_KEYS else default


def _error_summary(form: Any) -> list[dict[str, str]]:
    """Each error of a Django form as "label: message", linked to its field."""
    out: list[dict[str, str]] = []
    if form is None or not form.is_bound:
        return out
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for message in errors:
            if field is None:
                out.append({"text": str(message), "href": ""})
            else:
                text = str(message)
                if not text.startswith(str(field.label)):
                    text = f"{field.label}: {text}"
                out.append({"text": text, "href": f"#{form[name].auto_id}"})
    return out


def _settings_context(
    request: HttpRequest, agency_id: int, section: str, **forms: Any
) -> dict[str, Any]:
    settings = selectors.agency_settings_get(actor=request.user, agency_id=agency_id)
    agency = settings.agency
    context: dict[str, Any] = {
        "settings": settings,
        "agency": agency,
        "section": section,
        "sections": [
            {"key": key, "label": label, "url": section_url(agency.pk, key)}
            for key, label in SECTIONS
        ],
        "managed": [
            a
            for a in (
                org_selectors.agency_list(actor=request.user)
                if len(scope_for(request.user).admin_agency_ids) > 1
                else []
            )
            if scope_for(request.user).can_manage_agency(a.pk)
        ],
        "policy_errors": forms.get("policy_errors") or [],
    }
    if section == "umum":
        form = forms.get("general_form") or AgencySettingsForm(
            initial={
                "flexible_work_enabled": agency.flexible_work_enabled,
                "approval_supervisor_first": agency.approval_supervisor_first,
                "reminder_after_days": agency.reminder_after_days,
                "session_idle_minutes": agency.session_idle_minutes,
                "schedule_needs_confirmation": agency.schedule_needs_confirmation,
            }
        )
        context.update(general_form=form, error_summary=_error_summary(form))
    elif section == "kebijakan":
        form = forms.get("policy_form") or PolicyForm(
            initial=PolicyForm.initial_from(settings.policy.to_dict())
        )
        context.update(policy_form=form, error_summary=_error_summary(form))
    elif section == "unit":
        unit_form = forms.get("unit_form") or UnitMinimumsForm(
            tree=org_selectors.unit_tree(actor=request.user, agency_id=agency.pk),
            stored=settings.policy_data,
        )
        context.update(unit_form=unit_form, unit_rows=unit_form.rows())
    elif section == "kantor":
        form = forms.get("office_form") or OfficeForm(prefix="kantor")
        context.update(office_form=form, error_summary=_error_summary(form))
    elif section == "lokasi":
        form = forms.get("place_form") or PlaceForm(prefix="lokasi")
        context.update(place_form=form, error_summary=_error_summary(form))
    elif section == "hari":
        form = forms.get("flex_day_form") or FlexDayForm(prefix="hari")
        context.update(flex_day_form=form, error_summary=_error_summary(form))
    return context


def _settings_page(
    request: HttpRequest,
    agency_id: int,
    status: int = 200,
    *,
    section: str = "umum",
    **forms: Any,
) -> HttpResponse:
    return render(
        request,
        "scheme/agency_settings.html",
        _settings_context(request, agency_id, section, **forms),
        status=status,
    )


@login_required
@web_errors
def agency_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    return _settings_page(request, agency_id, section=_section_of(request))


@login_required
@reauth_required
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
            return redirect(section_url(agency_id, "umum"))
    return _settings_page(request, agency_id, status=422, section="umum", general_form=form)


@login_required
@reauth_required
@require_POST
@web_errors
def agency_policy(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The policy section (POST without ``bagian``, or ``bagian=kebijakan``) or the per-unit
    table (``bagian=unit``); both store policy.json, keeping the keys the other one owns."""
    stored = selectors.agency_settings_get(actor=request.user, agency_id=agency_id).policy_data
    if request.POST.get("bagian") == "unit":
        return _unit_minimums_post(request, agency_id, stored)
    form = PolicyForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            services.agency_policy_update(
                actor=request.user, agency_id=agency_id, data=form.to_data(stored)
            )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            problems = _policy_problems(exc, form)
        else:
            messages.success(request, _("Kebijakan instansi disimpan."))
            return redirect(section_url(agency_id, "kebijakan"))
    return _settings_page(
        request,
        agency_id,
        status=422,
        section="kebijakan",
        policy_form=form,
        policy_errors=problems,
    )


def _unit_minimums_post(
    request: HttpRequest, agency_id: int, stored: dict[str, Any]
) -> HttpResponse:
    form = UnitMinimumsForm(
        tree=org_selectors.unit_tree(actor=request.user, agency_id=agency_id),
        stored=stored,
        data=request.POST,
    )
    if form.is_valid():
        try:
            services.agency_policy_update(
                actor=request.user, agency_id=agency_id, data=form.to_data()
            )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            for message in _policy_problems(exc, None):
                form.add_problem(message)
        else:
            messages.success(request, _("Minimum per unit disimpan."))
            return redirect(section_url(agency_id, "unit"))
    return _settings_page(request, agency_id, status=422, section="unit", unit_form=form)


def plain_problem(key: str, message: str, label: str) -> str:
    """A policy-core message with its internal key replaced by the field's label:
    "max_location_days_per_week 3 tidak diizinkan: ..." -> "Paling banyak ...: 3 tidak ..."."""
    text = message.strip()
    if key and text.startswith(key):
        text = f"{label}: {text[len(key):].lstrip(' :')}"
    elif key:
        text = text.replace(key, label)
    return text.replace("'*'", str(_("semua unit")))


def _policy_problems(exc: ApplicationError, form: PolicyForm | None) -> list[str]:
    """The policy core's own (Indonesian) messages, naming the field's label instead of the
    policy.json key: on their field, else above the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    rest = []
    for problem in details.get("problems") or []:
        key = str(problem.get("key", "")) if isinstance(problem, dict) else ""
        message = str(problem.get("message", "")) if isinstance(problem, dict) else str(problem)
        if form is not None and key in form.fields:
            form.add_error(key, plain_problem(key, message, str(form.fields[key].label)))
        else:
            label = KEY_LABELS.get(key) or _("Kebijakan tersimpan")
            rest.append(plain_problem(key, message, str(label)))
    if not details.get("problems"):
        rest.append(error_message(exc))
    return rest


@login_required
@reauth_required
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
            return redirect(section_url(agency_id, "hari"))
    return _settings_page(request, agency_id, status=422, section="hari", flex_day_form=form)


@login_required
@reauth_required
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
    return redirect(section_url(agency_id, "hari"))
