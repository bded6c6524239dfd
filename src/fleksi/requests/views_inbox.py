"""The approver's inbox: requests waiting for a decision, with the unit's office coverage
on their days and bulk approval (under /kerja-fleksibel/persetujuan/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError
from fleksi.core.http import web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for
from fleksi.schedules import responses as schedule_responses
from fleksi.schedules import selectors as schedule_selectors

from . import decisions, selectors
from .forms import BulkApproveForm, InboxFilterForm
from .models import RequestState, ScheduleMode

PAGE_SIZE = 25


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
        # The published schedules whose employees' answers wait for the head (issue 11).
        "schedule_answers": schedule_responses.open_responses_count(actor=request.user),
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
