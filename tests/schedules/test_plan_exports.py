"""Plan check (issue 7): the template holds the approved days, the per-day findings name the
employees, and the findings download as XLSX or CSV with no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.core import clock
from fleksi.policy.formats import read_plan
from fleksi.schedules.services import arrangement_days_end
from tests.workflow.helpers import W48, approved, fresh

pytestmark = pytest.mark.django_db


def plan_csv(rows):
    lines = ["nip,tanggal,lokasi,jam_mulai,jam_selesai,waktu"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def three_home_days(nip):
    return plan_csv([(nip, d.isoformat(), "rumah", "", "", "") for d in W48[:3]])


def upload(client, unit, data):
    return client.post(reverse("schedules:plan_check"), {"unit": unit.pk, "plan": SimpleUploadedFile("r.csv", data)})


def template_rows(client, unit, week="2026-W48"):
    response = client.get(reverse("schedules:plan_template"), {"unit": unit.pk, "minggu": week})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    return response, data, rows


def test_template_is_filled_from_the_approved_days(client, world):
    approved(world.e1, world.head, W48[0], W48[2])  # home on Monday and Wednesday
    client.force_login(fresh(world.head.user))
    response, data, rows = template_rows(client, world.unit)
    where = {(r["nip"], r["tanggal"].date()): r["lokasi"] for r in rows}
    assert where[(world.e1.nip, W48[0])] == "rumah" and where[(world.e1.nip, W48[2])] == "rumah"
    assert where[(world.e1.nip, W48[1])] == "kantor" and where[(world.e2.nip, W48[0])] == "kantor"
    assert where[(world.es.nip, W48[0])] == "kantor"  # sub-unit S is in U's template
    read = read_plan(data, "rencana.xlsx", known_nips={r["nip"] for r in rows})
    assert read.problems == []
    home = {(r.nip, r.date) for r in read.rows if r.location.value == "rumah"}
    assert home == {(world.e1.nip, W48[0]), (world.e1.nip, W48[2])}
    assert 'filename="rencana-U-2026-W48.xlsx"' in response["Content-Disposition"]


def test_template_leaves_out_ended_days_and_other_weeks(client, world):
    request = approved(world.e1, world.head, W48[0])
    arrangement_days_end(request.days.all(), now=clock.now())  # as a withdrawal does
    client.force_login(fresh(world.head.user))
    _response, _data, rows = template_rows(client, world.unit)
    assert {r["lokasi"] for r in rows} == {"kantor"}


def test_per_day_findings_show_names_with_the_nip_beside(client, world):
    client.force_login(fresh(world.head.user))
    html = upload(client, world.unit, three_home_days(world.e1.nip)).content.decode()
    by_day = html.split('id="by-day"')[1].split("</table>")[0]
    assert world.e1.name in by_day and f'<span class="muted small">{world.e1.nip}</span>' in by_day
    assert "23\u201327 Nov 2026" in by_day and "2026-W48" in by_day  # the week, its code beside
    by_employee = html.split('id="by-employee"')[1].split("</table>")[0]
    assert "2026-11-23" not in by_employee


def test_findings_download_as_xlsx_and_csv(client, world):
    client.force_login(fresh(world.head.user))
    url = reverse("schedules:plan_check")
    assert client.get(url, {"unduh": "xlsx"}).status_code == 404  # nothing checked yet
    html = upload(client, world.unit, three_home_days(world.e1.nip)).content.decode()
    assert "?unduh=xlsx" in html and "?unduh=csv" in html
    response = client.get(url, {"unduh": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="temuan-rencana-U.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Tanggal/minggu", "Minggu", "NIP", "Nama")
    cap = [r for r in rows if r[5] == "LOCATION_MAX_DAYS_PER_WEEK"]
    assert cap and cap[0][2] == world.e1.nip and cap[0][3] == world.e1.name and cap[0][1] == "2026-W48"
    response = client.get(url, {"unduh": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="temuan-rencana-U.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert any(r[5] == "LOCATION_MAX_DAYS_PER_WEEK" and r[3] == world.e1.name for r in table[1:])


def test_findings_download_writes_formula_like_cells_as_text(client, world):
    world.e1.name = "=HYPERLINK(\"http://x\",\"klik\")"
    world.e1.save(update_fields=["name"])
    client.force_login(fresh(world.head.user))
    upload(client, world.unit, three_home_days(world.e1.nip))
    response = client.get(reverse("schedules:plan_check"), {"unduh": "xlsx"})
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == world.e1.name]
    assert cells and all(c.data_type == "s" for c in cells)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    response = client.get(reverse("schedules:plan_check"), {"unduh": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_download_filename_sanitizes_the_unit_code(client, world):
    world.unit.code = 'U"; x=1\r\n/..'
    world.unit.save(update_fields=["code"])
    client.force_login(fresh(world.head.user))
    upload(client, world.unit, plan_csv([]))
    response = client.get(reverse("schedules:plan_check"), {"unduh": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="temuan-rencana-U-x-1.csv"'
    response = client.get(reverse("schedules:plan_template"), {"unit": world.unit.pk, "minggu": "2026-W48"})
    assert response["Content-Disposition"] == 'attachment; filename="rencana-U-x-1-2026-W48.xlsx"'


def test_download_of_a_unit_no_longer_plannable_is_404(client, world):
    client.force_login(fresh(world.head.user))
    upload(client, world.unit, three_home_days(world.e1.nip))
    session = client.session
    saved = session["plan_check_findings"]
    saved["unit_id"] = world.sibling.pk  # tampered: a unit the head does not plan for
    session["plan_check_findings"] = saved
    session.save()
    assert client.get(reverse("schedules:plan_check"), {"unduh": "xlsx"}).status_code == 404
