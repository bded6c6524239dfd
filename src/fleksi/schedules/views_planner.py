"""The head's planner page (issue 11): constraints, the proposal next to the current
schedule with per-employee and per-day summaries, cell edits rechecked by the policy core
(htmx), publishing. The draft lives in the session until it is published."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, parse_id, web_errors
from fleksi.core.humanize import WEEKDAY_NAMES, day_text, week_text
from fleksi.planner import WEEKDAY_KEYS
from fleksi.planner.formats import PLAN_OUT_COLUMNS, plan_csv, plan_row
from fleksi.policy.calendar import week_label

from . import planning, publishing
from .models import LocationKind
from .plans import _unit_people
from .selectors import planner_current_days, planner_units

DRAFT_KEY = "unit_planner_draft"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKDAYS = WEEKDAY_KEYS[:5]


def _draft(request: HttpRequest, unit_id: int) -> dict[str, Any] | None:
    draft = request.session.get(DRAFT_KEY)
    if isinstance(draft, dict) and draft.get("unit_id") == unit_id:
        return draft
    return None


def _start_of(value: str, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError:
        day = default
    return day - dt.timedelta(days=day.weekday())


def _board(unit: Any, draft: dict[str, Any]) -> dict[str, Any]:
    """The grid (employees x working days) of the draft beside the current schedule, the
    policy core's findings over it, and the summaries per employee and per day."""
    start = dt.date.fromisoformat(draft["start"])
    weeks = int(draft["weeks"])
    end = start + dt.timedelta(days=7 * weeks - 1)
    rows = publishing.rows_from_plan(draft["rows"])
    check = publishing.schedule_check(unit=unit, start=start, end=end, rows=rows)
    proposed = {(r.nip, r.date): r.location.value for r in rows}
    current = planner_current_days(unit=unit, start=start, end=end)
    dates = [start + dt.timedelta(days=i) for i in range(7 * weeks) if (start + dt.timedelta(days=i)).weekday() < 5]
    marked: Counter[tuple[str, dt.date]] = Counter()
    weeks_marked: set[tuple[str, str]] = set()
    for f in check.result.findings:
        if f.nip and f.severity.value == "error":
            if f.date:
                marked[(f.nip, f.date)] += 1
            elif f.week:
                weeks_marked.add((f.nip, f.week))
    labels = dict(LocationKind.choices)
    people = sorted(check.names.items(), key=lambda item: (item[1], item[0]))
    grid: list[dict[str, Any]] = []
    for nip, name in people:
        cells = []
        for day in dates:
            now_kind = current.get((nip, day), "kantor")
            new_kind = proposed.get((nip, day), "kantor")
            cells.append(
                {
                    "date": day.isoformat(),
                    "kind": new_kind,
                    "current": now_kind,
                    "current_label": labels.get(now_kind, now_kind),
                    "changed": now_kind != new_kind,
                    "error": bool(marked[(nip, day)])
                    or (new_kind != "kantor" and (nip, week_label(day)) in weeks_marked),
                }
            )
        grid.append(
            {
                "nip": nip,
                "name": name,
                "cells": cells,
                "away": sum(1 for c in cells if c["kind"] != "kantor"),
                "away_now": sum(1 for c in cells if c["current"] != "kantor"),
            }
        )
    total = len(people)
    days = []
    for i, day in enumerate(dates):
        in_office = sum(1 for row in grid if row["cells"][i]["kind"] == "kantor")
        in_office_now = sum(1 for row in grid if row["cells"][i]["current"] == "kantor")
        days.append(
            {
                "date": day,
                "label": f"{WEEKDAY_NAMES[day.weekday()]} {day_text(day)}",
                "in_office": in_office,
                "in_office_now": in_office_now,
                "total": total,
            }
        )
    findings = [
        {
            "who": check.names.get(f.nip or "", f.unit or ""),
            "when": f"{WEEKDAY_NAMES[f.date.weekday()]} {day_text(f.date)}" if f.date else (f.week or ""),
            "code": f.code.value,
            "severity": f.severity.value,
            "message": f.message("id"),
            "message_en": f.message("en"),
        }
        for f in check.result.findings
    ]
    return {
        "grid": grid,
        "days": days,
        "findings": findings,
        "errors": sum(1 for f in findings if f["severity"] == "error"),
        "period": week_text(start) if weeks == 1 else f"{day_text(start)} - {day_text(end)}",
        "choices": [(k, labels[k]) for k in ("kantor", "rumah", "kantor_lain", "lokasi_lain")],
        "summary": draft.get("summary") or {},
    }


def _context(request: HttpRequest, units: list[Any], unit_id: int) -> dict[str, Any]:
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    next_monday = _start_of("", clock.today()) + dt.timedelta(days=7)
    draft = _draft(request, unit.pk)
    names = sorted(_unit_people(unit)[1].items(), key=lambda item: (item[1], item[0]))
    form = draft or {"start": next_monday.isoformat(), "weeks": 1, "anchors": [], "coverage": {}, "prefs": []}
    return {
        "units": units,
        "unit": unit,
        "form": form,
        "weekdays": [(k, WEEKDAY_NAMES[i]) for i, k in enumerate(WORKDAYS)],
        "people": [
            {"nip": nip, "name": name, "prefs": [(k, f"{nip}|{k}" in form.get("prefs", [])) for k in WORKDAYS]}
            for nip, name in names
        ],
        "board": _board(unit, draft) if draft else None,
    }


@login_required
@web_errors
def unit_planner(request: HttpRequest) -> HttpResponse:
    units = planner_units(actor=request.user)
    if not units:
        raise Http404
    unit_id = (parse_id(request.POST.get("unit")) if request.method == "POST" else None) or int_param(
        request, "unit"
    ) or units[0].pk
    if request.method == "POST" and request.GET.get("unduh") is None:
        action = request.POST.get("aksi")
        context = _context(request, units, unit_id)
        try:
            if action == "usul":
                _propose(request, context["unit"])
                context = _context(request, units, unit_id)
                context["message"] = _("Usulan jadwal siap. Periksa, ubah bila perlu, lalu terbitkan.")
            elif action == "terbitkan":
                draft = _draft(request, unit_id)
                if draft is None:
                    raise ApplicationError(ErrorCode.VALIDATION, _("Belum ada usulan untuk diterbitkan."))
                schedule = publishing.schedule_publish(
                    actor=request.user,
                    unit_id=unit_id,
                    start=dt.date.fromisoformat(draft["start"]),
                    weeks=int(draft["weeks"]),
                    rows=draft["rows"],
                )
                request.session.pop(DRAFT_KEY, None)
                context = _context(request, units, unit_id)
                context["message"] = _(
                    "Jadwal diterbitkan: %(n)d hari ditulis ke kalender pegawai; pegawai diberi tahu."
                ) % {"n": schedule.days_written}
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise
            context["error"] = exc
        return render(request, "schedules/unit_planner.html", context)
    if request.GET.get("unduh") in ("csv", "xlsx"):
        return _export(request, unit_id, str(request.GET["unduh"]))
    return render(request, "schedules/unit_planner.html", _context(request, units, unit_id))


def _propose(request: HttpRequest, unit: Any) -> None:
    post = request.POST
    start = _start_of(post.get("mulai", ""), clock.today())
    weeks = parse_id(post.get("minggu")) or 1
    anchors = [d for d in post.getlist("jangkar") if d in WORKDAYS]
    headcount = parse_id(post.get("min_orang")) or 0
    coverage_days = [d for d in post.getlist("min_hari") if d in WORKDAYS]
    prefs = [p for p in post.getlist("pilihan") if "|" in p]
    preferences = [{"nip": p.split("|", 1)[0], "hari": p.split("|", 1)[1]} for p in prefs]
    coverage = [{"headcount": headcount, "hari": coverage_days}] if headcount else []
    unit, proposal = planning.schedule_propose(
        actor=request.user,
        unit_id=unit.pk,
        start=start,
        weeks=weeks,
        anchors=anchors,
        preferences=preferences,
        coverage=coverage,
    )
    request.session[DRAFT_KEY] = {
        "unit_id": unit.pk,
        "start": start.isoformat(),
        "weeks": weeks,
        "anchors": anchors,
        "coverage": {"headcount": headcount, "hari": coverage_days},
        "prefs": prefs,
        "rows": [plan_row(r) for r in proposal.rows],
        "summary": proposal.summary(),
    }


@login_required
@web_errors
@require_POST
def unit_planner_cell(request: HttpRequest) -> HttpResponse:
    """An htmx edit of one cell of the draft: the board again, rechecked by the policy core."""
    units = planner_units(actor=request.user)
    unit_id = parse_id(request.POST.get("unit")) or 0
    unit = next((u for u in units if u.pk == unit_id), None)
    draft = _draft(request, unit_id)
    if unit is None or draft is None:
        raise Http404
    nip = str(request.POST.get("nip", ""))
    kind = str(request.POST.get("lokasi", ""))
    try:
        day = dt.date.fromisoformat(str(request.POST.get("tanggal", "")))
    except ValueError:
        raise Http404 from None
    start = dt.date.fromisoformat(draft["start"])
    end = start + dt.timedelta(days=7 * int(draft["weeks"]) - 1)
    if kind not in LocationKind.values or not start <= day <= end:
        raise Http404
    rows = [r for r in draft["rows"] if not (r["nip"] == nip and r["tanggal"] == day.isoformat())]
    if kind != "kantor":
        rows.append({"nip": nip, "tanggal": day.isoformat(), "lokasi": kind, "waktu": "reguler"})
    draft["rows"] = sorted(rows, key=lambda r: (r["nip"], r["tanggal"]))
    request.session[DRAFT_KEY] = draft
    try:
        board = _board(unit, draft)
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        raise Http404 from exc
    return render(request, "schedules/_unit_planner_board.html", {"unit": unit, "board": board})


def plan_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The plan.csv of FORMATS.md saved as .xlsx (first sheet, the same columns; every cell
    text, so a NIP keeps its digits and nothing is read as a formula)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "plan"
    sheet.append(list(PLAN_OUT_COLUMNS))
    for row in rows:
        sheet.append(["" if row.get(c) is None else str(row[c]) for c in PLAN_OUT_COLUMNS])
    for line in sheet.iter_rows():
        for cell in line:
            cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    """The draft as plan.csv or plan.xlsx (FORMATS.md)."""
    draft = _draft(request, unit_id)
    if draft is None:
        raise Http404
    rows = [plan_row(r) for r in publishing.rows_from_plan(draft["rows"])]
    name = f"plan-{unit_id}-{draft['start']}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(plan_xlsx(rows), content_type=XLSX)
    else:
        response = HttpResponse(plan_csv(publishing.rows_from_plan(draft["rows"])), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
