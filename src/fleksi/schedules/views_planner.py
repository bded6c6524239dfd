"""The head's planner page (issue 11): constraints (anchor days, coverage rows per service
role, the employees' roles and preferred days), the proposal solved in the background with
its progress polled (htmx), next to the current schedule with per-employee and per-day
summaries, cell edits rechecked by the policy core (htmx), a plan.csv/.xlsx imported into
the draft, publishing. The draft lives in the session until it is published."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import int_param, parse_id, web_errors
from fleksi.core.humanize import WEEKDAY_NAMES, day_text, week_text
from fleksi.planner import WEEKDAY_KEYS
from fleksi.planner.formats import PLAN_OUT_COLUMNS, plan_csv, plan_row
from fleksi.policy.calendar import week_label

from . import planning, plans, publishing
from .models import LocationKind, PlannerJob, PlannerJobStatus
from .plans import _unit_people
from .selectors import planner_current_days, planner_units

DRAFT_KEY = "unit_planner_draft"
APPLIED_KEY = "unit_planner_jobs_applied"  # proposals already copied into a draft
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKDAYS = WEEKDAY_KEYS[:5]
MAX_COVERAGE_ROWS = 8


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
        "imported": draft.get("imported") or "",
    }


def _context(
    request: HttpRequest, units: list[Any], unit_id: int, form: dict[str, Any] | None = None
) -> dict[str, Any]:
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    next_monday = _start_of("", clock.today()) + dt.timedelta(days=7)
    draft = _draft(request, unit.pk)
    names = sorted(_unit_people(unit)[1].items(), key=lambda item: (item[1], item[0]))
    roles = planning.unit_service_roles(unit)
    form = form or draft or {"start": next_monday.isoformat(), "weeks": 1, "anchors": [], "coverage": [], "prefs": []}
    coverage = [c for c in form.get("coverage") or [] if isinstance(c, dict)]
    blank = {"jenis": "orang", "nilai": "", "peran": "", "hari": []}
    rows = coverage + [blank] * max(1, 3 - len(coverage))
    return {
        "units": units,
        "unit": unit,
        "form": form,
        "weekdays": [(k, WEEKDAY_NAMES[i]) for i, k in enumerate(WORKDAYS)],
        "coverage_rows": [{"i": i, **row} for i, row in enumerate(rows[:MAX_COVERAGE_ROWS])],
        "known_roles": sorted({r for rs in roles.values() for r in rs} | {"loket"}),
        "people": [
            {
                "nip": nip,
                "name": name,
                "roles": ", ".join(sorted(roles.get(nip, ()))),
                "prefs": [(k, f"{nip}|{k}" in form.get("prefs", [])) for k in WORKDAYS],
            }
            for nip, name in names
        ],
        "board": _board(unit, draft) if draft else None,
    }


def _page(unit_id: int, job_id: int | None = None) -> str:
    url = f"{reverse('schedules:unit_planner')}?unit={unit_id}"
    return f"{url}&usulan={job_id}" if job_id else url


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
                job = _propose(request, context["unit"])
                return redirect(_page(unit_id, job.pk))
            elif action == "impor":
                count = _import(request, context["unit"])
                context = _context(request, units, unit_id)
                context["message"] = _(
                    "Berkas diimpor ke draf: %(n)d baris. Periksa temuan, ubah bila perlu, lalu terbitkan."
                ) % {"n": count}
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
                context["published"] = schedule
                if schedule.needs_confirmation:
                    context["message"] = _(
                        "Jadwal diterbitkan dan menunggu konfirmasi pegawai; hari-harinya berlaku setelah "
                        "pegawai mengonfirmasi. Pegawai diberi tahu."
                    )
                else:
                    context["message"] = _(
                        "Jadwal diterbitkan: %(n)d hari ditulis ke kalender pegawai; pegawai diberi tahu."
                    ) % {"n": schedule.days_written}
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise
            if action == "usul":
                context = _context(request, units, unit_id, form=_form_state(request))
            context["error"] = exc
        return render(request, "schedules/unit_planner.html", context)
    if request.GET.get("unduh") in ("csv", "xlsx"):
        return _export(request, unit_id, str(request.GET["unduh"]))
    job_id = int_param(request, "usulan")
    if job_id is None:
        return render(request, "schedules/unit_planner.html", _context(request, units, unit_id))
    job = planning.proposal_job_get(actor=request.user, job_id=job_id)
    if job.unit_id != unit_id:
        raise Http404
    _apply_job(request, job)
    context = _context(request, units, unit_id, form=None if job.finished else job.params.get("form"))
    context["job"] = job
    context["progress"] = _job_progress(job)
    if job.status == PlannerJobStatus.DONE:
        context["message"] = _("Usulan jadwal siap. Periksa, ubah bila perlu, lalu terbitkan.")
    elif job.status == PlannerJobStatus.INFEASIBLE:
        context["form"] = job.params.get("form") or context["form"]
        context["error"] = ApplicationError(
            ErrorCode.POLICY_VIOLATION,
            _("Tidak ada jadwal yang sah: batasan saling bertentangan."),
            {"conflicts": job.result.get("conflicts", [])},
        )
    elif job.status == PlannerJobStatus.FAILED:
        context["error"] = ApplicationError(ErrorCode.VALIDATION, job.error or _("Pencarian jadwal gagal."))
    return render(request, "schedules/unit_planner.html", context)


def _job_progress(job: PlannerJob) -> dict[str, Any]:
    """The numbers the progress card shows: elapsed against the whole limit (every unit has
    its own), the gap in percent, whether the limit was hit."""
    units = max(1, job.units)
    limit = job.time_limit * units
    percent = 100 if job.finished else min(99, int(100 * job.elapsed / limit)) if limit else 0
    summary = job.result.get("summary") or {}
    return {
        "unit_number": min(job.unit_index + 1, units),
        "elapsed": f"{job.elapsed:.1f}".replace(".", ","),
        "limit": f"{limit:g}".replace(".", ","),
        "percent": percent,
        "gap_percent": f"{100 * (job.gap or 0):.2f}".replace(".", ","),
        "proven": summary.get("status") == "optimal",
        "limit_hit": job.elapsed >= limit * 0.95,
    }


def _apply_job(request: HttpRequest, job: PlannerJob) -> None:
    """A finished proposal becomes the draft, once (a later edit of the draft is kept when
    the page is reloaded, and a published draft does not come back)."""
    if job.status != PlannerJobStatus.DONE:
        return
    applied = request.session.get(APPLIED_KEY)
    applied = [i for i in applied if isinstance(i, int)] if isinstance(applied, list) else []
    if job.pk in applied:
        return
    request.session[APPLIED_KEY] = [*applied[-19:], job.pk]
    form = job.params.get("form") or {}
    request.session[DRAFT_KEY] = {
        **form,
        "unit_id": job.unit_id,
        "job_id": job.pk,
        "start": job.params["start"],
        "weeks": int(job.params["weeks"]),
        "rows": job.result.get("rows", []),
        "summary": job.result.get("summary", {}),
    }


@login_required
@web_errors
@require_GET
def unit_planner_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The proposal's progress, polled by the page (htmx); once finished, the page reloads
    with the result (``HX-Redirect``)."""
    units = planner_units(actor=request.user)
    job = planning.proposal_job_get(actor=request.user, job_id=job_id)
    if not any(u.pk == job.unit_id for u in units):
        raise Http404
    response = render(
        request, "schedules/_unit_planner_job.html", {"job": job, "unit": job.unit, "progress": _job_progress(job)}
    )
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Redirect"] = _page(job.unit_id, job.pk)
    return response


def _form_state(request: HttpRequest) -> dict[str, Any]:
    """The constraints as the head entered them (to show them again)."""
    post = request.POST
    coverage = []
    for i in range(MAX_COVERAGE_ROWS):
        value = str(post.get(f"cakupan-{i}-nilai", "")).strip()
        if not value:
            continue
        coverage.append(
            {
                "jenis": "persen" if post.get(f"cakupan-{i}-jenis") == "persen" else "orang",
                "nilai": value[:10],
                "peran": str(post.get(f"cakupan-{i}-peran", "")).strip().lower()[:30],
                "hari": [d for d in post.getlist(f"cakupan-{i}-hari") if d in WORKDAYS],
            }
        )
    return {
        "start": _start_of(post.get("mulai", ""), clock.today()).isoformat(),
        "weeks": parse_id(post.get("minggu")) or 1,
        "anchors": [d for d in post.getlist("jangkar") if d in WORKDAYS],
        "coverage": coverage,
        "prefs": [p for p in post.getlist("pilihan") if "|" in p],
    }


def _coverage_rows(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's coverage rows as the planner's ``coverage`` list (a 422 naming the row)."""
    out = []
    for n, row in enumerate(form["coverage"], start=1):
        try:
            value = float(row["nilai"].replace(",", "."))
        except ValueError:
            value = -1
        if row["jenis"] == "persen":
            ok = 0 < value <= 100
            entry: dict[str, Any] = {"share": value / 100}
        else:
            ok = value >= 1 and value == int(value)
            entry = {"headcount": int(value) if ok else 0}
        if not ok:
            message = _(
                "Baris batas minimum %(n)d: isi jumlah orang (bilangan bulat) atau persen (1-100)."
            ) % {"n": n}
            raise ApplicationError(ErrorCode.VALIDATION, message, {"fields": {"coverage": message}})
        out.append({**entry, "role": row["peran"] or None, "hari": row["hari"]})
    return out


@transaction.atomic
def _propose(request: HttpRequest, unit: Any) -> PlannerJob:
    """Store the service roles as marked, then queue the proposal (both or neither)."""
    form = _form_state(request)
    roles: dict[str, set[str]] = {}
    for key, value in request.POST.items():
        if key.startswith("peran-"):
            roles[key.removeprefix("peran-")] = planning.parse_roles(str(value))
    if roles:
        planning.service_roles_set(actor=request.user, unit_id=unit.pk, roles=roles)
    preferences = [{"nip": p.split("|", 1)[0], "hari": p.split("|", 1)[1]} for p in form["prefs"]]
    return planning.proposal_job_create(
        actor=request.user,
        unit_id=unit.pk,
        start=dt.date.fromisoformat(form["start"]),
        weeks=int(form["weeks"]),
        anchors=form["anchors"],
        preferences=preferences,
        coverage=_coverage_rows(form),
        form=form,
    )


def _import(request: HttpRequest, unit: Any) -> int:
    """A plan.csv / .xlsx into the draft (the policy core checks it on the board); nothing
    is published, and a refused file leaves the draft as it was."""
    upload = request.FILES.get("berkas")
    if upload is None:
        raise ApplicationError(ErrorCode.VALIDATION, _("Pilih berkas plan.csv atau plan.xlsx."))
    draft = _draft(request, unit.pk)
    start = _start_of(str(request.POST.get("mulai", "")), clock.today())
    weeks = parse_id(request.POST.get("minggu")) or 1
    if not 1 <= weeks <= planning.MAX_WEEKS:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Jumlah minggu harus 1 sampai %(n)d.") % {"n": planning.MAX_WEEKS}
        )
    end = start + dt.timedelta(days=7 * weeks - 1)
    if upload.size and upload.size > plans.MAX_PLAN_BYTES:
        raise ApplicationError(ErrorCode.VALIDATION, _("Berkas rencana terlalu besar (paling besar 20 MB)."))
    rows = plans.plan_import(
        actor=request.user,
        unit_id=unit.pk,
        data=upload.read(plans.MAX_PLAN_BYTES + 1),
        filename=str(upload.name or "plan.csv"),
        start=start,
        end=end,
    )
    form = {k: v for k, v in (draft or {}).items() if k in ("anchors", "coverage", "prefs")}
    request.session[DRAFT_KEY] = {
        "anchors": [], "coverage": [], "prefs": [], **form,
        "unit_id": unit.pk,
        "start": start.isoformat(),
        "weeks": weeks,
        "rows": [plan_row(r) for r in rows],
        "summary": {},
        "imported": str(upload.name or "")[:100],
    }
    return len(rows)


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
