"""Pages of the approved days: the team calendar and the personal iCalendar feed."""

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
from fleksi.core.humanize import week_text
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for
from fleksi.schedules.ical import feed_ics

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
    this_monday = today - dt.timedelta(days=today.weekday())
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
            # People read weeks as date ranges; the ISO code stays small beside them.
            "week_range": week_text(week.week_start),
            "previous_range": week_text(week.week_start - dt.timedelta(days=7)),
            "next_range": week_text(week.week_start + dt.timedelta(days=7)),
            "is_this_week": week.week_start == this_monday,
        },
    )


def week_label_of(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


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
    body = feed_ics(
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
