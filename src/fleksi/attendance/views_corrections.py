"""Pages of corrections: the employee's recent days with a "correct" link per day and the
form (/presensi/koreksi/), the head's decision from the board (/presensi/unit/). HTTP only."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError
from fleksi.core.http import add_form_errors, error_message, web_errors

from . import corrections, selectors, selectors_corrections
from .models import CorrectionKind, CorrectionState

RECENT_DAYS = 31
PLACES = (
    ("kantor", gettext_lazy("Kantor penempatan")),
    ("kantor_lain", gettext_lazy("Kantor lain")),
    ("rumah", gettext_lazy("Rumah / domisili terdaftar")),
    ("lokasi_lain", gettext_lazy("Lokasi lain")),
)


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Yang dikoreksi"), choices=CorrectionKind.choices)
    time = forms.TimeField(
        label=gettext_lazy("Jam yang benar"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("Untuk lupa presensi masuk atau pulang."),
    )
    next_day = forms.BooleanField(
        label=gettext_lazy("Jam itu dini hari berikutnya (sif malam)"), required=False
    )
    location = forms.ChoiceField(
        label=gettext_lazy("Tempat yang benar"), required=False,
        choices=[("", "—"), *PLACES],
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@never_cache
@web_errors
def my_corrections(request: HttpRequest) -> HttpResponse:
    """My days of the last month (each with a link to correct it) and my corrections."""
    today = clock.today()
    days = selectors.daily_records(
        actor=request.user, start=today - dt.timedelta(days=RECENT_DAYS - 1), end=today
    )
    mine = selectors_corrections.correction_list(actor=request.user, mine=True)
    return render(
        request,
        "attendance/corrections.html",
        {"days": list(reversed(days)), "corrections": mine[:50],
         "statuses": _statuses(), "flags": _flag_labels()},
    )


def _statuses() -> dict[str, str]:
    return {
        "present_office": _("hadir di kantor"),
        "present_flexible": _("hadir (kerja fleksibel)"),
        "absent": _("tidak hadir"),
        "leave": _("cuti"),
        "holiday": _("hari libur"),
        "non_working": _("bukan hari kerja"),
    }


def _flag_labels() -> dict[str, str]:
    return {
        "synced_late": _("terkirim terlambat"),
        "clock_skew": _("jam perangkat tidak tepat"),
        "no_location": _("tanpa lokasi"),
        "outside_office": _("di luar kantor"),
        "deviation": _("tempat berbeda dari rencana"),
        "no_check_out": _("tidak presensi pulang"),
        "no_check_in": _("tidak presensi (hari fleksibel)"),
        "corrected": _("dikoreksi"),
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@web_errors
def correction_new(request: HttpRequest) -> HttpResponse:
    raw = (request.GET.get("tanggal") or request.POST.get("tanggal") or "").strip()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return redirect("attendance:corrections")
    records = selectors.daily_records(actor=request.user, start=day, end=day)
    record = records[0] if records else None
    initial = {"kind": CorrectionKind.MISSING_CHECK_OUT if record and record.is_open else ""}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = ZoneInfo(scope_zone(request))
        at = None
        if data["time"] is not None:
            at = dt.datetime.combine(day + dt.timedelta(days=1 if data["next_day"] else 0), data["time"], zone)
        try:
            corrections.correction_submit(
                actor=request.user, work_date=day, kind=data["kind"], reason=data["reason"],
                at=at, location=data["location"] or "",
            )
        except ApplicationError as exc:
            add_form_errors(form, exc, {"at": "time", "work_date": "__all__"})
        else:
            messages.success(request, _("Koreksi diajukan kepada pimpinan unit."))
            return redirect("attendance:corrections")
    return render(
        request, "attendance/correction_form.html",
        {"form": form, "day": day, "record": record, "statuses": _statuses(), "flags": _flag_labels()},
    )


def scope_zone(request: HttpRequest) -> str:
    """The time zone of the actor's unit (for the form's local time)."""
    from fleksi.organisation import selectors as org_selectors

    employee = org_selectors.employee_for_user(user=request.user)
    if employee is None:
        return "Asia/Jakarta"
    return employee.unit.time_zone or employee.agency.time_zone or "Asia/Jakarta"


@login_required
@require_POST
@web_errors
def correction_decide(request: HttpRequest, correction_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    note = request.POST.get("note", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("attendance:unit_board")
    try:
        if decision == "approve":
            corrections.correction_approve(actor=request.user, correction_id=correction_id, note=note)
            messages.success(request, _("Koreksi disetujui; rekap hari itu diperbarui."))
        elif decision == "reject":
            corrections.correction_reject(actor=request.user, correction_id=correction_id, note=note)
            messages.success(request, _("Koreksi ditolak."))
    except ApplicationError as exc:
        if exc.code in ("not_found", "permission_denied"):
            raise
        messages.error(request, error_message(exc))
    return redirect(back)


def board_corrections(request: HttpRequest, unit: Any) -> list[dict[str, Any]]:
    """The pending corrections of the board's unit the actor may decide, as the page shows them."""
    zone = ZoneInfo(unit.time_zone or unit.agency.time_zone or "Asia/Jakarta")
    labels = dict(CorrectionKind.choices)
    places = dict(PLACES)
    return [
        {
            "id": c.pk,
            "name": c.employee.name,
            "nip": c.employee.nip,
            "day": c.work_date,
            "what": labels.get(c.kind, c.kind),
            "time": f"{c.at.astimezone(zone):%H.%M}" if c.at else "",
            "place": places.get(c.location, ""),
            "reason": c.reason,
        }
        for c in selectors_corrections.corrections_to_decide(actor=request.user, unit=unit)
        if c.state == CorrectionState.SUBMITTED
    ]
