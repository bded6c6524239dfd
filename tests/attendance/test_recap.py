"""The monthly recap (XLSX, streamed), its scoping and query count, and the month lock page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from fleksi.attendance import corrections, services
from fleksi.attendance.models import MonthLock
from fleksi.audit.models import AuditEvent
from tests.factories import PASSWORD, EmployeeFactory

from .conftest import WIB, body, fresh

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def month(world, now):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    services.checkin_record(actor=fresh(world.e2.user), data=body(location="rumah"))
    now["at"] = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=DAY)
    corrections.correction_submit(actor=fresh(world.e1.user), work_date=DAY, kind="missing_check_out",
                                  reason="Lupa pulang", at=dt.datetime(2026, 12, 1, 16, 0, tzinfo=WIB))
    return world


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def download(client, unit, bulan="2026-12"):
    return client.get(f"/presensi/rekap/unduh/?unit={unit.pk}&bulan={bulan}")


def test_hr_downloads_the_agency_recap_with_nip_as_text_and_names(client, month):
    w = month
    login(client, w.hr)
    response = download(client, w.root)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rekap-presensi-" in response["Content-Disposition"]
    data = sheets(b"".join(response.streaming_content))
    summary, daily = data["Ringkasan"], data["Harian"]
    header = summary[3]
    assert header[:3] == ["NIP", "Nama", "Unit"]
    rows = {r[0]: r for r in summary[4:]}
    assert w.e1.nip in rows and isinstance(rows[w.e1.nip][0], str) and len(rows[w.e1.nip][0]) == 18
    assert rows[w.e1.nip][1] == w.e1.name
    assert rows[w.e1.nip][header.index("Koreksi menunggu")] == 1
    assert rows[w.e2.nip][header.index("tempat berbeda dari rencana")] == 1
    e1_day = next(r for r in daily[1:] if r[0] == w.e1.nip)
    assert e1_day[3] == "hadir di kantor" and e1_day[6] == "07.31" and "tidak presensi pulang" in e1_day[9]
    assert w.other.nip not in {r[0] for r in daily}


def test_a_head_gets_the_subtree_and_another_unit_is_404(client, month):
    w = month
    login(client, w.head_child.user)
    data = sheets(b"".join(download(client, w.child).streaming_content))
    nips = {r[0] for r in data["Ringkasan"][4:]}
    assert w.e1.nip in nips and w.e2.nip not in nips
    assert download(client, w.root).status_code == 404
    login(client, w.e1.user)
    assert download(client, w.child).status_code == 404
    assert client.get("/presensi/rekap/").status_code == 404
    login(client, w.hr)
    assert download(client, w.other.unit).status_code == 404


def test_the_recap_does_not_grow_in_queries_with_employees(client, month, django_assert_num_queries):
    w = month
    login(client, w.hr)
    download(client, w.root)  # warm the calendar cache
    with django_assert_num_queries(9):  # session, user, scope (3), unit, employees, days, lock, pending
        download(client, w.root)
    for _n in range(8):
        e = EmployeeFactory(unit=w.child, office=w.office)
        services.checkin_record(actor=fresh(e.user), data=body(client_time="2026-12-02T07:40:00+07:00"))
    with django_assert_num_queries(9):
        download(client, w.root)


def test_hr_locks_and_unlocks_the_month_on_the_page(client, month):
    w = month
    login(client, w.hr)
    page = client.get(f"/presensi/rekap/?unit={w.root.pk}&bulan=2026-12")
    assert page.status_code == 200 and "Kunci bulan" in page.content.decode()
    r = client.post("/presensi/rekap/kunci/", {"unit": w.root.pk, "bulan": "2026-12", "action": "lock", "cakupan": "instansi"})
    assert r.status_code == 302 and MonthLock.objects.filter(unit__isnull=True).count() == 1
    assert "terkunci" in client.get(f"/presensi/rekap/?unit={w.root.pk}&bulan=2026-12").content.decode()
    again = client.post("/presensi/rekap/kunci/", {"unit": w.root.pk, "bulan": "2026-12", "action": "lock"}, follow=True)
    assert "sudah dikunci" in again.content.decode()
    client.post("/presensi/rekap/kunci/", {"unit": w.root.pk, "bulan": "2026-12", "action": "unlock"})
    assert not MonthLock.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="attendance.month_").values_list("action", flat=True).order_by("id")) == [
        "attendance.month_lock", "attendance.month_unlock"]


def test_a_head_sees_the_recap_page_without_the_lock(client, month):
    w = month
    login(client, w.head_child.user)
    html = client.get("/presensi/rekap/").content.decode()
    assert "Unduh rekap" in html and "Kunci bulan" not in html
    r = client.post("/presensi/rekap/kunci/", {"unit": w.child.pk, "bulan": "2026-12", "action": "lock"}, follow=True)
    assert not MonthLock.objects.exists() and r.status_code == 200


def test_the_streamed_recap_keeps_every_employee_in_order_with_their_own_days(client, month):
    """The writer merges two ordered streams (employees, records): an employee without a
    record between two with records keeps their row and nobody gets another's days."""
    w = month
    names = ["Ani Lestari", "Budi Santoso", "Citra Dewi"]
    people = [EmployeeFactory(unit=w.child, office=w.office, name=n) for n in names]
    for e in (people[0], people[2]):
        services.checkin_record(actor=fresh(e.user), data=body(client_time="2026-12-02T07:40:00+07:00"))
    login(client, w.hr)
    data = sheets(b"".join(download(client, w.root).streaming_content))
    summary = data["Ringkasan"][4:]
    by_name = [r[1] for r in summary]
    assert len(summary) == 2 + 2 + 3  # the heads, e1, e2 and the three new ones
    child_rows = [r for r in summary if r[2] == w.child.name]
    assert [r[1] for r in child_rows] == sorted(r[1] for r in child_rows)  # by name within the unit
    assert set(names) <= set(by_name)
    nip_of = {r[1]: r[0] for r in summary}
    daily = data["Harian"][1:]
    for row in daily:
        assert nip_of[row[1]] == row[0]  # each day row is its own person's
    days_of = {n: [r for r in daily if r[1] == n] for n in names}
    assert len(days_of["Ani Lestari"]) == 1 and len(days_of["Citra Dewi"]) == 1
    assert days_of["Budi Santoso"] == []


def test_the_recap_page_counts_without_reading_the_month(client, month, django_assert_max_num_queries):
    w = month
    login(client, w.hr)
    page = client.get(f"/presensi/rekap/?unit={w.root.pk}&bulan=2026-12")
    assert "4 pegawai" in page.content.decode()


def test_the_month_grid_has_a_code_per_day_and_a_legend(client, month):
    w = month
    login(client, w.hr)
    data = sheets(b"".join(download(client, w.root).streaming_content))
    grid = data["Matriks"]
    assert grid[0][:4] == ["NIP", "Nama", "Unit", 1] and grid[0][-1] == 31
    row = next(r for r in grid[1:] if r[0] == w.e1.nip)
    assert row[3] == "K"  # 1 December: in the office
    assert row[4] == ""  # 2 December: no record yet
    legend = dict(data["Keterangan"][1:])
    assert legend["K"] == "hadir di kantor" and legend["TH"] == "tidak hadir"


def test_the_day_sheet_stops_with_a_note_past_its_limit(client, month, settings):
    w = month
    settings.FLEKSI_RECAP_DETAIL_MAX_ROWS = 1
    login(client, w.hr)
    data = sheets(b"".join(download(client, w.root).streaming_content))
    daily = [r for r in data["Harian"] if any(r)]
    assert len(daily) == 1 + 1 + 1  # header, one day, the note
    assert "berhenti setelah 1 baris" in daily[-1][0]
    assert {r[0] for r in data["Ringkasan"][4:]} >= {w.e1.nip, w.e2.nip}  # the summary stays whole


def test_every_summary_and_grid_cell_matches_the_records_counted_one_by_one(client, world):
    """The recap sums each employee's month in SQL (docs/decisions/202): compared here with
    the records counted in Python, over statuses, flags (also the day-level and "corrected"
    ones), minutes, days without a record, a record left behind in a unit outside the
    subtree, another month and an inactive employee; read in chunks of two employees, so the
    chunk edges and the per-chunk day rows are crossed."""
    from fleksi.attendance.models import DailyRecord
    from fleksi.attendance.recap import recap_month

    w = world
    december = [dt.date(2026, 12, d) for d in range(1, 32)]
    people = [w.e1, w.e2, *[EmployeeFactory(unit=w.child, office=w.office, name=f"Pegawai {n}") for n in range(3)]]
    gone = EmployeeFactory(unit=w.child, office=w.office, is_active=False)
    plan = [
        ("present_office", [], 450), ("present_flexible", ["deviation", "outside_office"], 470),
        ("absent", ["no_check_in"], 0), ("leave", [], 0), ("present_office", ["synced_late", "corrected"], 300),
        ("present_office", ["no_check_out", "no_location"], 200), ("holiday", [], 0),
    ]
    for i, person in enumerate([*people, gone]):
        for k, day in enumerate(december[: 3 + 2 * i]):
            status, flags, minutes = plan[(i + k) % len(plan)]
            DailyRecord.objects.create(
                agency=w.root.agency, unit=w.child, employee=person, work_date=day, planned_location="kantor",
                status=status, flags=flags, worked_minutes=minutes,
            )
    other_unit = DailyRecord.objects.filter(employee=w.e2, work_date=december[1]).get()
    other_unit.unit = w.other.unit  # a record of a unit outside the subtree is not counted
    other_unit.save()
    DailyRecord.objects.create(agency=w.root.agency, unit=w.child, employee=w.e1, work_date=dt.date(2026, 11, 30),
                               planned_location="kantor", status="absent", worked_minutes=0)
    recap = recap_month(actor=w.hr, unit_id=w.root.pk, month=dt.date(2026, 12, 1))
    got = list(recap.employees(chunk=2))
    assert [p.employee_id for p in got] == [p.employee_id for p in recap.employees(chunk=1000)]
    assert gone.pk not in {p.employee_id for p in got}
    counted = DailyRecord.objects.filter(
        employee__in=people, work_date__gte=december[0], work_date__lte=december[-1], unit__path__startswith=w.root.path,
    )
    for person in got:
        mine = [r for r in counted if r.employee_id == person.employee_id]
        for status in ("present_office", "present_flexible", "absent", "leave"):
            assert person.count(status) == sum(r.status == status for r in mine), (person.name, status)
        for flag in ("deviation", "outside_office", "synced_late", "no_check_out", "no_location", "corrected"):
            assert person.flag_count(flag) == sum(flag in r.flags for r in mine), (person.name, flag)
        assert person.worked_minutes == sum(r.worked_minutes for r in mine)
        by_day = {r.work_date: r.status for r in mine}
        assert person.day_status == [by_day.get(day) for day in december]
        assert [(r.work_date, r.status, r.flags) for r in person.records] == sorted(
            (r.work_date, r.status, r.flags) for r in mine
        )
    e2 = next(p for p in got if p.employee_id == w.e2.pk)
    assert e2.day_status[1] is None  # its day in the other unit
    login(client, w.hr)
    data = sheets(b"".join(download(client, w.root).streaming_content))
    header, rows = data["Ringkasan"][3], {r[0]: r for r in data["Ringkasan"][4:]}
    grid = {r[0]: r for r in data["Matriks"][1:]}
    for person in got:
        row = rows[person.nip]
        assert row[header.index("Hadir di kantor")] == person.count("present_office")
        assert row[header.index("Menit kerja")] == person.worked_minutes
        assert row[header.index("tempat berbeda dari rencana")] == person.flag_count("deviation")
        codes = {"present_office": "K", "present_flexible": "F", "absent": "TH", "leave": "C", "holiday": "L", None: ""}
        assert grid[person.nip][3:] == [codes[s] for s in person.day_status]
    assert len(data["Harian"]) - 1 == counted.count()
