"""REGULATION.md / FORMATS.md revision 2 (December 2026): each changed behaviour."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from fleksi.policy import (
    DayPlan,
    EmployeeFacts,
    LocationKind,
    NipError,
    Policy,
    PolicyError,
    RequestFacts,
    RuleCode,
    Severity,
    TimeFlexibility,
    TimeKind,
    check_employee,
    check_plan,
    check_request,
    parse_nip,
    policy_from_json,
)
from fleksi.policy.formats import (
    employee_facts,
    read_employees,
    read_plan,
    write_plan_template_xlsx,
)

from .factories import NIP_A, NIP_B, csv_bytes, employee

TODAY = dt.date(2026, 12, 1)
W19 = dt.date(2026, 5, 4)  # Monday of 2026-W19
SATURDAY = dt.date(2026, 5, 9)
FLEX_DAY = dt.date(2026, 3, 26)  # SE MenPANRB 2/2026


def staff(**facts: object) -> EmployeeFacts:
    values: dict[str, object] = {
        "nip": NIP_A,
        "unit": "UNIT-A",
        "tasks_eligible": True,
        "domicile_registered": True,
    }
    values.update(facts)
    return EmployeeFacts(**values)  # type: ignore[arg-type]


def codes(findings: object) -> list[str]:
    return [f.code.value for f in findings]  # type: ignore[attr-defined]


# --- DOMICILE_NOT_REGISTERED ---------------------------------------------------------------


def test_home_day_needs_a_registered_domicile() -> None:
    home = [DayPlan(NIP_A, W19, LocationKind.HOME)]
    [finding] = check_employee(staff(domicile_registered=False), home)
    assert finding.code is RuleCode.DOMICILE_NOT_REGISTERED
    assert finding.basis == "PermenPANRB 4/2025 Pasal 12 ayat (3)"
    assert finding.date == W19 and finding.week == "2026-W19"
    assert "domisili" in finding.message_id
    assert check_employee(staff(), home) == []
    # Another office or location does not need a domicile.
    elsewhere = [DayPlan(NIP_A, W19, LocationKind.OTHER_OFFICE)]
    assert check_employee(staff(domicile_registered=False), elsewhere) == []


def test_domisili_column_reaches_the_facts() -> None:
    rows = [employee(NIP_A), employee(NIP_B, domisili="")]
    read = read_employees(csv_bytes(rows), "pegawai.csv", today=TODAY)
    facts = {r.nip: employee_facts(r) for r in read.rows}
    assert facts[NIP_A].domicile_registered and not facts[NIP_B].domicile_registered


# --- weekly cap: a shift worker's weekend shift counts ---------------------------------------


def test_shift_workers_weekend_shift_away_counts_toward_the_cap() -> None:
    worker = staff(time_flexibility=TimeFlexibility.SHIFT)
    rows = [
        DayPlan(NIP_A, W19, LocationKind.HOME),
        DayPlan(NIP_A, W19 + dt.timedelta(days=1), LocationKind.HOME),
        DayPlan(NIP_A, SATURDAY, LocationKind.OTHER_OFFICE, dt.time(22), dt.time(6), TimeKind.SHIFT),
    ]
    assert codes(check_employee(worker, rows)) == ["LOCATION_MAX_DAYS_PER_WEEK"]
    # At the office the weekend shift is no away day.
    rows[2] = DayPlan(NIP_A, SATURDAY, LocationKind.OFFICE, dt.time(22), dt.time(6), TimeKind.SHIFT)
    assert check_employee(worker, rows) == []


# --- end equal to start ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sif", "reguler", "dinamis"])
def test_end_equal_to_start_is_invalid_for_every_kind(kind: str) -> None:
    data = f"nip,tanggal,lokasi,jam_mulai,jam_selesai,waktu\n{NIP_A},2026-05-04,kantor,08:00,08:00,{kind}\n"
    result = read_plan(data.encode(), "rencana.csv", {NIP_A})
    [problem] = result.problems
    assert (problem.line, problem.column) == (2, "jam_selesai")
    assert "sama dengan" in problem.message_id


# --- coverage: head-count and the national flexible day's share ---------------------------


def _unit(n: int) -> list[EmployeeFacts]:
    return [staff(nip=f"19900101201503100{i}") for i in range(1, n + 1)]


def test_min_office_headcount() -> None:
    people = _unit(4)
    away = [DayPlan(p.nip, W19, LocationKind.HOME) for p in people[:3]]
    policy = policy_from_json({"min_office_headcount": {"UNIT-A": 2}})
    found = [f for f in check_plan(people, away, policy).findings if f.nip is None]
    assert [(f.code.value, f.date) for f in found] == [("COVERAGE_BELOW_MINIMUM", W19)]
    assert found[0].numbers["required"] == 2 and "minimum 2 orang" in found[0].message_id
    # Never more than the unit has: a unit of one in the office is enough.
    assert [f for f in check_plan(_unit(1), [], policy).findings if f.nip is None] == []
    with pytest.raises(PolicyError):
        policy_from_json({"min_office_headcount": {"UNIT-A": -1}})
    assert Policy().to_dict()["min_office_headcount"] == {}


def test_national_flex_day_share_replaces_the_units_share() -> None:
    people = _unit(4)
    away = [DayPlan(p.nip, FLEX_DAY, LocationKind.HOME) for p in people[:3]]
    strict = Policy(min_office_share={"*": 0.5})
    flagged = [f for f in check_plan(people, away, strict).findings if f.nip is None]
    assert [f.date for f in flagged] == [FLEX_DAY]
    lenient = Policy(min_office_share={"*": 0.5}, flex_day_shares={FLEX_DAY: 0.25})
    assert [f for f in check_plan(people, away, lenient).findings if f.nip is None] == []
    stricter = Policy(flex_day_shares={FLEX_DAY: 0.5})
    [finding] = [f for f in check_plan(people, away, stricter).findings if f.nip is None]
    assert "SE MenPANRB 2/2026" in finding.message_id
    with pytest.raises(PolicyError):
        Policy(flex_day_shares={W19: 0.5})  # not a national flexible day


def test_national_flex_day_is_info_citing_its_circular() -> None:
    [finding] = check_employee(staff(), [DayPlan(NIP_A, FLEX_DAY, LocationKind.HOME)])
    assert finding.code is RuleCode.NATIONAL_FLEX_DAY and finding.severity is Severity.INFO
    assert finding.basis == "SE MenPANRB 2/2026"
    december = check_employee(staff(), [DayPlan(NIP_A, dt.date(2025, 12, 30), LocationKind.HOME)])
    assert december[0].basis == "Surat MenPANRB B/531/M.KT.02/2025"


# --- NIP: future dates, the NI PPPK hint --------------------------------------------------


def test_nip_with_a_future_birth_or_appointment_is_invalid() -> None:
    with pytest.raises(NipError) as caught:
        parse_nip("203001012015031001", today=TODAY)
    assert caught.value.code == "NIP_BIRTH_FUTURE"
    with pytest.raises(NipError) as caught:
        parse_nip("199001012027011001", today=TODAY)
    assert caught.value.code == "NIP_APPOINTMENT_FUTURE"
    assert parse_nip("199001012026121001", today=TODAY).appointment == (2026, 12)
    rows = [employee("199001012027011001")]
    [problem] = read_employees(csv_bytes(rows), "pegawai.csv", today=TODAY).problems
    assert "belum terjadi" in problem.message_id


def test_a_number_that_passes_as_ni_pppk_says_so() -> None:
    with pytest.raises(NipError) as caught:
        parse_nip("199001012015039001")  # digit 15 is 9: no PNS NIP
    assert "cocok dengan NI PPPK: isi jenis = PPPK" in caught.value.message_id
    assert "set jenis to PPPK" in caught.value.message_en
    assert parse_nip("199001012015039001", "PPPK").kind == "PPPK"
    with pytest.raises(NipError) as caught:
        parse_nip("199002302015031001")  # no birth date: no NI PPPK either
    assert "PPPK" not in caught.value.message_id


# --- requests --------------------------------------------------------------------------------


def test_keadaan_khusus_needs_reason_evidence_plan_and_outputs() -> None:
    empty = RequestFacts(special_circumstances=True)
    assert codes(check_request(empty)) == ["REQUEST_REASON_MISSING", "REQUEST_WORKPLAN_MISSING"]
    no_evidence = RequestFacts("sakit", "rencana", ("laporan",), True, 0)
    [finding] = check_request(no_evidence)
    assert finding.numbers["missing"] == "evidence"
    # The agency setting does not touch keadaan khusus.
    off = Policy(task_request_reason_required=False)
    assert codes(check_request(empty, off)) == ["REQUEST_REASON_MISSING", "REQUEST_WORKPLAN_MISSING"]


def test_task_request_reason_is_an_agency_setting() -> None:
    task = RequestFacts("", "rencana", ("laporan",))
    assert codes(check_request(task)) == ["REQUEST_REASON_MISSING"]
    off = policy_from_json({"task_request_reason_required": False})
    assert check_request(task, off) == []
    with pytest.raises(PolicyError):
        policy_from_json({"task_request_reason_required": "no"})


# --- formula injection -----------------------------------------------------------------------


def test_exported_names_that_look_like_formulas_stay_text() -> None:
    rows = [employee(NIP_A, nama='=HYPERLINK("http://x","y")'), employee(NIP_B, nama="+1-2")]
    records = read_employees(csv_bytes(rows), "pegawai.csv", today=TODAY).rows
    data = write_plan_template_xlsx(records, W19)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    names = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2) for r in (2, 7)}
    for text, cell in names.items():
        assert cell.data_type == "s", text
    assert '=HYPERLINK("http://x","y")' in names
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere in the exported sheet
