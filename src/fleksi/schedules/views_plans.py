"""TODO docstring."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, parse_id, web_errors

from . import plans
from .selectors import WEEK_YEARS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_week(value: str, default: dt.date) -> dt.date:
    """The Monday of an ISO week written "2026-W48" (or of a date "2026-11-23")."""
    value = (value or "").strip()
    try:
        if "-W" in value:
            year, week = value.split("-W", 1)
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        elif value:
            day = dt.date.fromisoformat(value)
            monday = day - dt.timedelta(days=day.weekday())
        else:
            monday = None
        if monday is not None and WEEK_YEARS[0] <= monday.year <= WEEK_YEARS[1]:
            return monday
    except (ValueError, OverflowError):
        pass
    return default - dt.timedelta(days=default.weekday())


@login_required
@web_errors
def plan_check(request: HttpRequest) -> HttpResponse:
    units = plans.plannable_units(actor=request.user)
    if not units:
        raise Http404
    next_monday = parse_week("", clock.today()) + dt.timedelta(days=7)
    context: dict[str, object] = {
        "units": units,
        "unit_id": int_param(request, "unit") or units[0].pk,
        "week": f"{next_monday.isocalendar().year}-W{next_monday.isocalendar().week:02d}",
    }
    if request.method == "POST":
        unit_id = parse_id(request.POST.get("unit")) or 0
        context["unit_id"] = unit_id
        upload = request.FILES.get("plan")
        try:
            if upload is None:
                raise ApplicationError(
                    ErrorCode.VALIDATION, _("Pilih berkas rencana (CSV atau XLSX).")
                )
            if upload.size and upload.size > plans.max_upload_bytes():
                raise ApplicationError(ErrorCode.VALIDATION, _("Berkas rencana terlalu besar."))
            outcome = plans.plan_check_for_unit(
                actor=request.user,
                unit_id=unit_id,
                data=upload.read(),
                filename=upload.name or "rencana.csv",
            )
            context["outcome"] = outcome
            context["filename"] = upload.name
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise
            context["error"] = exc
    return render(request, "schedules/plan_check.html", context)


@login_required
@web_errors
def plan_template(request: HttpRequest) -> HttpResponse:
    unit_id = int_param(request, "unit")
    if unit_id is None:
        raise Http404
    week_start = parse_week(request.GET.get("minggu", ""), clock.today())
    filename, data = plans.plan_template_for_unit(
        actor=request.user, unit_id=unit_id, week_start=week_start
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
