"""Template filters that show dates, weeks, people and findings as people read them.

``{% load fleksi_text %}`` then ``{{ d|day }}`` ("7 Des 2026"), ``{{ d|day:"short" }}``
("Sen 7 Des"), ``{{ start|daterange:end }}`` ("7-11 Des 2026"), ``{{ dates|dateranges }}``,
``{{ "2026-W50"|weektext }}``, ``{{ message|plain }}``, ``{{ f.severity|severity_label }}``,
``{{ user|person }}`` (the employee's name, never the NIP login).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from fleksi.core import humanize

register = template.Library()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@register.filter
def day(value: Any, form: str = "") -> str:
    """ "7 Des 2026"; ``day:"short"`` "Sen 7 Des"; ``day:"noyear"`` "7 Des"."""
    date = _as_date(value)
    if date is None:
        return "" if value in (None, "") else str(value)
    if form == "short":
        return humanize.short_day_text(date)
    return humanize.day_text(date, year=form != "noyear")


@register.filter
def daytime(value: Any) -> str:
    """A moment as "7 Des 2026 14.05" (local time)."""
    if not isinstance(value, dt.datetime):
        return day(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{humanize.day_text(local.date())} {local:%H.%M}"


@register.filter
def daterange(first: Any, last: Any = None) -> str:
    a, b = _as_date(first), _as_date(last)
    if a is None:
        return ""
    return humanize.date_range_text(a, b or a)


@register.filter
def dateranges(values: Iterable[Any] | None) -> str:
    return humanize.date_ranges_text(d for d in map(_as_date, values or ()) if d is not None)


@register.filter
def weektext(label: Any) -> str:
    return humanize.week_label_text(str(label or ""))


@register.filter
def plain(text: Any) -> str:
    return humanize.plain_text(str(text or ""))


@register.filter
def severity_label(severity: Any) -> str:
    """The plain word for a finding's severity (the rule code stays beside it)."""
    return {
        "error": _("Melanggar aturan"),
        "warning": _("Perlu perhatian"),
    }.get(str(severity), _("Informasi"))


@register.filter
def person(user: Any) -> str:
    """A login as a person: the employee's name, else the account's full name, else its login."""
    if user is None:
        return ""
    try:
        employee = getattr(user, "employee", None)
    except ObjectDoesNotExist:
        employee = None
    name = getattr(employee, "name", "") if employee is not None else ""
    if not name and hasattr(user, "get_full_name"):
        name = user.get_full_name()
    return name or (user.get_username() if hasattr(user, "get_username") else str(user))


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


@register.filter
def grouped(findings: Iterable[Any] | None) -> list[dict[str, Any]]:
    """Findings as one line per rule: a day rule found on several dates becomes one line with
    the dates as ranges; a week rule keeps one line per week, the week as its date range."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for f in findings or ():
        code, severity = str(_get(f, "code", "")), str(_get(f, "severity", ""))
        date = _as_date(_get(f, "date"))
        week = "" if date else str(_get(f, "week") or "")
        key = (code, severity, week)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "code": code,
                "severity": severity,
                "title": _get(f, "title", "") or "",
                "basis": _get(f, "basis", ""),
                "message": str(_get(f, "message", "")),
                "week": week,
                "week_text": humanize.week_label_text(week) if week else "",
                "dates": [],
            }
        if date and date not in group["dates"]:
            group["dates"].append(date)
    out = []
    for group in groups.values():
        dates = sorted(group["dates"])
        group["dates_text"] = humanize.date_ranges_text(dates)
        message = group["message"]
        if len(dates) > 1:
            # One message for several days: its date becomes the list of ranges.
            message = message.replace(dates[0].isoformat(), group["dates_text"])
        group["message"] = humanize.plain_text(message)
        out.append(group)
    return out


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
