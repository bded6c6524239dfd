"""The outputs section (docs/decisions/177): figures counted by hand from the small world plus
the outputs, logs and assessments below; the national view's small cells through the page,
the CSV and the API; query counts pinned; the PDF and XLSX reports carry the section."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from fleksi.performance import log_rollup, rollup
from fleksi.performance.models import Assessment, LogEntry, PlannedOutput
from fleksi.performance.output_sums import refresh_output_sums
from tests.factories import EmployeeFactory

from .test_reports import media, run_worker, start  # noqa: F401  (the media fixture)
from .test_summary_api import get, rows
from .world import FROM, MON, TO, WED

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


def output(employee, *, target, due, state="agreed", start=NOV, end=TO):
    return PlannedOutput.objects.create(
        agency=employee.agency, employee=employee, source="employee", state=state, description="Laporan",
        target_quantity=Decimal(target), start_date=start, end_date=end, due_date=due,
    )


def log(employee, on, *, planned=None, quantity=0):
    entry = LogEntry.objects.create(
        agency=employee.agency, employee=employee, date=on, planned_output=planned,
        description="Kegiatan", quantity=Decimal(quantity), minutes=60,
    )
    log_rollup.log_changed(employee_id=employee.pk, dates=[on])  # as the log services do
    refresh_output_sums([entry.planned_output_id])  # as every writer does (docs/decisions/199)
    return entry


def assess(employee, period, predikat, *, version=1, state="final"):
    a = Assessment.objects.create(
        agency=employee.agency, employee=employee, period=period, version=version, state=state, predikat=predikat,
    )
    rollup.assessments_changed([a])  # a writer of assessments keeps the rollup (docs/decisions/198)
    return a


@pytest.fixture
def oworld(mworld):
    """Agency A, unit C (flexible days: E1 Mon+Tue, E2 Mon, E3 Wed = 4 days, 3 people):
    - logs: E1 on Mon (2 on O1) and 10 Nov (3 on O1); E3 on Wed (1 on O2); E4 on Mon (not a
      flexible day). Flexible days with a log: E1 Mon, E3 Wed = 2 of 4.
    - outputs: O1 E1 target 4 due 3 Nov (realised 5, capped 4; 2 by the due date: late),
      O2 E3 target 1 due 4 Nov (1 on Wed: on time), O3 E5 target 2 due 15 Dec (nothing yet),
      E2's proposed output and E6's September output are not counted. Agency: 3 outputs,
      target 7, realised 5 (71.4%), 2 reached; due in the period 2, on time 1 (50%).
    - assessments: E1 October final v1 baik then v2 sangat baik (only v2), E2 October baik,
      E4 November baik; E3's draft and E5's September rating are out. 1 sangat baik, 2 baik.
    Agency B: 5 employees (3 + 2 more), each rated baik in November."""
    w = mworld
    e1, e2, e3, e4, e5, e6 = w.staff
    o1 = output(e1, target=4, due=dt.date(2026, 11, 3))
    o2 = output(e3, target=1, due=WED)
    output(e5, target=2, due=dt.date(2026, 12, 15), end=dt.date(2026, 12, 31))
    output(e2, target=10, due=WED, state="proposed")
    output(e6, target=3, due=dt.date(2026, 9, 20), start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    log(e1, MON, planned=o1, quantity=2)
    log(e1, dt.date(2026, 11, 10), planned=o1, quantity=3)
    log(e3, WED, planned=o2, quantity=1)
    log(e4, MON)
    assess(e1, OCT, "baik")
    assess(e1, OCT, "sangat_baik", version=2)
    assess(e2, OCT, "baik")
    assess(e3, NOV, "butuh_perbaikan", state="draft")
    assess(e4, NOV, "baik")
    assess(e5, dt.date(2026, 9, 1), "kurang")
    w.b_staff += [EmployeeFactory(unit=w.b_unit) for _ in range(2)]
    for person in w.b_staff:
        assess(person, NOV, "baik")
    return w


@pytest.mark.django_db
def test_agency_outputs_are_right(client, oworld):
    data = get(client, oworld.hr, scope="agency").json()
    logs = rows(data, "output_logs")
    assert logs["Jumlah"] == [4, 2, 50.0]
    assert logs["Bidang Layanan"] == [4, 2, 50.0]
    achievement = rows(data, "output_achievement")
    assert achievement["Jumlah"] == [3, 7.0, 5.0, 71.4, 2]
    on_time = rows(data, "output_on_time")
    assert on_time["Jumlah"] == [2, 1, 50.0]
    predikat = rows(data, "predikat")
    # Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang, total
    assert predikat["Bidang Layanan"] == [1, 2, 0, 0, 0, 3]
    assert predikat["Jumlah"] == [1, 2, 0, 0, 0, 3]
    assert "Sekretariat" not in predikat


@pytest.mark.django_db
def test_unit_outputs_and_location_filter(client, oworld):
    data = get(client, oworld.head.user, scope="unit", id=oworld.unit.pk).json()
    assert rows(data, "output_achievement")["Bidang Layanan"] == [3, 7.0, 5.0, 71.4, 2]
    # Only the home days (E1 Mon+Tue, E2 Mon): one of three has a log.
    home = get(client, oworld.hr, scope="agency", location="rumah").json()
    assert rows(home, "output_logs")["Jumlah"] == [3, 1, 33.3]


@pytest.mark.django_db
def test_national_outputs_hide_small_cells_in_api_page_and_csv(client, oworld):
    data = get(client, oworld.monitor, scope="national").json()
    a, b = oworld.agency.name, oworld.other.name
    assert rows(data, "output_logs")[a] == ["< 5", "< 5", "< 5"]
    assert rows(data, "output_achievement")[a] == ["< 5"] * 5
    predikat = rows(data, "predikat")
    # Five people would be shown, but A's hidden cell in the same column could then be read off
    # the total row (total - B): B's cell is hidden as well (complementary, decision 171).
    assert predikat[b] == [0, "< 5", 0, 0, 0, "< 5"]
    assert predikat["Jumlah"][1] not in ("< 5", 0)  # the total itself stays shown
    assert predikat[a][1] == "< 5" and predikat[a][5] == "< 5"
    html = client.get("/pemantauan/", {"scope": "national", "from": FROM, "to": TO}).content.decode()
    assert "Keluaran kinerja" in html and "table=predikat" in html and "< 5" in html
    csv = client.get(
        "/pemantauan/csv/", {"scope": "national", "from": FROM, "to": TO, "table": "output_achievement"}
    ).content.decode()
    assert f"{a},< 5,< 5,< 5,< 5,< 5" in csv
    assert "71.4" not in csv
    for name in oworld.names:
        assert name not in html and name not in csv


@pytest.mark.django_db
def test_outputs_query_count_does_not_grow(client, oworld, django_assert_max_num_queries):
    client.force_login(oworld.hr)
    params = {"scope": "agency", "from": FROM, "to": TO}
    with django_assert_max_num_queries(55):
        assert client.get("/pemantauan/", params).status_code == 200
    for person in oworld.staff:
        log(person, dt.date(2026, 11, 12))
        output(person, target=1, due=dt.date(2026, 11, 20))
    with django_assert_max_num_queries(55):
        assert client.get("/pemantauan/", params).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_reports_carry_the_outputs(client, oworld, media, django_capture_on_commit_callbacks):  # noqa: F811
    from openpyxl import load_workbook
    from pypdf import PdfReader

    pdf = start(client, oworld.hr, django_capture_on_commit_callbacks).json()
    xlsx = start(client, oworld.hr, django_capture_on_commit_callbacks, format="xlsx").json()
    run_worker()
    pdf_url = client.get(f"/api/v1/monitoring/reports/{pdf['id']}").json()["file_url"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(client.get(pdf_url).streaming_content))).pages)
    assert "Keluaran kinerja" in text and "Sebaran predikat kinerja" in text
    xlsx_url = client.get(f"/api/v1/monitoring/reports/{xlsx['id']}").json()["file_url"]
    book = load_workbook(io.BytesIO(b"".join(client.get(xlsx_url).streaming_content)), read_only=True)
    sheet = book["Keluaran kinerja"]  # one sheet per section, each table under its title
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Sebaran predikat kinerja (penilaian final)" in cells
    assert "Capaian keluaran (realisasi terhadap target)" in cells and 71.4 in cells
