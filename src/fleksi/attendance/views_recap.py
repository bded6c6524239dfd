"""The monthly recap pages (/presensi/rekap/): choose a unit and a month, download the XLSX
(streamed from a temporary file), and for HR lock or unlock the month. HTTP only."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError
from fleksi.core.http import error_message, int_param, parse_id, web_errors
from fleksi.organisation.scoping import scope_for

from . import locks, recap

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat((raw or "").strip() + "-01")
    except ValueError:
        return clock.today().replace(day=1)


@login_required
@never_cache
@require_GET
@web_errors
def recap_page(request: HttpRequest) -> HttpResponse:
    units = recap.recap_units(actor=request.user)
    if not units:
        raise Http404
    scope = scope_for(request.user)
    unit_id = int_param(request, "unit")
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        heads = [u for u in units if u.pk in scope.head_unit_ids]
        unit = (heads or units)[0]
    month = _month(request.GET.get("bulan", ""))
    can_lock = scope.can_manage_agency(unit.agency_id)
    summary = recap.recap_month(actor=request.user, unit_id=unit.pk, month=month)
    return render(
        request,
        "attendance/recap.html",
        {
            "units": units,
            "unit": unit,
            "month": month,
            "month_text": locks.month_text(month),
            "recap": summary,
            "can_lock": can_lock,
            "locks": locks.month_locks(actor=request.user, agency_id=unit.agency_id)[:24] if can_lock else [],
        },
    )


@login_required
@require_GET
@web_errors
def recap_download(request: HttpRequest) -> HttpResponse:
    unit_id = int_param(request, "unit")
    if unit_id is None:
        raise Http404
    data = recap.recap_month(actor=request.user, unit_id=unit_id, month=_month(request.GET.get("bulan", "")))
    response = FileResponse(
        recap.recap_xlsx(data), as_attachment=True, filename=recap.recap_filename(data), content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


@login_required
@require_POST
@web_errors
def recap_lock(request: HttpRequest) -> HttpResponse:
    unit_id = parse_id(request.POST.get("unit"))
    if unit_id is None:
        raise Http404
    units = {u.pk: u for u in recap.recap_units(actor=request.user)}
    unit = units.get(unit_id)
    if unit is None:
        raise Http404
    month = _month(request.POST.get("bulan", ""))
    target = unit.pk if request.POST.get("cakupan") == "unit" else None
    try:
        if request.POST.get("action") == "unlock":
            locks.month_unlock(actor=request.user, agency_id=unit.agency_id, month=month, unit_id=target)
            messages.success(request, _("Kunci bulan %(month)s dibuka.") % {"month": locks.month_text(month)})
        else:
            locks.month_lock(actor=request.user, agency_id=unit.agency_id, month=month, unit_id=target)
            messages.success(request, _("Bulan %(month)s dikunci: koreksi tidak diterima lagi.") % {"month": locks.month_text(month)})
    except ApplicationError as exc:
        if exc.code == "not_found" and request.POST.get("action") != "unlock":
            raise
        messages.error(request, error_message(exc))
    return redirect(reverse("attendance:recap") + f"?unit={unit.pk}&bulan={month:%Y-%m}")
