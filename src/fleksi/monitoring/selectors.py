"""The dashboard figures, each one aggregated in the database (GROUP BY through the ORM) over
the other apps' population selectors: a fixed number of queries whatever the data size.

Groups: per unit for a unit or agency dashboard, per agency for the national one (which has
no unit, no person). Every cell carries the number of employees it counts (tables.Cell).

The outputs section (logs, achievement, on-time share, predikat) is in ``outputs.py``; the
evaluation's sections (service, readiness, before/after) in ``evaluation.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from fleksi.attendance.selectors import (
    FEW_RECORDS,
    FewIds,
    population_day_rollup,
    population_week_rollup,
)
from fleksi.organisation.selectors import population_employees, population_units
from fleksi.policy import LocationKind as PolicyLocation
from fleksi.policy import RuleCode
from fleksi.policy.calendar import week_label
from fleksi.requests.selectors import population_finding_counts, population_requests
from fleksi.schedules.selectors import (
    population_days,
    population_flexible_months,
    population_plan_rollup,
)
from fleksi.scheme.facts import agency_calendar, agency_policy
from fleksi.scheme.selectors import population_flex_days

from .population import Population
from .tables import Cell, Section, Table, pct, rnd

OFFICE = PolicyLocation.OFFICE.value
REGULAR = "reguler"
LOCATIONS = [kind.value for kind in PolicyLocation]
PRESENT = ["present_office", "present_flexible"]
WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def location_label(value: str) -> str:
    try:
        return str(PolicyLocation(value).label("id"))
    except (ValueError, TypeError, AttributeError):
        return value


class Groups:
    """The rows of a dashboard: units of the subtree, or agencies (national)."""

    def __init__(self, pop: Population) -> None:
        self.pop = pop
        self.cache: dict[str, Any] = {}  # reads shared by several sections of one summary
        from fleksi.organisation.models import Agency

        if pop.national:
            self.field = "agency_id"
            self.unit_field = "agency_id"
            self.names = dict(Agency.objects.order_by("name").values_list("pk", "name"))
            self.agencies = list(Agency.objects.all())
        else:
            self.field = "unit_id"
            self.unit_field = "unit_id"
            units = population_units(agency_ids=pop.agency_ids, unit_path=pop.unit_path).order_by("path")
            self.names = {pk: name for pk, name in units.values_list("pk", "name")}
            self.agencies = [pop.agency] if pop.agency is not None else []

    def label(self, key: Any) -> str:
        return self.names.get(key, "-")

    def ordered(self, keys: Any) -> list[Any]:
        known = [k for k in self.names if k in keys]
        return known + sorted(k for k in keys if k not in self.names)

    @property
    def title(self) -> str:
        return _("Instansi") if self.pop.national else _("Unit")


def _days(pop: Population, location: str | None = None) -> QuerySet[Any]:
    qs = population_days(agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end)
    return qs.filter(location_kind=location) if location else qs


def _rollup(pop: Population, location: str | None = None) -> QuerySet[Any]:
    """The attendance rollup of the population (docs/decisions/196): rows of records counted
    per unit, day, planned location, status, first place and flag; ``Sum("records")``."""
    qs = population_day_rollup(agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end)
    return qs.filter(planned_location=location) if location else qs


def _sum(condition: Q | None = None) -> Sum:
    return Sum("records", filter=condition)


class Tally:
    """Sums of rollup rows over days, with the employees they count: one record per employee
    and day, so a day's records are that day's distinct employees. ``people`` is exact when
    no day counts more than FEW_RECORDS records (the rows then carry their employees), else
    it is the largest day (a lower bound, 5 or more): exactly what the national suppression
    of cells under 5 employees needs (docs/decisions/171, 196)."""

    def __init__(self) -> None:
        self.sums: dict[str, int] = defaultdict(int)
        self.daily: dict[Any, int] = defaultdict(int)
        self.ids: set[int] = set()

    def add(self, row: dict[str, Any], keys: list[str], *, day: Any = None) -> None:
        """``day``: the key one employee is counted once in (default: the row's work_date;
        the predikat table's (period, cadence))."""
        self.daily[row["work_date"] if day is None else day] += row["n"] or 0
        for key in keys:
            self.sums[key] += row[key] or 0
        self.ids.update(int(x) for x in (row["few"] or "").split(",") if x)

    def __getitem__(self, key: str) -> int:
        return self.sums[key]

    @property
    def people(self) -> int:
        biggest = max(self.daily.values(), default=0)
        return biggest if biggest > FEW_RECORDS else len(self.ids)


def _rows(qs: QuerySet[Any], fields: list[str], sums: dict[str, Sum]) -> list[dict[str, Any]]:
    """One GROUP BY of rollup rows on ``fields`` and the day: a few rows per group and day,
    never one per record."""
    return list(
        qs.values(*fields, "work_date").annotate(n=_sum(), few=FewIds(), **sums).order_by()
    )


def _tally(rows: list[dict[str, Any]], by: Callable[[dict[str, Any]], Any], keys: list[str]) -> dict[Any, Tally]:
    tallies: dict[Any, Tally] = defaultdict(Tally)
    for row in rows:
        tallies[by(row)].add(row, keys)
    return tallies


def _plan_rows(pop: Population, groups: Groups) -> list[dict[str, Any]]:
    """The population's approved days counted per unit, day, location and time kind (an
    employee has one active day per date, so a row's count is its employees; ``few``: their
    ids when at most FEW_RECORDS): the rows of the schedules app's rollup (docs/decisions/201),
    one per unit, day and kind already, read once per summary and shared by the location,
    outputs, service and trends sections."""
    if "plan" not in groups.cache:
        groups.cache["plan"] = [
            {
                "unit_id": unit_id, "agency_id": agency_id, "work_date": date, "location_kind": location,
                "time_kind": time_kind, "n": days, "few": few,
            }
            for unit_id, agency_id, date, location, time_kind, days, few in population_plan_rollup(
                agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end
            ).values_list("unit_id", "agency_id", "date", "location_kind", "time_kind", "days", "few_ids").order_by()
        ]
    return groups.cache["plan"]


def _is_flexible(row: dict[str, Any]) -> bool:
    return row["location_kind"] != OFFICE or row["time_kind"] != REGULAR


def _flexible(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(~Q(location_kind=OFFICE) | ~Q(time_kind=REGULAR))


# ---------------------------------------------------------------- adoption


def _people_per_group(days: QuerySet[Any], field: str) -> tuple[dict[Any, int], int]:
    """Distinct employees of ``days`` per ``field`` and in all, in one statement: the
    distinct (group, employee) pairs once (a hash aggregate), counted per group and in all.
    ``days``: the employee-month rows of schedules' rollup, a few per employee instead of the
    520,000 approved days whose two COUNT(DISTINCT) were 0.85 s at 50,000 employees
    (docs/decisions/201). An employee who moved counts in each group and once in all."""
    sql, params = days.values_list(field, "employee_id").distinct().order_by().query.sql_with_params()
    per_group: dict[Any, int] = {}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH pairs (g, e) AS ({sql}) SELECT 1, g, COUNT(*) FROM pairs GROUP BY g "  # noqa: S608 (Django's SQL)
            "UNION ALL SELECT 0, NULL, COUNT(DISTINCT e) FROM pairs",
            params,
        )
        for kind, key, n in cursor.fetchall():
            if kind:
                per_group[key] = n
            else:
                total = n
    return per_group, total



def adoption_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    employees = population_employees(agency_ids=pop.agency_ids, unit_path=pop.unit_path).filter(excluded=False)
    eligible = dict(employees.values_list(groups.field).annotate(n=Count("id")).values_list(groups.field, "n"))
    with_flex, total_flex = _people_per_group(
        population_flexible_months(
            agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end, location=location
        ),
        groups.field,
    )
    total_eligible = sum(eligible.values())
    share = Table(
        "adoption",
        _("Pegawai dengan hari kerja fleksibel"),
        [groups.title, _("Pegawai"), _("Dengan hari fleksibel"), _("Porsi (%)")],
        chart_columns=[3],
    )
    for key in groups.ordered(set(eligible) | set(with_flex)):
        n, f = eligible.get(key, 0), with_flex.get(key, 0)
        share.add(groups.label(key), Cell(n, n), Cell(f, f), Cell(pct(f, n), min(n, f) if f else n))
    share.add_total(_("Jumlah"), Cell(total_eligible, total_eligible), Cell(total_flex, total_flex),
              Cell(pct(total_flex, total_eligible), total_flex or total_eligible))

    requests = population_requests(agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end)
    from fleksi.requests.models import RequestState  # the enum only (labels)

    by_state = {
        row["state"]: row
        for row in requests.values("state").annotate(n=Count("id"), people=Count("employee_id", distinct=True))
    }
    states = Table("requests", _("Pengajuan menurut status"), [_("Status"), _("Pengajuan"), _("Pegawai")], chart_columns=[1])
    for state in RequestState:
        row = by_state.get(state.value)
        if row:
            states.add(str(state.label), Cell(row["n"], row["people"]), Cell(row["people"], row["people"]))

    decided = requests.filter(
        submitted_at__isnull=False, decided_at__isnull=False,
        decided_at__date__gte=pop.start, decided_at__date__lte=pop.end,
    ).annotate(took=ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField()))
    counted = decided.aggregate(n=Count("id"), people=Count("employee_id", distinct=True))
    n = counted["n"]
    turnaround = Table(
        "turnaround", _("Lama keputusan (jam)"), [_("Ukuran"), _("Nilai")], chart=""
    )

    def nth(index: int) -> float | None:
        took = decided.order_by("took", "id").values_list("took", flat=True)[index : index + 1]
        found = list(took)
        return round(found[0].total_seconds() / 3600, 1) if found else None

    people = counted["people"]
    turnaround.add(_("Keputusan"), Cell(n, people))
    if n:
        # Nearest-rank percentiles, read by an indexed ORDER BY ... OFFSET in the database.
        turnaround.add(_("Median"), Cell(nth((n - 1) // 2), people))
        turnaround.add(_("Persentil 90"), Cell(nth(max(0, -(-9 * n // 10) - 1)), people))
    return Section("adoption", _("Adopsi"), [share, states, turnaround])


# ---------------------------------------------------------------- where people work


def location_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    plan = [row for row in _plan_rows(pop, groups) if not location or row["location_kind"] == location]
    kinds = [location] if location else LOCATIONS
    mix: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (wd, kind), tally in _tally(plan, lambda row: (row["work_date"].isoweekday(), row["location_kind"]), []).items():
        mix[wd][kind] = (sum(tally.daily.values()), tally.people)
    planned = Table(
        "weekday_plan", _("Rencana lokasi kerja per hari (hari-pegawai)"),
        [_("Hari"), *[location_label(k) for k in kinds]],
    )
    for wd in sorted(mix):
        planned.add(WEEKDAYS[wd - 1], *[Cell(*mix[wd].get(k, (0, 0))) for k in kinds])

    attended: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    present = _rows(_rollup(pop, location).filter(status__in=PRESENT), ["first_in_location"], {})
    for (wd, place), tally in _tally(
        present, lambda row: (row["work_date"].isoweekday(), row["first_in_location"]), []
    ).items():
        attended[wd][place] = (sum(tally.daily.values()), tally.people)
    actual = Table(
        "weekday_actual", _("Lokasi presensi per hari (hari-pegawai hadir)"),
        [_("Hari"), *[location_label(k) for k in kinds]],
    )
    for wd in sorted(attended):
        actual.add(WEEKDAYS[wd - 1], *[Cell(*attended[wd].get(k, (0, 0))) for k in kinds])

    per_group: dict[Any, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (key, kind), tally in _tally(plan, lambda row: (row[groups.field], row["location_kind"]), []).items():
        per_group[key][kind] = (sum(tally.daily.values()), tally.people)
    by_group = Table(
        "location_groups", _("Rencana lokasi kerja per %(group)s") % {"group": groups.title.lower()},
        [groups.title, *[location_label(k) for k in kinds]],
    )
    for key in groups.ordered(set(per_group)):
        by_group.add(groups.label(key), *[Cell(*per_group[key].get(k, (0, 0))) for k in kinds])
    return Section(
        "location", _("Tempat bekerja"),
        [planned, actual, by_group, coverage_table(pop, groups), flex_days_table(pop, groups)],
    )


def coverage_table(pop: Population, groups: Groups) -> Table:
    """Unit-days at or below the unit's minimum office share (the agency's policy, or the
    share the agency head set for a national flexible day)."""
    from fleksi.organisation.models import OrgUnit

    units = population_units(agency_ids=pop.agency_ids, unit_path=pop.unit_path)
    headcount = dict(
        population_employees(agency_ids=pop.agency_ids, unit_path=pop.unit_path)
        .values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    unit_info = {pk: (code, agency_id) for pk, code, agency_id in units.values_list("pk", "code", "agency_id")}
    policies = {agency.pk: agency_policy(agency) for agency in groups.agencies if agency is not None}
    away_by_day: dict[tuple[Any, dt.date], int] = defaultdict(int)
    for row in _plan_rows(pop, groups):
        if row["location_kind"] != OFFICE:
            away_by_day[(row["unit_id"], row["work_date"])] += row["n"]
    away = [{"unit_id": unit, "date": day, "n": n} for (unit, day), n in away_by_day.items()]
    checked: dict[Any, int] = defaultdict(int)
    below: dict[Any, int] = defaultdict(int)
    for row in away:  # one row per unit-day with someone away, not per employee
        info = unit_info.get(row["unit_id"])
        staff = headcount.get(row["unit_id"], 0)
        if info is None or not staff:
            continue
        code, agency_id = info
        policy = policies.get(agency_id)
        if policy is None:
            continue
        minimum = policy.flex_day_shares.get(row["date"], policy.office_share(code))
        key = agency_id if pop.national else row["unit_id"]
        checked[key] += 1
        if minimum > 0 and (staff - row["n"]) / staff <= minimum:
            below[key] += 1
    table = Table(
        "coverage", _("Hari-unit pada atau di bawah porsi minimum di kantor"),
        [groups.title, _("Hari-unit dengan pegawai di luar kantor"), _("Pada/di bawah minimum")],
        chart_columns=[2],
    )
    del OrgUnit
    for key in groups.ordered(set(checked)):
        table.add(groups.label(key), Cell(checked[key]), Cell(below[key]))
    return table


def flex_days_table(pop: Population, groups: Groups) -> Table:
    rows = list(
        population_flex_days(agency_ids=pop.agency_ids, start=pop.start, end=pop.end)
        .values("date").annotate(agencies=Count("agency_id")).order_by("date")
    )
    dates = {row["date"] for row in rows}
    away: dict[dt.date, int] = defaultdict(int)
    for plan in _plan_rows(pop, groups) if dates else []:
        if plan["work_date"] in dates and plan["location_kind"] != OFFICE:
            away[plan["work_date"]] += plan["n"]
    table = Table(
        "national_flex_days", _("Hari kerja fleksibel nasional"),
        [_("Tanggal"), _("Instansi menerapkan"), _("Pegawai di luar kantor")], chart_columns=[2],
    )
    for row in rows:
        n = away.get(row["date"], 0)
        table.add(row["date"].isoformat(), Cell(row["agencies"]), Cell(n, n))
    return table


# ---------------------------------------------------------------- discipline and compliance


ATTENDANCE_SUMS: dict[str, Q | None] = {
    "absent": Q(status="absent"), "deviation": Q(deviation=True), "outside": Q(outside_office=True),
    "late": Q(synced_late=True), "no_check_in": Q(no_check_in=True),
}
ATTENDANCE_KEYS = ["days", *ATTENDANCE_SUMS]


def discipline_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    findings = Table(
        "findings", _("Temuan kebijakan menurut kode aturan"),
        [_("Kode aturan"), _("Aturan"), _("Dasar hukum"), _("Temuan"), _("Pegawai")], chart_columns=[3],
    )
    for code, n, people in population_finding_counts(
        agency_ids=pop.agency_ids, unit_path=pop.unit_path, start=pop.start, end=pop.end
    ):
        try:
            info = RuleCode(code).info
            title, basis = info.title_id, info.basis
        except (ValueError, AttributeError):
            title, basis = "", ""
        findings.add(code, Cell(title), Cell(basis), Cell(n, people), Cell(people, people))

    # One GROUP BY of the rollup per group and day: the rows per group and the total row are
    # both tallied from it (a day's records are that day's employees).
    sums = {key: _sum(condition) for key, condition in ATTENDANCE_SUMS.items()}
    rows = _rows(_rollup(pop, location), [groups.field], sums)
    for row in rows:
        row["days"] = row["n"]
    per_group = _tally(rows, lambda row: row[groups.field], ATTENDANCE_KEYS)
    total = _tally(rows, lambda row: None, ATTENDANCE_KEYS)[None]
    columns = [
        groups.title, _("Hari tercatat"), _("Tidak hadir"), _("Berbeda dari rencana"),
        _("Di luar kantor"), _("Terkirim terlambat"), _("Tanpa presensi (hari fleksibel)"),
    ]
    attendance = Table("attendance", _("Presensi: penyimpangan dan ketidakhadiran"), columns, chart_columns=[2, 3, 4, 5])

    def add(label: str, tally: Tally) -> None:
        people = tally.people
        attendance.add(label, *[Cell(tally[key], people) for key in ATTENDANCE_KEYS])

    for key in sorted(
        per_group, key=lambda k: list(groups.names).index(k) if k in groups.names else 10**9,
    ):
        add(groups.label(key), per_group[key])
    add(_("Jumlah"), total)
    attendance.total_row = True
    weekly = weekly_hours_table(pop, groups, location, people=total.people)
    return Section("discipline", _("Disiplin dan kepatuhan"), [findings, attendance, weekly])


def weekly_hours_table(
    pop: Population, groups: Groups, location: str | None = None, *, people: int | None = None
) -> Table:
    """Employee-weeks whose worked minutes reach the week's required minutes (7 h 30 min per
    working day of the agency's calendar), from the employee-week rollup (one row per
    employee and week, docs/decisions/196): the days of a week cut by the period, outside
    the unit subtree or at another planned location are left out in SQL, and the weeks are
    compared with their required minutes in the same query, no GROUP BY. ``people``: the
    employees of the period's records (the attendance total row counts the same records)."""
    mondays: list[dt.date] = []
    day = pop.start - dt.timedelta(days=pop.start.weekday())
    while day <= pop.end:
        mondays.append(day)
        day += dt.timedelta(weeks=1)
    whens = []
    single = len(groups.agencies) == 1
    for agency in groups.agencies:
        calendar = agency_calendar(agency)
        for monday in mondays:
            condition = Q(monday=monday) if single else Q(monday=monday, agency_id=agency.pk)
            whens.append(When(condition, then=Value(calendar.required_minutes(week_label(monday)))))
    table = Table(
        "weekly_hours", _("Pemenuhan jam kerja mingguan"),
        [_("Ukuran"), _("Minggu-pegawai"), _("Memenuhi"), _("Porsi (%)")], chart="",
    )
    if not whens:
        return table
    units = (
        population_units(agency_ids=pop.agency_ids, unit_path=pop.unit_path).values("pk") if pop.unit_path else None
    )

    def counted(k: int) -> Q:  # the record of weekday k is in the population
        condition = Q(**{f"unit_{k}__isnull": False})
        if units is not None:
            condition &= Q(**{f"unit_{k}__in": units})
        if location:
            condition &= Q(**{f"location_{k}": location})
        return condition

    def days_of(monday: dt.date) -> list[int]:
        return [k for k in range(1, 8) if pop.start <= monday + dt.timedelta(days=k - 1) <= pop.end]

    def minutes(days: list[int]) -> Any:
        parts: list[Any] = [
            F(f"minutes_{k}") if units is None and not location
            else Case(When(counted(k), then=F(f"minutes_{k}")), default=Value(0), output_field=IntegerField())
            for k in days
        ]
        total: Any = parts[0]
        for part in parts[1:]:
            total = total + part
        return total

    def any_of(days: list[int]) -> Q:
        found = Q()
        for k in days:
            found |= counted(k)
        return found

    cut = [m for m in {mondays[0], mondays[-1]} if len(days_of(m)) < 7]
    full = [m for m in mondays if m not in cut]
    inside = Q()
    total_whens = []
    for monday in cut:
        inside |= Q(monday=monday) & any_of(days_of(monday))
        total_whens.append(When(monday=monday, then=minutes(days_of(monday))))
    if full:
        inside |= Q(monday__gte=full[0], monday__lte=full[-1]) & any_of(list(range(1, 8)))
    weeks = (
        population_week_rollup(agency_ids=pop.agency_ids, start=pop.start, end=pop.end).filter(inside)
        .annotate(
            total=Case(*total_whens, default=minutes(list(range(1, 8))), output_field=IntegerField())
            if total_whens else minutes(list(range(1, 8))),
            required=Case(*whens, default=Value(0), output_field=IntegerField()),
        )
    )
    counted_rows = weeks.aggregate(
        n=Count("id"),
        met_n=Sum(Case(When(total__gte=F("required"), then=Value(1)), default=Value(0), output_field=IntegerField())),
    )
    total, met = counted_rows["n"], counted_rows["met_n"] or 0
    if people is None:
        people = total and len(set(weeks.values_list("employee_id", flat=True)))
    table.add(_("Minggu penuh dalam periode dan sebagian"), Cell(total, people), Cell(met, people), Cell(pct(met, total), people))
    return table


# ---------------------------------------------------------------- trends


def trends_section(pop: Population, groups: Groups, location: str | None = None) -> Section:
    weekly: dict[dt.date, dict[str, Any]] = defaultdict(dict)
    sums = {
        "present": _sum(Q(status__in=PRESENT)), "absent": _sum(Q(status="absent")),
        "deviation": _sum(Q(deviation=True)),
    }
    rows = _rows(_rollup(pop, location), [], sums)
    for monday, tally in _tally(
        rows, lambda row: row["work_date"] - dt.timedelta(days=row["work_date"].weekday()), list(sums)
    ).items():
        weekly[monday].update(
            people=tally.people, present=tally["present"], absent=tally["absent"], deviation=tally["deviation"]
        )
    flexible = [
        row for row in _plan_rows(pop, groups)
        if _is_flexible(row) and (not location or row["location_kind"] == location)
    ]
    for monday, tally in _tally(
        flexible, lambda row: row["work_date"] - dt.timedelta(days=row["work_date"].weekday()), []
    ).items():
        weekly[monday].update(flex=sum(tally.daily.values()), flex_people=tally.people)
    table = Table(
        "trends", _("Tren mingguan"),
        [_("Minggu"), _("Hari fleksibel"), _("Hadir"), _("Tidak hadir"), _("Berbeda dari rencana")],
        chart="line",
    )
    for monday in sorted(weekly):
        row = weekly[monday]
        people = row.get("people", 0)
        table.add(
            week_label(monday), Cell(row.get("flex", 0), row.get("flex_people", 0)),
            Cell(row.get("present", 0), people), Cell(row.get("absent", 0), people),
            Cell(row.get("deviation", 0), people),
        )
    return table_section("trends", _("Tren"), table)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def table_section(key: str, title: str, table: Table) -> Section:
    return Section(key, title, [table])


# ---------------------------------------------------------------- the summary


def summary(pop: Population, *, location: str | None = None, before_after_weeks: int = 4,
            before_after_start: dt.date | None = None) -> list[Section]:
    """Every section of a dashboard, in the order of the page."""
    from .evaluation import before_after_section, readiness_section, service_section
    from .outputs import outputs_section

    groups = Groups(pop)
    builders: list[Callable[..., Section | None]] = [
        adoption_section, location_section, discipline_section, outputs_section,
        service_section, readiness_section,
    ]
    sections = [s for s in (build(pop, groups, location) for build in builders) if s is not None]
    sections.append(before_after_section(pop, groups, location, weeks=before_after_weeks, start=before_after_start))
    sections.append(trends_section(pop, groups, location))
    return sections


__all__ = ["Cell", "Groups", "Section", "Table", "rnd", "summary"]
