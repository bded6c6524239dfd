"""The unit plan check page (upload, findings, their download) and the filled-in template."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, parse_id, web_errors

from . import plans
from .selectors import WEEK_YEARS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
EXPORT_SESSION_KEY = "plan_check_findings"


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
    if request.method != "POST" and request.GET.get("unduh") in ("xlsx", "csv"):
        return _findings_download(request, str(request.GET["unduh"]), units)
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
            lang = "en" if (get_language() or "id").startswith("en") else "id"
            # The findings of the last check, for its download (the upload is not kept).
            request.session[EXPORT_SESSION_KEY] = {
                "unit_id": outcome.unit.pk,
                "unit_code": outcome.unit.code,
                "rows": plans.findings_rows(outcome, lang),
            }
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
    return _download(data, filename=filename, content_type=XLSX)


def _findings_download(request: HttpRequest, kind: str, units: list[Any]) -> HttpResponse:
    """The findings of the actor's last check as XLSX or CSV; 404 when there is none or the
    actor may no longer plan for its unit."""
    saved = request.session.get(EXPORT_SESSION_KEY)
    if not isinstance(saved, dict) or not isinstance(saved.get("rows"), list):
        raise Http404
    unit_id = parse_id(saved.get("unit_id"))
    if unit_id is None or unit_id not in {u.pk for u in units}:
        raise Http404
    rows = [[str(v) for v in row] for row in saved["rows"] if isinstance(row, list)]
    filename = plans.findings_filename(unit_code=str(saved.get("unit_code", "")), extension=kind)
    if kind == "csv":
        data, content_type = plans.findings_csv(rows), CSV
    else:
        data, content_type = plans.findings_xlsx(rows), XLSX
    return _download(data, filename=filename, content_type=content_type)


def _download(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """An attachment; Django builds Content-Disposition (quoting, RFC 5987 for non-ASCII).
    (Typed as HttpResponse for ``web_errors``, which passes any response through.)"""
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )
    return cast(HttpResponse, response)
