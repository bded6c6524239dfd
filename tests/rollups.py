"""Checks of the dashboards' rollups against their sources, used by the autouse fixture in
tests/conftest.py and by the rollup tests."""

from __future__ import annotations

from django.db.models import Count

from fleksi.schedules.models import ArrangementDay, PlanDayRollup

KEY = ("agency_id", "unit_id", "date", "location_kind", "time_kind")


def plan_rollup_mismatch() -> str:
    """"" when the rollup of approved days equals a GROUP BY of the active days (counts and
    the employees of rows of at most 4), else what differs."""
    expected: dict[tuple, tuple[int, str]] = {}
    ids: dict[tuple, list[int]] = {}
    for row in ArrangementDay.objects.filter(active=True).values(*KEY, "employee_id"):
        ids.setdefault(tuple(row[k] for k in KEY), []).append(row["employee_id"])
    for key, employees in ids.items():
        expected[key] = (len(employees), ",".join(map(str, sorted(employees))) if len(employees) <= 4 else "")
    actual: dict[tuple, tuple[int, str]] = {}
    duplicates = (
        PlanDayRollup.objects.values(*KEY).annotate(n=Count("id")).filter(n__gt=1).order_by()
    )
    if duplicates.exists():
        return f"rollup rows repeated: {list(duplicates)[:5]}"
    for row in PlanDayRollup.objects.values(*KEY, "days", "few_ids"):
        few = ",".join(sorted((x for x in row["few_ids"].split(",") if x), key=int))
        actual[tuple(row[k] for k in KEY)] = (row["days"], few)
    if expected == actual:
        return ""
    missing = {k: v for k, v in expected.items() if actual.get(k) != v}
    extra = {k: v for k, v in actual.items() if expected.get(k) != v}
    return f"plan rollup differs from the active days: expected {dict(list(missing.items())[:5])}, found {dict(list(extra.items())[:5])}"


def log_rollup_mismatch() -> str:
    """"" when the rollup of logged approved days equals its count from the days and the
    logs, else what differs."""
    from fleksi.performance.models import LogDayRollup, LogEntry

    logged = set(LogEntry.objects.values_list("employee_id", "date"))
    expected: dict[tuple, int] = {}
    for row in ArrangementDay.objects.filter(active=True).values(*KEY, "employee_id"):
        if (row["employee_id"], row["date"]) in logged:
            key = tuple(row[k] for k in KEY)
            expected[key] = expected.get(key, 0) + 1
    actual: dict[tuple, int] = {}
    for row in LogDayRollup.objects.values(*KEY, "logged"):
        key = tuple(row[k] for k in KEY)
        if key in actual:
            return f"log rollup rows repeated: {key}"
        actual[key] = row["logged"]
    if expected == actual:
        return ""
    return f"log rollup differs: expected {expected}, found {actual}"


def month_rollup_mismatch() -> str:
    """"" when the employee-month masks equal the active flexible days, else what differs."""
    from fleksi.schedules.models import PlanMonthRollup

    expected: dict[tuple, int] = {}
    for row in ArrangementDay.objects.filter(active=True).values(
        "agency_id", "unit_id", "employee_id", "date", "location_kind", "time_kind"
    ):
        if row["location_kind"] == "kantor" and row["time_kind"] == "reguler":
            continue
        key = (row["agency_id"], row["unit_id"], row["employee_id"], row["date"].replace(day=1), row["location_kind"])
        expected[key] = expected.get(key, 0) | (1 << (row["date"].day - 1))
    actual: dict[tuple, int] = {}
    for row in PlanMonthRollup.objects.values("agency_id", "unit_id", "employee_id", "month", "location_kind", "mask"):
        key = (row["agency_id"], row["unit_id"], row["employee_id"], row["month"], row["location_kind"])
        if key in actual:
            return f"month rollup rows repeated: {key}"
        actual[key] = row["mask"]
    if expected == actual:
        return ""
    return f"month rollup differs: expected {expected}, found {actual}"
