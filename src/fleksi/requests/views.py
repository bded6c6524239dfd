"""The employee's request pages (list, form with the live check, detail, decisions on the
detail page, evidence). The approver's inbox is in ``views_inbox``."""

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

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import (
    add_form_errors,
    error_fields,
    error_message,
    web_errors,
)
from fleksi.core.humanize import WEEKDAY_NAMES, plain_text
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for

from . import decisions, selectors, services
from . import evidence as evidence_files
from . import views_display as display
from .forms import (
    OUTPUT_PREFIX,
    CancelForm,
    NoteForm,
    ReasonForm,
    RequestForm,
    output_formset,
)
from .models import RequestState, ScheduleMode

PAGE_SIZE = 25

# Set after a refused submit (post/redirect/get): the edit page shows why, once.
SUBMIT_REFUSED = "fleksi_submit_refused"

# The request-level findings about fields further down the form: the live check shows them
# only once the person has been to those fields (the form posts them in TOUCHED) or tried to
# submit (the stored findings of a saved request show them always).
FIELD_FINDINGS = {"REQUEST_REASON_MISSING": "reason", "REQUEST_WORKPLAN_MISSING": "work_plan"}
TOUCHED = "_touched"


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
        "touched": ",".join(FIELD_FINDINGS.values()) if req is not None else "",
        "allowance": display.allowance(actor=request.user, employee_id=subject.pk),
        "counted_weeks": display.cap_counted(
            actor=request.user, findings=stored, employee_id=subject.pk, this_request=req
        )
        if req is not None
        else {},
    }
    if request.method != "POST":
        if req is not None and request.session.pop(SUBMIT_REFUSED, None) == req.pk:
            context["submit_error"] = _(
                "Draf #%(id)s disimpan, tetapi belum dapat diajukan. Perbaiki temuan berikut."
            ) % {"id": req.pk}
            context["submit_findings"] = [f for f in stored if f.is_error]
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
        # The draft is kept. Post/redirect/get: its edit page says why it cannot be submitted
        # yet, so a reload shows the same draft instead of posting another one.
        if error_fields(exc):
            for message in error_fields(exc).values():
                messages.error(request, str(message))
        messages.error(
            request,
            _("Draf #%(id)s disimpan, tetapi belum dapat diajukan. %(reason)s")
            % {"id": req.pk, "reason": error_message(exc)},
        )
        request.session[SUBMIT_REFUSED] = req.pk
        return redirect("requests:request_edit", req.pk)
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
    touched = {t.strip() for t in request.POST.get(TOUCHED, "").split(",")}
    findings = [
        f
        for f in outcome.findings
        if f.code not in FIELD_FINDINGS or FIELD_FINDINGS[f.code] in touched
    ]
    context.update(
        later=len(findings) < len(outcome.findings),
        findings=findings,
        has_errors=any(f.is_error for f in findings),
        error_count=sum(1 for f in findings if f.is_error),
        dates=outcome.dates,
        counted_weeks=display.cap_counted(
            actor=request.user,
            findings=findings,
            employee_id=subject.pk,
            request_id=request_id,
            dates=outcome.dates,
            location_kind=data.location_kind,
        ),
    )
    return render(request, "requests/_findings.html", context)


@login_required
@web_errors
def flex_allowance(request: HttpRequest) -> HttpResponse:
    """The flexible days left this week and next (htmx fragment on the home page)."""
    return render(
        request, "requests/_allowance.html", {"allowance": display.allowance(actor=request.user)}
    )


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
    people: dict[int, Any] = {}
    for t in transitions:
        # People by name (the NIP stays small beside it), never by their login.
        if t.actor is None:
            t.actor_name, t.actor_nip = "", ""
        elif t.actor_id == req.employee.user_id:
            t.actor_name, t.actor_nip = req.employee.name, req.employee.nip
        else:
            if t.actor_id not in people:
                people[t.actor_id] = org_selectors.employee_for_user(user=t.actor)
            person = people[t.actor_id]
            t.actor_name = (person.name if person else "") or t.actor.get_full_name()
            t.actor_nip = person.nip if person else ""
            if not t.actor_name:
                t.actor_name = t.actor.get_username()
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
                title = finding.get("title") or finding.get("code")
                messages.error(
                    request,
                    f"{title} ({finding.get('code')}): {plain_text(finding.get('message', ''))}"
                    f" — {finding.get('basis')}",
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
    """A supporting file, only for who may see its request (checked by the service).

    Always a download (``Content-Disposition: attachment``, ``nosniff``), never shown inline:
    an uploaded file is never rendered in the site's origin."""
    evidence, handle = evidence_files.evidence_open(actor=request.user, evidence_id=evidence_id)
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        as_attachment=True,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a streaming response, as web_errors allows
