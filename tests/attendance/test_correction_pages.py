"""The correction pages: the employee's days with a link per day, the form, the board's
pending corrections and the head's decision; another unit's correction is 404."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.attendance import corrections, services
from fleksi.attendance.models import Correction, DailyRecord
from tests.factories import PASSWORD, EmployeeFactory

from .conftest import WIB, body, fresh

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def forgot(world, now):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    now["at"] = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=DAY)
    return world


def test_the_employee_sees_days_with_a_link_and_submits(client, forgot, django_assert_max_num_queries):
    login(client, forgot.e1.user)
    assert "/presensi/koreksi/" in client.get("/presensi/").content.decode()
    with django_assert_max_num_queries(14):
        html = client.get("/presensi/koreksi/").content.decode()
    assert "?tanggal=2026-12-01" in html and "tidak presensi pulang" in html
    form = client.get("/presensi/koreksi/baru/?tanggal=2026-12-01")
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    bad = client.post("/presensi/koreksi/baru/", {"tanggal": "2026-12-01", "kind": "missing_check_out", "reason": "Lupa pulang"})
    assert bad.status_code == 200 and "Isi jam yang dikoreksi" in bad.content.decode()
    ok = client.post("/presensi/koreksi/baru/", {"tanggal": "2026-12-01", "kind": "missing_check_out",
                                                 "time": "16:30", "reason": "Lupa pulang"})
    assert ok.status_code == 302
    c = Correction.objects.get()
    assert c.at == dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB)
    assert "Diajukan" in client.get("/presensi/koreksi/").content.decode()


def test_the_head_decides_on_the_board(client, forgot):
    w = forgot
    c = corrections.correction_submit(actor=fresh(w.e1.user), work_date=DAY, kind="missing_check_out",
                                      reason="Lupa pulang", at=dt.datetime(2026, 12, 1, 16, 0, tzinfo=WIB))
    login(client, w.head_child.user)
    html = client.get(f"/presensi/unit/?unit={w.child.pk}&tanggal=2026-12-02").content.decode()
    assert "Koreksi menunggu keputusan" in html and f"/presensi/koreksi/{c.pk}/putuskan/" in html
    r = client.post(f"/presensi/koreksi/{c.pk}/putuskan/", {"decision": "approve", "next": "/presensi/unit/"})
    assert r.status_code == 302 and r["Location"] == "/presensi/unit/"
    c.refresh_from_db()
    assert c.state == "approved" and not DailyRecord.objects.get(employee=w.e1, work_date=DAY).is_open


def test_another_units_head_gets_404_and_a_missing_note_is_a_message(client, forgot):
    w = forgot
    c = corrections.correction_submit(actor=fresh(w.e1.user), work_date=DAY, kind="missing_check_out",
                                      reason="Lupa pulang", at=dt.datetime(2026, 12, 1, 16, 0, tzinfo=WIB))
    stranger = EmployeeFactory(unit=w.other.unit)
    w.other.unit.head = stranger
    w.other.unit.save()
    login(client, stranger.user)
    assert client.post(f"/presensi/koreksi/{c.pk}/putuskan/", {"decision": "approve"}).status_code == 404
    login(client, w.head_child.user)
    r = client.post(f"/presensi/koreksi/{c.pk}/putuskan/", {"decision": "reject", "note": ""}, follow=True)
    assert "Tuliskan alasan penolakan" in r.content.decode()
    c.refresh_from_db()
    assert c.state == "submitted"
