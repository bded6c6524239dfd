"""The employee's approved days as an iCalendar feed (RFC 5545), built with ``icalendar``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText


def day_summary(day: Any) -> str:
    """"Kerja dari rumah", "Kerja di kantor lain: UPT Pelatihan · kerja dinamis", ..."""
    where = {
        "kantor": _("Kerja di kantor"),
        "kantor_lain": _("Kerja di kantor lain"),
        "rumah": _("Kerja dari rumah"),
        "lokasi_lain": _("Kerja di lokasi lain"),
    }.get(day.location_kind, day.location_kind)
    if day.location_kind == "kantor_lain" and day.request and day.request.office:
        where = f"{where}: {day.request.office.name}"
    elif day.location_kind == "lokasi_lain" and day.request and day.request.place:
        where = f"{where}: {day.request.place.name}"
    if day.time_kind == "dinamis":
        where = f"{where} · {_('kerja dinamis')}"
    elif day.time_kind == "sif":
        where = f"{where} · {_('sif')}"
    return where


def feed_ics(*, employee: Any, days: list[Any], host: str, now: dt.datetime) -> bytes:
    """One VEVENT per approved day: all-day, or with its own hours (in UTC, from the unit's
    zone; a shift that ends before it starts ends the next day). The feed is the employee's
    own: it may say "keadaan khusus", nobody else reads it."""
    zone = ZoneInfo(employee.unit.time_zone or "Asia/Jakarta")
    calendar = Calendar()
    calendar.add("prodid", "-//Fleksi//Kerja Fleksibel ASN//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(_("Kerja fleksibel") + " – " + employee.name))
    calendar.add("x-published-ttl", "PT1H")
    stamp = now.astimezone(dt.UTC)
    for day in days:
        event = Event()
        event.add("uid", f"fleksi-day-{day.pk}@{host or 'fleksi'}")
        event.add("dtstamp", stamp)
        if day.start_time and day.end_time:
            start = dt.datetime.combine(day.date, day.start_time, tzinfo=zone)
            end = dt.datetime.combine(day.date, day.end_time, tzinfo=zone)
            if end <= start:
                end += dt.timedelta(days=1)
            event.add("dtstart", start.astimezone(dt.UTC))
            event.add("dtend", end.astimezone(dt.UTC))
        else:
            event.add("dtstart", day.date)
            event.add("dtend", day.date + dt.timedelta(days=1))
        if day.request_id is None:
            description = _("Jadwal hybrid unit")
        else:
            description = _("Pengajuan kerja fleksibel #%(id)s") % {"id": day.request_id}
        if day.is_special:
            description += " · " + _("keadaan khusus")
        event.add("summary", day_summary(day))
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    return calendar.to_ical()
