"""Pages of the flexible-work workflow: HTTP only.

Each view parses its input with a form, calls the service (writes) or selector (reads) that
does the work, and renders. Permissions live in the services and selectors: a request,
unit or agency outside the actor's scope is NOT_FOUND there and a 404 here (``web_errors``),
never a hint that it exists. See docs/decisions/050-web-ui-request-workflow.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, parse_id, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for

from . import selectors, services
from .forms import (
    OUTPUT_PREFIX,
    WEEKDAYS,
    AgencySettingsForm,
    BulkApproveForm,
    CancelForm,
    FlexDayForm,
    InboxFilterForm,
    NoteForm,
    OfficeForm,
    PlaceForm,
    PolicyForm,
    ReasonForm,
    RequestForm,
    output_formset,
)
from .models import RequestState, ScheduleMode

PAGE_SIZE = 25
FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 400
WEEKDAY_NAMES = dict(WEEKDAYS)


# ---- helpers ---------------------------------------------------------------------------------


def _message_for(exc: ApplicationError) -> str:
    return exc.message or _("Permintaan tidak dapat diproses.")


def _findings_of(exc: ApplicationError) -> list[Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    return list(details.get("findings") or [])


def _field_errors_of(exc: ApplicationError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    fields = details.get("fields")
    return dict(fields) if isinstance(fields, dict) else {}


def _add_form_errors(form: Any, exc: ApplicationError, aliases: dict[str, str] | None = None) -> None:
    fields = _field_errors_of(exc)
    if not fields:
        form.add_error(None, _message_for(exc))
        return
    for name, message in fields.items():
        target = (aliases or {}).get(name, name)
        for text in message if isinstance(message, list | tuple) else [message]:
            form.add_error(target if target in form.fields else None, str(text))


# ---- my requests --------------------------------------------------------------------------


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "")
    if state not in RequestState.values:
        state = ""
    page = Paginator(selectors.request_list_mine(actor=request.user, state=state or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "arrangements/my_requests.html",
        {"page": page, "requests": page.object_list, "state": state, "states": RequestState.choices},
    )


# ---- the request form --------------------------------------------------------------------


def _request_form(request: HttpRequest, subject: Any, data: Any = None, files: Any = None, initial: Any = None) -> RequestForm:
    return RequestForm(
        data,
        files,
        initial=initial,
        offices=selectors.offices_for(actor=request.user),
        places=selectors.places_for(actor=request.user),
        time_flexibility=subject.time_flexibility,
    )


def _outputs_initial(req: Any) -> list[dict[str, Any]]:
    return [
        {"description": o.description, "target_quantity": o.target_quantity, "unit": o.unit, "due_date": o.due_date}
        for o in req.outputs.all()
    ]


def _with_one_more_row(data: Any, prefix: str) -> Any:
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key, "0")
    data[key] = str(int(total) + 1 if str(total).isdigit() else 1)
    return data


def _render_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "arrangements/request_form.html", context, status=status)


@login_required
@web_errors
def request_new(request: HttpRequest) -> HttpResponse:
    me = org_selectors.employee_for_user(user=request.user)
    if me is None:
        messages.error(request, _("Akun Anda tidak terhubung dengan data pegawai, sehingga tidak dapat mengajukan kerja fleksibel."))
        return redirect("home")
    return _request_form_view(request, req=None, subject=me)


@login_required
@web_errors
def request_edit(request: HttpRequest, request_id: int) -> HttpResponse:
    req = selectors.request_get(actor=request.user, request_id=request_id)
    if not selectors.request_can_edit(actor=request.user, request=req):
        if req.employee_id != scope_for(request.user).employee_id:
            raise Http404
        messages.warning(request, _("Pengajuan ini tidak dapat diubah lagi."))
        return redirect("arrangements:request_detail", req.pk)
    return _request_form_view(request, req=req, subject=req.employee)


def _request_form_view(request: HttpRequest, *, req: Any, subject: Any) -> HttpResponse:
    stored = selectors.request_findings(request=req) if req is not None else []
    context: dict[str, Any] = {
        "req": req,
        "subject": subject,
        "evidence": list(req.evidence.all()) if req is not None else [],
        "findings": stored if req is not None else None,
        "has_errors": any(f.is_error for f in stored),
        "error_count": sum(1 for f in stored if f.is_error),
    }
    if request.method != "POST":
        initial = RequestForm.initial_from(req) if req is not None else {"employee": subject.pk}
        context["form"] = _request_form(request, subject, initial=initial)
        context["outputs"] = output_formset(initial=_outputs_initial(req) if req is not None else None)
        return _render_form(request, context)

    action = request.POST.get("action", "save")
    if action == "add_output":  # "Tambah baris" without JavaScript: the same form, one more row
        context["form"] = _request_form(request, subject, request.POST, request.FILES)
        context["outputs"] = output_formset(_with_one_more_row(request.POST, OUTPUT_PREFIX))
        return _render_form(request, context)

    form = _request_form(request, subject, request.POST, request.FILES)
    outputs = output_formset(request.POST)
    context.update(form=form, outputs=outputs)
    if not (form.is_valid() and outputs.is_valid()):
        return _render_form(request, context, status=422)

    data = form.to_input(outputs.outputs())
    try:
        if req is None:
            # The service accepts only the actor's own employee: a tampered id is NOT_FOUND.
            req = services.request_create(actor=request.user, data=data, employee_id=form.cleaned_data.get("employee"))
        else:
            req = services.request_update(actor=request.user, request_id=req.pk, data=data)
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        _service_errors_on(form, context, exc)
        return _render_form(request, context, status=422)

    for upload in form.cleaned_data.get("evidence") or []:
        try:
            services.evidence_add(actor=request.user, request_id=req.pk, upload=upload)
        except ApplicationError as exc:
            messages.error(request, _("Bukti %(name)s tidak tersimpan: %(reason)s") % {"name": upload.name, "reason": _message_for(exc)})

    if action != "submit":
        messages.success(request, _("Draf pengajuan #%(id)s disimpan.") % {"id": req.pk})
        return redirect("arrangements:request_detail", req.pk)
    try:
        services.request_submit(actor=request.user, request_id=req.pk)
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        # The draft is kept; the form comes back with why it cannot be submitted yet.
        req = selectors.request_get(actor=request.user, request_id=req.pk)
        stored = selectors.request_findings(request=req)
        context.update(
            req=req,
            evidence=list(req.evidence.all()),
            findings=stored,
            has_errors=any(f.is_error for f in stored),
            error_count=sum(1 for f in stored if f.is_error),
            submit_error=_("Draf #%(id)s disimpan, tetapi belum dapat diajukan. %(reason)s") % {"id": req.pk, "reason": _message_for(exc)},
            submit_findings=[f for f in _finding_views(_findings_of(exc)) if f["severity"] == "error"],
        )
        if _field_errors_of(exc):
            _service_errors_on(form, context, exc)
        return _render_form(request, context, status=422)
    messages.success(request, _("Pengajuan #%(id)s diajukan untuk persetujuan.") % {"id": req.pk})
    return redirect("arrangements:request_detail", req.pk)


def _service_errors_on(form: RequestForm, context: dict[str, Any], exc: ApplicationError) -> None:
    fields = _field_errors_of(exc)
    if not fields:
        form.add_error(None, _message_for(exc))
        return
    if "outputs" in fields:
        context["output_errors"] = [str(fields.pop("outputs"))]
    if "file" in fields:
        fields["evidence"] = fields.pop("file")
    form.add_service_errors(fields)


def _finding_views(items: list[Any]) -> list[dict[str, Any]]:
    """Findings from an error's details (JSON: dates as text) ready for the templates."""
    out = []
    for item in items:
        if not isinstance(item, dict):
            item = item.as_dict()
        date = item.get("date")
        out.append({**item, "date": dt.date.fromisoformat(date) if isinstance(date, str) and date else date})
    return out


@login_required
@require_POST
@web_errors
def request_check(request: HttpRequest, request_id: int | None = None) -> HttpResponse:
    """The live check (htmx): the findings of the form as it stands; nothing is saved."""
    subject: Any
    if request_id is not None:
        subject = selectors.request_get(actor=request.user, request_id=request_id).employee
    else:
        subject = org_selectors.employee_for_user(user=request.user)
        if subject is None:
            raise Http404
    form = _request_form(request, subject, request.POST)
    outputs = output_formset(request.POST)
    context: dict[str, Any] = {"findings": None, "problems": [], "oob": True}
    outputs_ok = outputs.is_valid()
    if not form.is_valid():
        context["problems"] = [
            (form.fields[name].label if name in form.fields else "", message)
            for name, errors in form.errors.items()
            for message in errors
        ]
        return render(request, "arrangements/_findings.html", context)
    data = form.to_input(outputs.outputs() if outputs_ok else ())
    try:
        outcome = services.request_check(
            actor=request.user,
            data=data,
            employee_id=None if request_id is not None else form.cleaned_data.get("employee"),
            request_id=request_id,
        )
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        aliases = RequestForm.FIELD_ALIASES
        context["problems"] = [
            (form.fields[aliases.get(n, n)].label if aliases.get(n, n) in form.fields else "", str(m))
            for n, m in _field_errors_of(exc).items()
        ] or [("", _message_for(exc))]
        return render(request, "arrangements/_findings.html", context)
    context.update(
        findings=outcome.findings,
        has_errors=outcome.has_errors,
        error_count=sum(1 for f in outcome.findings if f.is_error),
        dates=outcome.dates,
    )
    return render(request, "arrangements/_findings.html", context)


# ---- request detail and decisions ----------------------------------------------------------


def _detail_context(request: HttpRequest, req: Any) -> dict[str, Any]:
    actor = request.user
    hours = [
        (WEEKDAY_NAMES.get(int(day), day), pair)
        for day, pair in sorted((req.hours or {}).items(), key=lambda item: int(item[0]))
    ]
    dates = [dt.date.fromisoformat(str(d)) for d in req.dates or []] if req.schedule_mode == ScheduleMode.DATES else []
    transitions = list(req.transitions.all())
    for t in transitions:
        # The employee's own steps by name; others by their login (the selector does not
        # join the approver's employee record).
        if t.actor is None:
            t.actor_name = ""
        elif t.actor_id == req.employee.user_id:
            t.actor_name = req.employee.name
        else:
            t.actor_name = t.actor.get_full_name() or t.actor.get_username()
    can_approve = selectors.request_can_decide(actor=actor, request=req)
    return {
        "req": req,
        "is_own": req.employee_id == scope_for(actor).employee_id,
        "outputs": list(req.outputs.all()),
        "evidence": list(req.evidence.all()),
        "transitions": transitions,
        "findings": selectors.request_findings(request=req),
        "hours": hours,
        "dates": dates,
        "weekday_names": [str(WEEKDAY_NAMES.get(int(d), d)) for d in req.weekdays or []],
        "can_edit": selectors.request_can_edit(actor=actor, request=req),
        "can_cancel": selectors.request_can_cancel(actor=actor, request=req),
        "can_approve": can_approve,
        "can_revoke": selectors.request_can_revoke(actor=actor, request=req),
        "note_form": NoteForm(prefix=None),
        "reject_form": ReasonForm(),
        "return_form": ReasonForm(),
        "revoke_form": ReasonForm(),
        "cancel_form": CancelForm(),
    }


@login_required
@web_errors
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    req = selectors.request_get(actor=request.user, request_id=request_id)
    return render(request, "arrangements/request_detail.html", _detail_context(request, req))


DECISIONS: dict[str, tuple[Any, type, str]] = {
    # name: (service, form, the form's name in the detail page's context)
    "approve": (services.request_approve, NoteForm, "note_form"),
    "reject": (services.request_reject, ReasonForm, "reject_form"),
    "return": (services.request_return, ReasonForm, "return_form"),
    "revoke": (services.request_revoke, ReasonForm, "revoke_form"),
    "cancel": (services.request_cancel, CancelForm, "cancel_form"),
}


def _decision_done(decision: str, request_id: int) -> str:
    texts = {
        "approve": _("Pengajuan #%(id)s disetujui."),
        "reject": _("Pengajuan #%(id)s ditolak."),
        "return": _("Pengajuan #%(id)s dikembalikan untuk perbaikan."),
        "revoke": _("Persetujuan pengajuan #%(id)s dicabut."),
        "cancel": _("Pengajuan #%(id)s dibatalkan."),
    }
    return texts[decision] % {"id": request_id}


def _decide(request: HttpRequest, request_id: int, decision: str) -> HttpResponse:
    service, form_class, key = DECISIONS[decision]
    form = form_class(request.POST)
    if not form.is_valid():
        req = selectors.request_get(actor=request.user, request_id=request_id)
        context = _detail_context(request, req)
        context[key] = form
        return render(request, "arrangements/request_detail.html", context, status=422)
    kwargs: dict[str, Any] = {"actor": request.user, "request_id": request_id}
    if decision == "approve":
        kwargs["note"] = form.cleaned_data["note"]
    else:
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(**kwargs)
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        if not _findings_of(exc) and _field_errors_of(exc) and key in ("reject_form", "return_form", "revoke_form"):
            req = selectors.request_get(actor=request.user, request_id=request_id)
            context = _detail_context(request, req)
            _add_form_errors(form, exc)
            context[key] = form
            return render(request, "arrangements/request_detail.html", context, status=422)
        messages.error(request, _message_for(exc))
        for finding in _finding_views(_findings_of(exc)):
            if finding.get("severity") == "error":
                messages.error(request, f"{finding.get('code')}: {finding.get('message')} — {finding.get('basis')}")
        return redirect("arrangements:request_detail", request_id)
    messages.success(request, _decision_done(decision, request_id))
    if decision in ("approve", "reject", "return") and request.POST.get("next") == "inbox":
        return redirect("arrangements:inbox")
    return redirect("arrangements:request_detail", request_id)


@login_required
@require_POST
@web_errors
def request_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, "approve")


@login_required
@require_POST
@web_errors
def request_reject(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, "reject")


@login_required
@require_POST
@web_errors
def request_return(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, "return")


@login_required
@require_POST
@web_errors
def request_revoke(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, "revoke")


@login_required
@require_POST
@web_errors
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, "cancel")


@login_required
@require_GET
@web_errors
def evidence_open(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A supporting file, only for who may see its request (checked by the service)."""
    evidence, handle = services.evidence_open(actor=request.user, evidence_id=evidence_id)
    response = FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a streaming response, as web_errors allows


# ---- inbox --------------------------------------------------------------------------------


def _request_dates_in(req: Any, days: list[Any]) -> set[dt.date]:
    """The dates of ``req`` among a calendar week's working days (no query)."""
    out = set()
    listed = {str(d) for d in req.dates or []}
    for day in days:
        if not (req.start_date <= day.date <= req.end_date):
            continue
        if req.schedule_mode == ScheduleMode.DATES:
            if day.date.isoformat() in listed:
                out.add(day.date)
        elif day.date.weekday() in (req.weekdays or []) and day.is_working_day:
            out.add(day.date)
    return out


def _inbox_coverage(request: HttpRequest, rows: list[Any]) -> dict[int, list[dict[str, Any]]]:
    """For each request: its unit's office coverage on its days in its first coming week,
    and what approving it would leave. One calendar read per (unit, week) on the page."""
    today = clock.today()
    weeks: dict[tuple[int, dt.date], Any] = {}
    out: dict[int, list[dict[str, Any]]] = {}
    for req in rows:
        first = max(req.start_date, today)
        monday = first - dt.timedelta(days=first.weekday())
        key = (req.employee.unit_id, monday)
        if key not in weeks:
            try:
                weeks[key] = selectors.unit_week_calendar(actor=request.user, unit_id=key[0], week_start=monday)
            except ApplicationError:
                weeks[key] = None
        week = weeks[key]
        if week is None:
            continue
        dates = _request_dates_in(req, week.days)
        away = req.location_kind != "kantor"
        items = []
        for cov in week.coverage:
            if cov.date not in dates:
                continue
            after = cov.office - (1 if away else 0)
            items.append(
                {
                    "date": cov.date,
                    "office": cov.office,
                    "after": after,
                    "total": cov.total,
                    "required": cov.required,
                    "minimum": cov.minimum,
                    "below": cov.below_minimum or (cov.minimum > 0 and after < cov.required),
                }
            )
        out[req.pk] = items
    return out


def _inbox_context(request: HttpRequest) -> dict[str, Any]:
    scope = scope_for(request.user)
    units = [u for u in org_selectors.unit_list(actor=request.user) if any(u.path.startswith(p) for p in scope.head_unit_paths)]
    filters = InboxFilterForm(request.GET or None, units=units)
    state, unit_id, search = RequestState.SUBMITTED.value, None, ""
    if filters.is_valid():
        state = filters.cleaned_data["status"] or RequestState.SUBMITTED.value
        unit_id = filters.cleaned_data["unit"]
        search = filters.cleaned_data["q"]
    page = Paginator(
        selectors.inbox_list(actor=request.user, state=state, unit_id=unit_id, search=search), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    coverage = _inbox_coverage(request, rows) if state == RequestState.SUBMITTED else {}
    for row in rows:
        row.finding_views = selectors.request_findings(request=row)
        row.coverage_days = coverage.get(row.pk, [])
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "filters": filters,
        "state": state,
        "page": page,
        "rows": rows,
        "can_bulk": state == RequestState.SUBMITTED,
        "query": request.GET.urlencode(),
        "query_without_page": params.urlencode(),
    }


def _require_employee(request: HttpRequest) -> None:
    """The inbox lists what the actor decides as a head or a direct supervisor; an account
    without an employee record decides nothing."""
    if scope_for(request.user).employee_id is None:
        raise Http404


@login_required
@web_errors
def inbox(request: HttpRequest) -> HttpResponse:
    _require_employee(request)
    return render(request, "arrangements/inbox.html", _inbox_context(request))


@login_required
@require_POST
@web_errors
def inbox_bulk_approve(request: HttpRequest) -> HttpResponse:
    _require_employee(request)
    form = BulkApproveForm(request.POST)
    results: list[Any] = []
    if form.is_valid():
        results = services.request_bulk_approve(actor=request.user, request_ids=form.cleaned_data["pilih"])
        done = sum(1 for r in results if r.ok)
        if done:
            messages.success(request, _("%(n)s pengajuan disetujui.") % {"n": done})
        if done < len(results):
            messages.error(request, _("%(n)s pengajuan tidak dapat disetujui; lihat alasannya di bawah.") % {"n": len(results) - done})
    else:
        for error in form.errors.get("pilih", []):
            messages.error(request, str(error))
    context = _inbox_context(request)
    context["bulk_results"] = results
    return render(request, "arrangements/inbox.html", context, status=200 if form.is_valid() else 422)


# ---- team calendar --------------------------------------------------------------------------


def _calendar_units(request: HttpRequest) -> list[Any]:
    """The units whose calendar the actor may open (for the unit filter; one query)."""
    scope = scope_for(request.user)
    units = list(org_selectors.unit_list(actor=request.user))
    if scope.everything:
        return units
    return [
        u
        for u in units
        if u.agency_id in scope.admin_agency_ids or any(u.path.startswith(p) for p in scope.head_unit_paths)
    ]


@login_required
@web_errors
def team_calendar(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = _calendar_units(request) if (scope.everything or scope.admin_agency_ids or scope.is_head) else []
    unit_id = int_param(request, "unit")
    if unit_id is None:
        me = org_selectors.employee_for_user(user=request.user)
        if me is not None:
            unit_id = me.unit_id
        elif units:
            unit_id = units[0].pk
        else:
            raise Http404
    raw_week = request.GET.get("minggu", "").strip()
    try:
        monday = selectors.parse_week(raw_week) if raw_week else clock.today() - dt.timedelta(days=clock.today().weekday())
    except ApplicationError as exc:
        messages.error(request, _message_for(exc))
        monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    week = selectors.unit_week_calendar(actor=request.user, unit_id=unit_id, week_start=monday)
    today = clock.today()
    return render(
        request,
        "arrangements/team_calendar.html",
        {
            "week": week,
            "units": units,
            "unit_id": unit_id,
            "this_week": week_label_of(today),
            "today": today,
            "columns": list(zip(week.days[:5], week.coverage[:5], strict=True)),
        },
    )


def week_label_of(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


# ---- the personal iCalendar feed ---------------------------------------------------------


def _ical_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _ical_fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space, never
    splitting a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _ical_summary(day: Any) -> str:
    where = {
        "kantor": _("Kerja di kantor"),
        "kantor_lain": _("Kerja di kantor lain"),
        "rumah": _("Kerja dari rumah"),
        "lokasi_lain": _("Kerja di lokasi lain"),
    }.get(day.location_kind, day.location_kind)
    if day.location_kind == "kantor_lain" and day.request.office:
        where = f"{where}: {day.request.office.name}"
    elif day.location_kind == "lokasi_lain" and day.request.place:
        where = f"{where}: {day.request.place.name}"
    if day.time_kind == "dinamis":
        where = f"{where} · {_('kerja dinamis')}"
    elif day.time_kind == "sif":
        where = f"{where} · {_('sif')}"
    return where


def _ical_feed_text(*, employee: Any, days: list[Any], host: str, now: dt.datetime) -> str:
    """The employee's arrangement days as an RFC 5545 calendar: one VEVENT per day, all-day
    unless the day has its own hours (then in UTC, from the unit's zone)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(employee.unit.time_zone or "Asia/Jakarta")
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fleksi//Kerja Fleksibel ASN//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ical_text(_('Kerja fleksibel') + ' – ' + employee.name)}",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for day in days:
        lines += ["BEGIN:VEVENT", f"UID:fleksi-day-{day.pk}@{host or 'fleksi'}", f"DTSTAMP:{stamp}"]
        if day.start_time and day.end_time:
            start = dt.datetime.combine(day.date, day.start_time, tzinfo=zone)
            end = dt.datetime.combine(day.date, day.end_time, tzinfo=zone)
            if end <= start:  # a shift ending the next day
                end += dt.timedelta(days=1)
            lines += [
                f"DTSTART:{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
                f"DTEND:{end.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            ]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day.date + dt.timedelta(days=1):%Y%m%d}",
            ]
        description = _("Pengajuan kerja fleksibel #%(id)s") % {"id": day.request_id}
        if day.is_special:
            description += " · " + _("keadaan khusus")
        lines += [
            f"SUMMARY:{_ical_text(_ical_summary(day))}",
            f"DESCRIPTION:{_ical_text(description)}",
            "TRANSP:TRANSPARENT",
            "CLASS:PRIVATE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_ical_fold(line) + "\r\n" for line in lines)



@require_GET
@never_cache
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The employee's own calendar as RFC 5545 text at a secret URL (no login)."""
    employee = selectors.calendar_feed_get(token=token)
    if employee is None:
        raise Http404
    today = clock.today()
    days = selectors.employee_days(
        employee_id=employee.pk,
        start=today - dt.timedelta(days=FEED_PAST_DAYS),
        end=today + dt.timedelta(days=FEED_FUTURE_DAYS),
    )
    body = _ical_feed_text(employee=employee, days=days, host=request.get_host().split(":")[0], now=clock.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fleksi.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.employee_id is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.calendar_feed_revoke(actor=request.user)
                messages.success(request, _("Alamat kalender dicabut; aplikasi kalender tidak dapat membacanya lagi."))
            else:
                services.calendar_feed_rotate(actor=request.user)
                messages.success(request, _("Alamat kalender baru dibuat; alamat lama tidak berlaku lagi."))
        except ApplicationError as exc:
            messages.error(request, _message_for(exc))
        return redirect("arrangements:calendar_feed")
    feed = selectors.calendar_feed_mine(actor=request.user)
    url = request.build_absolute_uri(reverse("arrangements:ical_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "arrangements/calendar_feed.html",
        {"feed": feed, "feed_url": url, "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://")},
    )


# ---- agency settings -------------------------------------------------------------------------


@login_required
@web_errors
def settings_home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    agencies = sorted(scope.admin_agency_ids)
    if not agencies:
        if scope.is_system_admin:
            first = org_selectors.agency_list(actor=request.user).first()
            if first is not None:
                return redirect("arrangements:agency_settings", first.pk)
        raise Http404
    return redirect("arrangements:agency_settings", agencies[0])


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
        "policy_form": forms.get("policy_form") or PolicyForm(initial=PolicyForm.initial_from(settings.policy.to_dict())),
        "office_form": forms.get("office_form") or OfficeForm(prefix="kantor"),
        "place_form": forms.get("place_form") or PlaceForm(prefix="lokasi"),
        "flex_day_form": forms.get("flex_day_form") or FlexDayForm(prefix="hari"),
        "policy_errors": forms.get("policy_errors") or [],
        "managed": [
            a for a in (org_selectors.agency_list(actor=request.user) if len(scope_for(request.user).admin_agency_ids) > 1 else [])
            if scope_for(request.user).can_manage_agency(a.pk)
        ],
    }


def _settings_page(request: HttpRequest, agency_id: int, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "arrangements/agency_settings.html", _settings_context(request, agency_id, **forms), status=status)


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
            services.agency_settings_update(actor=request.user, agency_id=agency_id, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("Pengaturan instansi disimpan."))
            return redirect("arrangements:agency_settings", agency_id)
    return _settings_page(request, agency_id, status=422, general_form=form)


@login_required
@require_POST
@web_errors
def agency_policy(request: HttpRequest, agency_id: int) -> HttpResponse:
    form = PolicyForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            services.agency_policy_update(actor=request.user, agency_id=agency_id, data=form.to_data())
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            problems = _policy_problems(exc, form)
        else:
            messages.success(request, _("Kebijakan instansi disimpan."))
            return redirect("arrangements:agency_settings", agency_id)
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
        rest.append(_message_for(exc))
    return rest


def _pick(items: list[Any], item_id: int) -> Any:
    for item in items:
        if item.pk == item_id:
            return item
    raise Http404


def _office_or_place_view(request: HttpRequest, agency_id: int, item_id: int | None, *, kind: str) -> HttpResponse:
    is_office = kind == "office"
    prefix = "kantor" if is_office else "lokasi"
    settings = selectors.agency_settings_get(actor=request.user, agency_id=agency_id)
    item = _pick(settings.offices if is_office else settings.places, item_id) if item_id is not None else None
    form_class = OfficeForm if is_office else PlaceForm
    if request.method != "POST":
        if item is None:
            return redirect("arrangements:agency_settings", agency_id)
        form = form_class(prefix=prefix, initial={"name": item.name, "address": item.address, "is_active": item.is_active})
        return render(request, "arrangements/office_form.html", {"form": form, "agency": settings.agency, "item": item, "is_office": is_office})
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        values = form.cleaned_data
        try:
            if is_office:
                services.office_save(
                    actor=request.user, agency_id=agency_id, office_id=item_id,
                    name=values["name"], address=values["address"], is_active=values["is_active"],
                )
            else:
                services.place_save(
                    actor=request.user, agency_id=agency_id, place_id=item_id,
                    name=values["name"], address=values["address"], is_active=values["is_active"],
                )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("Kantor disimpan.") if is_office else _("Lokasi disimpan."))
            return redirect("arrangements:agency_settings", agency_id)
    if item is not None:
        return render(request, "arrangements/office_form.html", {"form": form, "agency": settings.agency, "item": item, "is_office": is_office}, status=422)
    return _settings_page(request, agency_id, status=422, **{"office_form" if is_office else "place_form": form})


@login_required
@web_errors
def office_edit(request: HttpRequest, agency_id: int, office_id: int | None = None) -> HttpResponse:
    return _office_or_place_view(request, agency_id, office_id, kind="office")


@login_required
@web_errors
def place_edit(request: HttpRequest, agency_id: int, place_id: int | None = None) -> HttpResponse:
    return _office_or_place_view(request, agency_id, place_id, kind="place")


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
            _add_form_errors(form, exc)
        else:
            messages.success(request, _("Hari kerja fleksibel nasional dicatat."))
            return redirect("arrangements:agency_settings", agency_id)
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
        messages.error(request, _message_for(exc))
    else:
        messages.success(request, _("Hari kerja fleksibel nasional dihapus."))
    return redirect("arrangements:agency_settings", agency_id)


# ---- notifications -------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "arrangements/notifications.html",
        {"notifications": selectors.notification_list(actor=request.user, limit=100)},
    )


@login_required
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell's unread count (htmx refreshes it; the page itself runs no query for it)."""
    count = selectors.notification_unread_count(actor=request.user)
    return render(request, "arrangements/_bell.html", {"unread": count})


@login_required
@require_POST
@web_errors
def notification_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "").strip()
    notification_id = parse_id(raw)
    if raw and notification_id is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification_id=notification_id)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("arrangements:notifications")
