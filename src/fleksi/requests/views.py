"""TODO docstring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import (
    add_form_errors,
    error_fields,
    error_message,
    web_errors,
)
from fleksi.core.humanize import WEEKDAY_NAMES
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for
from fleksi.schedules import selectors as schedule_selectors

from . import decisions, selectors, services
from . import evidence as evidence_files
from .forms import (
    OUTPUT_PREFIX,
    BulkApproveForm,
    CancelForm,
    InboxFilterForm,
    NoteForm,
    ReasonForm,
    RequestForm,
    output_formset,
)
from .models import RequestState, ScheduleMode

PAGE_SIZE = 25


def _findings_of(exc: ApplicationError) -> list[Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    return list(details.get("findings") or [])


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "")
    if state not in RequestState.values:
        state = ""
    page = Paginator(
        selectors.request_list_mine(actor=request.user, state=state or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "requests/my_requests.html",
        {
            "page": page,
            "requests": page.object_list,
            "state": state,
            "states": RequestState.choices,
        },
    )


def _request_form(
    request: HttpRequest, subject: Any, data: Any = None, files: Any = None, initial: Any = None
) -> RequestForm:
    return RequestForm(
        data,
        files,
        initial=initial,
        offices=org_selectors.offices_for(actor=request.user),
        places=org_selectors.places_for(actor=request.user),
        time_flexibility=subject.time_flexibility,
    )


def _outputs_initial(req: Any) -> list[dict[str, Any]]:
    return [
        {
            "description": o.description,
            "target_quantity": o.target_quantity,
            "unit": o.unit,
            "due_date": o.due_date,
        }
        for o in req.outputs.all()
    ]


def _with_one_more_row(data: Any, prefix: str) -> Any:
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key, "0")
    data[key] = str(int(total) + 1 if str(total).isdigit() else 1)
    return data


def _render_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "requests/request_form.html", context, status=status)


@login_required
@web_errors
def request_new(request: HttpRequest) -> HttpResponse:
    me = org_selectors.employee_for_user(user=request.user)
    if me is None:
        messages.error(
            request,
            _(
                "Akun Anda tidak terhubung dengan data pegawai, sehingga tidak dapat mengajukan kerja fleksibel."
            ),
        )
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
        return redirect("requests:request_detail", req.pk)
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
        context["outputs"] = output_formset(
            initial=_outputs_initial(req) if req is not None else None
        )
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
            req = services.request_create(
                actor=request.user, data=data, employee_id=form.cleaned_data.get("employee")
            )
        else:
            req = services.request_update(actor=request.user, request_id=req.pk, data=data)
    except ApplicationError as exc:
        if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
            raise
        _service_errors_on(form, context, exc)
        return _render_form(request, context, status=422)

    for upload in form.cleaned_data.get("evidence") or []:
        try:
            evidence_files.evidence_add(actor=request.user, request_id=req.pk, upload=upload)
        except ApplicationError as exc:
            messages.error(
                request,
                _("Bukti %(name)s tidak tersimpan: %(reason)s")
                % {"name": upload.name, "reason": error_message(exc)},
            )

    if action != "submit":
        messages.success(request, _("Draf pengajuan #%(id)s disimpan.") % {"id": req.pk})
        return redirect("requests:request_detail", req.pk)
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
            submit_error=_("Draf #%(id)s disimpan, tetapi belum dapat diajukan. %(reason)s")
            % {"id": req.pk, "reason": error_message(exc)},
            submit_findings=[
                f for f in _finding_views(_findings_of(exc)) if f["severity"] == "error"
            ],
        )
        if error_fields(exc):
            _service_errors_on(form, context, exc)
        return _render_form(request, context, status=422)
    messages.success(request, _("Pengajuan #%(id)s diajukan untuk persetujuan.") % {"id": req.pk})
    return redirect("requests:request_detail", req.pk)


def _service_errors_on(form: RequestForm, context: dict[str, Any], exc: ApplicationError) -> None:
    fields = error_fields(exc)
    if not fields:
        form.add_error(None, error_message(exc))
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
        out.append(
            {
                **item,
                "date": dt.date.fromisoformat(date) if isinstance(date, str) and date else date,
            }
        )
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
        return render(request, "requests/_findings.html", context)
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
            (
                form.fields[aliases.get(n, n)].label if aliases.get(n, n) in form.fields else "",
                str(m),
            )
            for n, m in error_fields(exc).items()
        ] or [("", error_message(exc))]
        return render(request, "requests/_findings.html", context)
    context.update(
        findings=outcome.findings,
        has_errors=outcome.has_errors,
        error_count=sum(1 for f in outcome.findings if f.is_error),
        dates=outcome.dates,
    )
    return render(request, "requests/_findings.html", context)


def _detail_context(request: HttpRequest, req: Any) -> dict[str, Any]:
    actor = request.user
    hours = [
        (WEEKDAY_NAMES.get(int(day), day), pair)
        for day, pair in sorted((req.hours or {}).items(), key=lambda item: int(item[0]))
    ]
    dates = (
        [dt.date.fromisoformat(str(d)) for d in req.dates or []]
        if req.schedule_mode == ScheduleMode.DATES
        else []
    )
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
    return render(request, "requests/request_detail.html", _detail_context(request, req))


DECISIONS: dict[str, tuple[Any, type, str]] = {
    # name: (service, form, the form's name in the detail page's context)
    "approve": (decisions.request_approve, NoteForm, "note_form"),
    "reject": (decisions.request_reject, ReasonForm, "reject_form"),
    "return": (decisions.request_return, ReasonForm, "return_form"),
    "revoke": (decisions.request_revoke, ReasonForm, "revoke_form"),
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
        return render(request, "requests/request_detail.html", context, status=422)
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
        if (
            not _findings_of(exc)
            and error_fields(exc)
            and key in ("reject_form", "return_form", "revoke_form")
        ):
            req = selectors.request_get(actor=request.user, request_id=request_id)
            context = _detail_context(request, req)
            add_form_errors(form, exc)
            context[key] = form
            return render(request, "requests/request_detail.html", context, status=422)
        messages.error(request, error_message(exc))
        for finding in _finding_views(_findings_of(exc)):
            if finding.get("severity") == "error":
                messages.error(
                    request,
                    f"{finding.get('code')}: {finding.get('message')} — {finding.get('basis')}",
                )
        return redirect("requests:request_detail", request_id)
    messages.success(request, _decision_done(decision, request_id))
    if decision in ("approve", "reject", "return") and request.POST.get("next") == "inbox":
        return redirect("requests:inbox")
    return redirect("requests:request_detail", request_id)


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
    evidence, handle = evidence_files.evidence_open(actor=request.user, evidence_id=evidence_id)
    response = FileResponse(
        handle, content_type=evidence.content_type, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a streaming response, as web_errors allows


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
                weeks[key] = schedule_selectors.unit_week_calendar(
                    actor=request.user, unit_id=key[0], week_start=monday
                )
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
    units = [
        u
        for u in org_selectors.unit_list(actor=request.user)
        if any(u.path.startswith(p) for p in scope.head_unit_paths)
    ]
    filters = InboxFilterForm(request.GET or None, units=units)
    state, unit_id, search = RequestState.SUBMITTED.value, None, ""
    if filters.is_valid():
        state = filters.cleaned_data["status"] or RequestState.SUBMITTED.value
        unit_id = filters.cleaned_data["unit"]
        search = filters.cleaned_data["q"]
    page = Paginator(
        selectors.inbox_list(actor=request.user, state=state, unit_id=unit_id, search=search),
        PAGE_SIZE,
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
    return render(request, "requests/inbox.html", _inbox_context(request))


@login_required
@require_POST
@web_errors
def inbox_bulk_approve(request: HttpRequest) -> HttpResponse:
    _require_employee(request)
    form = BulkApproveForm(request.POST)
    results: list[Any] = []
    if form.is_valid():
        results = decisions.request_bulk_approve(
            actor=request.user, request_ids=form.cleaned_data["pilih"]
        )
        done = sum(1 for r in results if r.ok)
        if done:
            messages.success(request, _("%(n)s pengajuan disetujui.") % {"n": done})
        if done < len(results):
            messages.error(
                request,
                _("%(n)s pengajuan tidak dapat disetujui; lihat alasannya di bawah.")
                % {"n": len(results) - done},
            )
    else:
        for error in form.errors.get("pilih", []):
            messages.error(request, str(error))
    context = _inbox_context(request)
    context["bulk_results"] = results
    return render(request, "requests/inbox.html", context, status=200 if form.is_valid() else 422)
