from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl

from fleksi.policy.check import check_plan
from fleksi.policy.formats import (
    employee_facts,
    findings_to_csv,
    findings_to_json,
    read_employees,
    read_plan,
    write_plan_template_xlsx,
)
from fleksi.policy.model import DayPlan, LocationKind

from .factories import NIP_A, NIP_B, csv_bytes, employee, employees_table

TODAY = dt.date(2026, 12, 1)  # the caller's date (the core never reads the clock)


def test_plan_template_reads_back_as_office_days() -> None:
    employees = read_employees(
        csv_bytes(employees_table([employee(NIP_A), employee(NIP_B)])), "pegawai.csv", today=TODAY
    ).rows
    # 2026-W23: Monday 1 June is a holiday, so four working days.
    data = write_plan_template_xlsx(employees, dt.date(2026, 6, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == NIP_B and sheet["A2"].number_format == "@"
    result = read_plan(data, "template.xlsx", {NIP_A, NIP_B})
    assert result.problems == [] and result.warnings == []
    assert len(result.rows) == 8
    assert {r.location for r in result.rows} == {LocationKind.OFFICE}
    assert min(r.date for r in result.rows) == dt.date(2026, 6, 2)
    facts = [employee_facts(e) for e in employees]
    assert check_plan(facts, result.rows).findings == ()


def test_findings_writers() -> None:
    records = read_employees(csv_bytes([employee(NIP_A)]), "e.csv", today=TODAY).rows
    rows = [
        DayPlan(NIP_A, dt.date(2026, 5, 4) + dt.timedelta(days=i), LocationKind.HOME)
        for i in range(3)
    ]
    result = check_plan([employee_facts(r) for r in records], rows)
    payload = json.loads(findings_to_json(result, "en"))
    assert payload["summary"] == {"employees": 1, "days": 5, "errors": 1, "warnings": 0}
    assert payload["findings"][0]["message"].startswith("3 working days away")
    table = list(csv.DictReader(io.StringIO(findings_to_csv(result.findings))))
    assert table[0]["code"] == "LOCATION_MAX_DAYS_PER_WEEK" and table[0]["date"] == ""
