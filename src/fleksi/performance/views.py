"""Pages of performance under /kinerja/: the employee's daily log (phone first), a period
(planned vs realised, the log with feedback, the assessment and the response), the head's
assessment form and the unit view. HTTP only: parse, call one service or selector, render."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fleksi.accounts.sessions import reauth_required
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import add_form_errors, error_message, int_param, parse_id, web_errors
from fleksi.core.humanize import date_ranges_text, day_text
from fleksi.organisation.scoping import scope_for
from fleksi.policy import rating

from . import export, selectors, services
from .forms import AssessmentForm, CommentForm, LogForm, OutputForm, ResponseForm, SettingsForm
from .periods import PERIOD_CADENCE


def _period_param(request: HttpRequest) -> str | None:
    """The ``?periode=`` of a page (``YYYY-MM`` or ``YYYY-TWn``), None when absent."""
    return request.GET.get("periode", "").strip() or None


def period_redirect(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a period whose key the agency's cadence does not use (``2026-11`` of a
    quarter, ``2026-TW4`` of a month) goes to the key that holds it, with the same query."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            if details.get("reason") != PERIOD_CADENCE or request.resolver_match is None:
                raise
            target = reverse(request.resolver_match.view_name, args=args, kwargs={**kwargs, "period": details["period"]})
            query = request.META.get("QUERY_STRING", "")
            return redirect(f"{target}?{query}" if query else target)

    return wrapper


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


@login_required
@web_errors
def my_log(request: HttpRequest) -> HttpResponse:
    """Today's log on a phone: the form, this month's outputs and entries."""
    scope = scope_for(request.user)
    if scope.employee_id is None:
        raise Http404(_("Akun ini tidak terhubung dengan data pegawai."))
    employee = selectors.employee_in_scope(scope, None)
    today = selectors.today_of(employee)
    try:
        view = selectors.employee_period(actor=request.user, employee_id=None, period=_period_param(request))
    except ApplicationError as exc:  # a bad ?periode=: this period
        if exc.code != ErrorCode.VALIDATION:
            raise
        view = selectors.employee_period(actor=request.user, employee_id=None, period=None)
    outputs = [p.output for p in view.outputs]
    form = LogForm(initial={"date": today}, outputs=outputs)
    if request.method == "POST":
        form = LogForm(request.POST, request.FILES, outputs=outputs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.log_create(
                    actor=request.user,
                    data=services.LogInput(
                        date=data["date"], description=data["description"], quantity=data["quantity"],
                        minutes=data["minutes"], planned_output_id=data["planned_output_id"],
                        evidence_url=data["evidence_url"] or None,
                    ),
                )
                if data.get("file"):
                    try:
                        services.evidence_add(actor=request.user, entry_id=entry.pk, upload=data["file"])
                    except ApplicationError as exc:
                        messages.error(request, _("Laporan tersimpan, tetapi berkas ditolak: %(m)s") % {"m": error_message(exc)})
                        return redirect("performance:my_log")
                messages.success(request, _("Laporan harian tersimpan."))
                return redirect("performance:my_log")
            except ApplicationError as exc:
                add_form_errors(form, exc)
    today_entries = [e for e in view.entries if e.date == today]
    return render(request, "performance/my_log.html", {
        "view": view, "form": form, "today": today, "today_entries": today_entries,
        "entries": list(reversed(view.entries)), "output_form": OutputForm(),
        "comment_form": CommentForm(), "flexible_today": today in view.flexible_days,
    })


@login_required
@require_POST
@web_errors
def log_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        services.log_delete(actor=request.user, entry_id=entry_id)
        messages.success(request, _("Laporan harian dihapus."))
    except ApplicationError as exc:
        if exc.status == 404 or exc.status == 403:
            raise
        messages.error(request, error_message(exc))
    return _back(request, reverse("performance:my_log"))


@login_required
@require_POST
@web_errors
def comment_add(request: HttpRequest, entry_id: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=request.user, entry_id=entry_id, body=form.cleaned_data["body"])
            messages.success(request, _("Umpan balik terkirim."))
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, error_message(exc))
    else:
        messages.error(request, _("Tulis umpan balik terlebih dahulu."))
    return _back(request, reverse("performance:my_log"))


@login_required
@require_GET
@web_errors
def evidence_open(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A file of evidence, only for who may see its entry (checked by the service)."""
    evidence, handle = services.evidence_open(actor=request.user, evidence_id=evidence_id)
    response = FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name, as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@login_required
@require_POST
@web_errors
def output_propose(request: HttpRequest) -> HttpResponse:
    form = OutputForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.output_propose(actor=request.user, data=services.OutputInput(
                description=d["description"], target_quantity=d["target_quantity"], unit=d["unit"],
                due_date=d["due_date"], skp_text=d["skp_text"]))
            messages.success(request, _("Keluaran ditambahkan; menunggu persetujuan pimpinan."))
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
    else:
        messages.error(request, _("Periksa isian keluaran."))
    return _back(request, reverse("performance:my_log"))


@login_required
@require_POST
@web_errors
def output_decide(request: HttpRequest, output_id: int) -> HttpResponse:
    try:
        services.output_decide(actor=request.user, output_id=output_id, agree=request.POST.get("agree") == "1")
        messages.success(request, _("Keputusan tersimpan."))
    except ApplicationError as exc:
        if exc.status in (403, 404):  # not the actor's to decide: refused, as the API does
            raise
        messages.error(request, error_message(exc))
    return _back(request, reverse("performance:my_log"))


def _nav(request: HttpRequest, employee_id: int, period: str) -> dict[str, Any]:
    unit_id = int_param(request, "unit")
    if unit_id is None:
        return {}
    try:
        previous, following = selectors.next_employee(actor=request.user, unit_id=unit_id, period=period, employee_id=employee_id)
    except ApplicationError:
        return {}
    return {"nav_unit": unit_id, "previous_id": previous, "next_id": following}


@login_required
@web_errors
@period_redirect
def period(request: HttpRequest, employee_id: int, period: str) -> HttpResponse:
    view = selectors.employee_period(actor=request.user, employee_id=employee_id, period=period)
    context = {"view": view, "comment_form": CommentForm(), "response_form": ResponseForm(),
               "behaviours": list(rating.BehaviourValue), **_nav(request, employee_id, period)}
    return render(request, "performance/period.html", context)


@login_required
@web_errors
@period_redirect
def assess(request: HttpRequest, employee_id: int, period: str) -> HttpResponse:
    view = selectors.employee_period(actor=request.user, employee_id=employee_id, period=period)
    if not view.can_assess:
        raise Http404(_("Penilaian"))
    a = view.assessment
    initial = {"outputs": dict(a.output_ratings), "behaviours": dict(a.behaviour_ratings)} if a else None
    form = AssessmentForm(initial={"feedback": a.feedback if a else ""}, outputs=view.outputs, initial_ratings=initial)
    nav = _nav(request, employee_id, period)
    if request.method == "POST":
        form = AssessmentForm(request.POST, outputs=view.outputs, initial_ratings=initial)
        if form.is_valid():
            outputs, behaviours = form.ratings()
            try:
                services.assessment_save(actor=request.user, employee_id=employee_id, period=period, data=services.AssessmentInput(
                    output_ratings=outputs, behaviour_ratings=behaviours, feedback=form.cleaned_data["feedback"]))
                if request.POST.get("finalise") == "1":
                    services.assessment_finalise(actor=request.user, employee_id=employee_id, period=period)
                    messages.success(request, _("Penilaian difinalkan."))
                else:
                    messages.success(request, _("Draf penilaian tersimpan."))
                target = reverse("performance:period", args=[employee_id, period])
                if nav.get("nav_unit"):
                    target += f"?unit={nav['nav_unit']}"
                return redirect(target)
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, error_message(exc))
    return render(request, "performance/assess.html", {
        "view": view, "form": form, "rows": list(zip(view.outputs, form.output_fields(), strict=True)), **nav,
    })


@login_required
@require_POST
@web_errors
@period_redirect
def respond(request: HttpRequest, employee_id: int, period: str) -> HttpResponse:
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_respond(actor=request.user, employee_id=employee_id, period=period, response=form.cleaned_data["response"])
            messages.success(request, _("Tanggapan tersimpan."))
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, error_message(exc))
    return redirect("performance:period", employee_id, period)


def _xlsx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@web_errors
@period_redirect
def export_employee(request: HttpRequest, employee_id: int, period: str) -> HttpResponse:
    return _xlsx(*export.employee_xlsx(actor=request.user, employee_id=employee_id, period=period))


@login_required
@require_GET
@web_errors
@period_redirect
def export_unit(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    return _xlsx(*export.unit_xlsx(actor=request.user, unit_id=unit_id, period=period))


@login_required
@require_GET
@web_errors
def unit_home(request: HttpRequest) -> HttpResponse:
    """The first unit the actor heads (or the agency's root for HR), this period."""
    scope = scope_for(request.user)
    unit_id = int_param(request, "unit") or (min(scope.head_unit_ids) if scope.head_unit_ids else None)
    if unit_id is None:
        raise Http404(_("Unit organisasi"))
    key = selectors.unit_current_period(actor=request.user, unit_id=unit_id, wanted=_period_param(request))
    return redirect("performance:unit_period", unit_id, key)


@login_required
@require_GET
@web_errors
@period_redirect
def unit_period(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    view = selectors.unit_period(actor=request.user, unit_id=unit_id, period=period)
    # 500 rows: the links and words are made once here, not by template tags per row.
    period_url = reverse("performance:period", args=[0, view.period]).replace("/0/", "/{}/", 1) + f"?unit={unit_id}"
    assess_url = reverse("performance:assess", args=[0, view.period]).replace("/0/", "/{}/", 1) + f"?unit={unit_id}"
    predikat = {p.value: _(p.label_id) for p in rating.Predikat}
    own = scope_for(request.user).employee_id  # a head is assessed by the head above
    state = {"draft": _("draf"), "": _("belum")}
    rows = [
        {
            "name": r.name, "unit_name": r.unit_name, "period_url": period_url.format(r.employee_id),
            "assess_url": assess_url.format(r.employee_id) if view.can_assess and r.employee_id != own else "",
            "done": f"{r.outputs_done} / {r.outputs}",
            "proposed": _("%(n)s menunggu") % {"n": r.proposed} if r.proposed else "",
            "realised": f"{r.realised.normalize():f} / {r.target.normalize():f}",
            "entries": r.entries, "minutes": _("%(m)s menit") % {"m": r.minutes},
            "missing": len(r.missing_days), "missing_text": date_ranges_text(r.missing_days),
            "flexible": r.flexible_days,
            "final": r.assessment_state == "final",
            "assessment": predikat.get(r.predikat, "") if r.assessment_state == "final" else state.get(r.assessment_state, ""),
        }
        for r in view.rows
    ]
    return render(request, "performance/unit_period.html", {
        "view": view, "rows_html": _unit_rows_html(rows), "has_rows": bool(rows),
        "previous_period": view.previous_period, "next_period": view.next_period,
    })


def _unit_rows_html(rows: list[dict[str, Any]]) -> str:
    """The table rows of the unit view, escaped by ``format_html`` (a unit has hundreds of
    rows: the template engine per row was half of the page's time, docs/benchmarks.md)."""
    assess = _("Nilai")
    parts = []
    for r in rows:
        proposed = format_html(' <span class="badge">{}</span>', r["proposed"]) if r["proposed"] else ""
        missing = (
            format_html('<span class="late">{}</span> <span class="small">{}</span>', r["missing"], r["missing_text"])
            if r["missing"] else format_html('<span class="muted">0 / {}</span>', r["flexible"])
        )
        state = r["assessment"] if r["final"] else format_html('<span class="muted">{}</span>', r["assessment"])
        link = format_html(' · <a href="{}">{}</a>', r["assess_url"], assess) if r["assess_url"] else ""
        parts.append(format_html(
            '<tr><td><a href="{}">{}</a> <span class="small muted">{}</span></td><td>{}{}</td><td>{}</td>'
            '<td>{} <span class="small muted">{}</span></td><td>{}</td><td>{}{}</td></tr>\n',
            r["period_url"], r["name"], r["unit_name"], r["done"], proposed, r["realised"],
            r["entries"], r["minutes"], missing, state, link,
        ))
    return mark_safe("".join(parts))  # noqa: S308 - every part is format_html output


# ---------------------------------------------------------------------------------------
# The agency's performance settings (HR admin, PPK; docs/decisions/190)


def _settings_agency(request: HttpRequest) -> int:
    """``?instansi=`` (or the form's) when the actor manages it, else their first agency."""
    scope = scope_for(request.user)
    wanted = int_param(request, "instansi") or parse_id(request.POST.get("instansi"))
    if wanted is not None and (wanted in scope.admin_agency_ids or scope.is_system_admin):
        return wanted
    if not scope.admin_agency_ids:
        raise Http404(_("Instansi"))
    return min(scope.admin_agency_ids)


@login_required
@never_cache
@reauth_required
@require_http_methods(["GET", "POST"])
@web_errors
def settings_page(request: HttpRequest) -> HttpResponse:
    """The check-out rule and the assessment cadence of the agency."""
    agency_id = _settings_agency(request)
    view = selectors.settings_get(actor=request.user, agency_id=agency_id)
    form = SettingsForm(initial={
        "log_required_before_check_out": view.settings.log_required_before_check_out, "cadence": view.chosen,
    })
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                result = services.settings_update(actor=request.user, agency_id=agency_id, **form.cleaned_data)
            except ApplicationError as exc:
                if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                    raise
                add_form_errors(form, exc)
            else:
                if result.cadence_from is not None:
                    messages.success(request, _("Pengaturan kinerja disimpan. Periode penilaian baru berlaku mulai %(d)s.") % {
                        "d": day_text(result.cadence_from)})
                else:
                    messages.success(request, _("Pengaturan kinerja disimpan."))
                return redirect(reverse("performance:settings") + f"?instansi={agency_id}")
        status = 422
    return render(request, "performance/settings.html", {"view": view, "form": form}, status=status)
