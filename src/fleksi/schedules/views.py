"""TODO docstring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fleksi.core import clock
from fleksi.core.errors import ApplicationError
from fleksi.core.http import error_message, int_param, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for

from . import selectors, services

FEED_PAST_DAYS = 60


FEED_FUTURE_DAYS = 400


def _calendar_units(request: HttpRequest) -> list[Any]:
    """The units whose calendar the actor may open (for the unit filter; one query)."""
    scope = scope_for(request.user)
    units = list(org_selectors.unit_list(actor=request.user))
    if scope.everything:
        return units
    return [
        u
        for u in units
        if u.agency_id in scope.admin_agency_ids
        or any(u.path.startswith(p) for p in scope.head_unit_paths)
    ]


@login_required
@web_errors
def team_calendar(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = (
        _calendar_units(request)
        if (scope.everything or scope.admin_agency_ids or scope.is_head)
        else []
    )
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
        monday = (
            selectors.parse_week(raw_week)
            if raw_week
            else clock.today() - dt.timedelta(days=clock.today().weekday())
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    week = selectors.unit_week_calendar(actor=request.user, unit_id=unit_id, week_start=monday)
    today = clock.today()
    return render(
        request,
        "schedules/team_calendar.html",
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


def _ical_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
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
    body = _ical_feed_text(
        employee=employee, days=days, host=request.get_host().split(":")[0], now=clock.now()
    )
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
                messages.success(
                    request,
                    _("Alamat kalender dicabut; aplikasi kalender tidak dapat membacanya lagi."),
                )
            else:
                services.calendar_feed_rotate(actor=request.user)
                messages.success(
                    request, _("Alamat kalender baru dibuat; alamat lama tidak berlaku lagi.")
                )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect("schedules:calendar_feed")
    feed = selectors.calendar_feed_mine(actor=request.user)
    url = (
        request.build_absolute_uri(reverse("schedules:ical_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(
        request,
        "schedules/calendar_feed.html",
        {
            "feed": feed,
            "feed_url": url,
            "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
        },
    )
