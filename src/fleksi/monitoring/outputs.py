"""The dashboards' outputs section (docs/decisions/177): daily logs on flexible days, output
achievement (realised against target), the on-time share of outputs due, and the predikat
distribution, each aggregated in the database over the performance app's population
selectors and rollups (docs/decisions/198, 199, 201)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from fleksi.attendance.selectors import FewIds
from fleksi.core import clock
from fleksi.performance.selectors import (
    population_assessment_rollup,
    population_logged_days,
    population_outputs,
    population_outputs_realised,
)
from fleksi.policy.rating import Predikat

from .population import Population
from .selectors import Groups, Tally, _is_flexible, _plan_rows, _tally
from .tables import Cell, Section, Table, pct, rnd


def outputs_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    """Outputs (docs/decisions/177), from performance's population selectors: flexible days
    (up to today) with a daily log, realised against target, outputs due in the period
    reached by their due date, and the finalised predikat. One GROUP BY per table plus its
    total row; every cell counts its employees (decision 171). ``location`` narrows the
    flexible days only (outputs and ratings have no location)."""
    field = groups.field
    today = min(pop.end, clock.today())
    tables = [_logs_table(pop, groups, location, today)]

    outputs = population_outputs(agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end)
    # Each output's realised quantities are SQL expressions over the sums stored on it
    # (docs/decisions/199), so both tables are one GROUP BY each, per group; an employee
    # belongs to one group (their unit now, or their agency), so the total rows are the sums
    # of the groups' rows, people included (docs/decisions/201).
    realised = population_outputs_realised(outputs, end=pop.end)
    achievement = Table(
        "output_achievement", _("Capaian keluaran (realisasi terhadap target)"),
        [groups.title, _("Keluaran"), _("Target"), _("Realisasi (sampai target)"), _("Capaian (%)"),
         _("Keluaran tercapai")],
        chart_columns=[4],
    )

    def add_achievement(label: str, row: dict[str, Any]) -> None:
        people = row["people"]
        achievement.add(
            label, Cell(row["n"], people), Cell(rnd(row["target"]), people), Cell(rnd(row["capped"]), people),
            Cell(pct(row["capped"], row["target"]), people), Cell(row["reached"], people),
        )

    per_group = _output_rows(realised, field, due_from=pop.start, due_to=today)
    for key in groups.ordered(set(per_group)):
        add_achievement(groups.label(key), per_group[key])
    add_achievement(_("Jumlah"), _summed(per_group.values(), ["n", "people", "reached"], ["target", "capped"]))
    achievement.total_row = True
    tables.append(achievement)

    on_time = Table(
        "output_on_time", _("Keluaran jatuh tempo yang tercapai tepat waktu"),
        [groups.title, _("Jatuh tempo"), _("Tepat waktu"), _("Porsi (%)")], chart_columns=[3],
    )

    def add_on_time(label: str, row: dict[str, Any]) -> None:
        people, n, timely = row["due_people"], row["due_n"], row["timely"]
        on_time.add(label, Cell(n, people), Cell(timely, people), Cell(pct(timely, n), people))

    due = {key: row for key, row in per_group.items() if row["due_n"]}
    for key in groups.ordered(set(due)):
        add_on_time(groups.label(key), due[key])
    add_on_time(_("Jumlah"), _summed(due.values(), ["due_n", "due_people", "timely"], []))
    on_time.total_row = True
    tables.append(on_time)
    tables.append(_predikat_table(pop, groups))
    return Section("outputs", _("Keluaran kinerja"), tables)


def _output_rows(realised: QuerySet[Any], field: str, *, due_from: dt.date, due_to: dt.date) -> dict[Any, dict[str, Any]]:
    """Per group: outputs, their employees, target, realised capped at the target, outputs
    reached; of those due between ``due_from`` and ``due_to``: how many, their employees,
    reached by the due date. One statement over the outputs with their realised sums
    computed once each (a materialised CTE on PostgreSQL: inlined, each use of ``realised``
    would run its subquery again; docs/decisions/201)."""
    inner = realised.values_list(
        field, "employee_id", "target_quantity", "due_date", "realised", "realised_by_due"
    ).order_by()
    sql, params = inner.query.sql_with_params()
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    due = "o.due >= %s AND o.due <= %s"
    reached = "o.realised >= o.target"
    query = (
        f"WITH o (g, e, target, due, realised, by_due) AS {materialized}({sql}) "  # noqa: S608 (Django's SQL)
        f"SELECT o.g, COUNT(*), COUNT(DISTINCT o.e), SUM(o.target), "
        f"SUM(CASE WHEN {reached} THEN o.target ELSE o.realised END), SUM(CASE WHEN {reached} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {due} THEN 1 ELSE 0 END), COUNT(DISTINCT CASE WHEN {due} THEN o.e END), "
        f"SUM(CASE WHEN {due} AND o.by_due >= o.target THEN 1 ELSE 0 END) FROM o GROUP BY o.g"
    )
    window = [due_from.isoformat(), due_to.isoformat()]
    rows: dict[Any, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *window, *window, *window])
        for g, n, people, target, capped, n_reached, due_n, due_people, timely in cursor.fetchall():
            rows[g] = {
                "n": n, "people": people, "target": _decimal(target), "capped": _decimal(capped),
                "reached": n_reached or 0, "due_n": due_n or 0, "due_people": due_people, "timely": timely or 0,
            }
    return rows


def _decimal(value: Any) -> Decimal | None:
    """A quantity of the raw SQL above as Decimal (SQLite returns numbers as float)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _summed(rows: Any, counts: list[str], amounts: list[str]) -> dict[str, Any]:
    """The total row of grouped rows: counts summed (0 when none), amounts summed (None when
    no row, as an aggregate over no row is)."""
    rows = list(rows)
    total: dict[str, Any] = {key: sum(row[key] or 0 for row in rows) for key in counts}
    for key in amounts:
        total[key] = sum((row[key] or Decimal(0) for row in rows), start=Decimal(0)) if rows else None
    return total


def _logs_table(pop: Population, groups: Groups, location: str | None, today: dt.date) -> Table:
    """Flexible days up to today (from the summary's plan rows), and those with at least one
    log entry of that employee and date: from the performance app's rollup of logged days
    (docs/decisions/201), one row per unit, day and kind, instead of joining the approved
    days with the logs (0.7-1.9 s at 50,000 employees, docs/decisions/197)."""
    table = Table(
        "output_logs", _("Laporan harian pada hari kerja fleksibel"),
        [groups.title, _("Hari fleksibel"), _("Dengan laporan harian"), _("Porsi (%)")], chart_columns=[3],
    )

    def add(label: str, tally: Tally) -> None:
        people, n, found = tally.people, tally["days"], tally["logged"]
        table.add(label, Cell(n, people), Cell(found, people), Cell(pct(found, n), people))

    def counted(row: dict[str, Any]) -> bool:
        return _is_flexible(row) and row["work_date"] <= today and (not location or row["location_kind"] == location)

    logged: dict[tuple[Any, ...], int] = {
        (unit_id, day, kind, time_kind): n
        for unit_id, day, kind, time_kind, n in population_logged_days(
            agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=today
        ).values_list("unit_id", "date", "location_kind", "time_kind", "logged").order_by()
    }
    rows = [
        {**row, "days": row["n"], "logged": logged.get(
            (row["unit_id"], row["work_date"], row["location_kind"], row["time_kind"]), 0
        )}
        for row in _plan_rows(pop, groups) if counted(row)
    ]
    by_group = _tally(rows, lambda row: row[groups.field], ["days", "logged"])
    total = _tally(rows, lambda row: None, ["days", "logged"])[None]
    for key in groups.ordered(set(by_group)):
        add(groups.label(key), by_group[key])
    add(_("Jumlah"), total)
    table.total_row = True
    return table


def _predikat_table(pop: Population, groups: Groups) -> Table:
    """Finalised ratings (the latest final version per employee and period) by predikat,
    from the assessment rollup (docs/decisions/198): one GROUP BY per group, predikat and
    period. An employee has one latest final assessment per period, so a period's count in a
    cell is that period's distinct employees, and ``Tally.people`` is exact below 5 and a
    lower bound of at least 5 above (what the national suppression needs)."""
    rollup = population_assessment_rollup(
        agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end
    )
    kinds = list(Predikat)
    table = Table(
        "predikat", _("Sebaran predikat kinerja (penilaian final)"),
        [groups.title, *[kind.label("id") for kind in kinds], _("Jumlah")],
        chart_columns=list(range(1, len(kinds) + 1)), total_column=len(kinds) + 1,
    )
    cells: dict[Any, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    group_rows: dict[Any, Tally] = defaultdict(Tally)
    totals: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    rows = rollup.values(groups.field, "predikat", "period", "cadence").annotate(
        n=Sum("n"), few=FewIds()
    ).order_by()
    for row in rows:
        key, kind, period = row[groups.field], row["predikat"], (row["period"], row["cadence"])
        for tally in (cells[key][kind], group_rows[key], totals[kind], total):
            tally.add(row, [], day=period)

    def cell(tally: Tally | None) -> Cell:
        if tally is None:
            return Cell(0, 0)
        return Cell(sum(tally.daily.values()), tally.people)

    for key in groups.ordered(set(cells)):
        table.add(
            groups.label(key), *[cell(cells[key].get(kind.value)) for kind in kinds], cell(group_rows[key]),
        )
    if cells:
        table.add_total(_("Jumlah"), *[cell(totals.get(kind.value)) for kind in kinds], cell(total))
    return table
