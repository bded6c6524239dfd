"""The sections of the monitoring app's own data (service index, readiness) and the
before/after comparison. Aggregated in the database like the rest."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from fleksi.schedules.selectors import first_arrangement_date

from .models import ReadinessReport, ServiceIndex
from .population import Population
from .tables import Cell, Section, Table, pct, rnd

if TYPE_CHECKING:
    from .selectors import Groups


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _own(qs: Any, pop: Population) -> Any:
    if pop.agency_ids is not None:
        qs = qs.filter(agency_id__in=pop.agency_ids)
    if pop.unit_path:
        qs = qs.filter(unit__path__startswith=pop.unit_path)
    return qs.filter(period__gte=month_start(pop.start), period__lte=pop.end)


def service_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    """IKM (average of the units' monthly index) and complaints, next to the flexible days."""
    from .selectors import _is_flexible, _plan_rows

    rows = _own(ServiceIndex.objects.all(), pop)
    flex: dict[Any, int] = {}
    for plan in _plan_rows(pop, groups):
        if _is_flexible(plan) and (not location or plan["location_kind"] == location):
            flex[plan[groups.field]] = flex.get(plan[groups.field], 0) + plan["n"]
    table = Table(
        "service", _("Layanan publik: IKM dan pengaduan"),
        [groups.title, _("IKM rata-rata"), _("Pengaduan"), _("Bulan-unit dilaporkan"), _("Hari fleksibel")],
        chart_columns=[1],
    )
    found = {
        row[groups.field]: row
        for row in rows.values(groups.field).annotate(ikm=Avg("ikm"), complaints=Sum("complaints"), n=Count("id")).order_by()
    }
    for key in groups.ordered(set(found)):
        row = found[key]
        table.add(groups.label(key), Cell(rnd(row["ikm"])), Cell(row["complaints"]), Cell(row["n"]), Cell(flex.get(key, 0)))
    monthly = Table(
        "service_months", _("IKM per bulan"), [_("Bulan"), _("IKM rata-rata"), _("Pengaduan")], chart="line",
        chart_columns=[1],
    )
    for row in rows.values("period").annotate(ikm=Avg("ikm"), complaints=Sum("complaints")).order_by("period"):
        monthly.add(row["period"].strftime("%Y-%m"), Cell(rnd(row["ikm"])), Cell(row["complaints"]))
    return Section("service", _("Layanan publik"), [table, monthly])


def readiness_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    rows = _own(ReadinessReport.objects.all(), pop)
    table = Table(
        "readiness", _("Kesiapan sarana (skala 1-4)"),
        [groups.title, _("Pelapor"), _("Peralatan"), _("Koneksi"), _("Ruang kerja")], chart_columns=[2, 3, 4],
    )
    aggregates = {
        "people": Count("employee_id", distinct=True), "equipment": Avg("equipment"),
        "connection": Avg("connection"), "workspace": Avg("workspace"),
    }

    def add(label: str, row: dict[str, Any]) -> None:
        people = row["people"] or 0
        table.add(label, Cell(people, people), *[Cell(rnd(row[k]), people) for k in ("equipment", "connection", "workspace")])

    found = {row[groups.field]: row for row in rows.values(groups.field).annotate(**aggregates).order_by()}
    for key in groups.ordered(set(found)):
        add(groups.label(key), found[key])
    if found:
        add(_("Jumlah"), rows.aggregate(**aggregates))
        table.total_row = True
    return Section("readiness", _("Kesiapan sarana"), [table])


def before_after_section(
    pop: Population, groups: Groups, location: str | None = None, *, weeks: int = 4,
    start: dt.date | None = None,
) -> Section:
    """The same measures over ``weeks`` weeks before and after the start of flexible work
    (default: the agency's first approved day), side by side with the difference."""
    if start is None:
        start = first_arrangement_date(agency_ids=pop.agency_ids)
    table = Table(
        "before_after", _("Sebelum dan sesudah kerja fleksibel"),
        [_("Ukuran"), _("Sebelum"), _("Sesudah"), _("Selisih")], chart="",
    )
    if start is None:
        table.note = _("Belum ada hari kerja fleksibel yang disetujui.")
        return Section("before_after", _("Sebelum dan sesudah"), [table])
    before = pop.with_period(start - dt.timedelta(weeks=weeks), start - dt.timedelta(days=1))
    after = pop.with_period(start, start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1))
    table.note = _("Mulai %(start)s, %(n)s minggu sebelum dan sesudah.") % {"start": start.isoformat(), "n": weeks}
    measures = [_measures(before, location), _measures(after, location)]
    labels = [
        ("flex_share", _("Hari di luar kantor (% hari tercatat)")),
        ("absent_share", _("Tidak hadir (% hari tercatat)")),
        ("deviation_share", _("Berbeda dari rencana (% hari tercatat)")),
        ("hours", _("Jam kerja rata-rata per hari hadir")),
        ("ikm", _("IKM rata-rata")),
        ("complaints", _("Pengaduan")),
    ]
    for key, label in labels:
        b, a = measures[0][key], measures[1][key]
        people = min(measures[0]["people"], measures[1]["people"])
        people_cell = None if key in ("ikm", "complaints") else people
        diff = None if a is None or b is None else rnd(a - b)
        table.add(label, Cell(b, people_cell), Cell(a, people_cell), Cell(diff, people_cell))
    return Section("before_after", _("Sebelum dan sesudah"), [table])


def _measures(pop: Population, location: str | None) -> dict[str, Any]:
    from .selectors import PRESENT, _rollup, _rows, _sum, _tally

    sums = {
        "away": _sum(~Q(planned_location="kantor")), "absent": _sum(Q(status="absent")),
        "deviation": _sum(Q(deviation=True)), "present": _sum(Q(status__in=PRESENT)),
        "minutes": Sum("worked_minutes", filter=Q(status__in=PRESENT)),
    }
    tally = _tally(_rows(_rollup(pop, location), [], sums), lambda row: None, list(sums)).get(None)
    row: dict[str, Any] = {"days": sum(tally.daily.values()) if tally else 0, "people": tally.people if tally else 0}
    for key in sums:
        row[key] = tally[key] if tally else None
    service = _own(ServiceIndex.objects.all(), pop).aggregate(ikm=Avg("ikm"), complaints=Sum("complaints"))
    return {
        "people": row["people"] or 0,
        "flex_share": pct(row["away"], row["days"]),
        "absent_share": pct(row["absent"], row["days"]),
        "deviation_share": pct(row["deviation"], row["days"]),
        "hours": rnd((row["minutes"] or 0) / 60 / row["present"]) if row["present"] else None,
        "ikm": rnd(service["ikm"]),
        "complaints": service["complaints"],
    }
