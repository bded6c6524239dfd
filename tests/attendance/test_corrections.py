"""Corrections: a forgotten check-out or a wrong place, submitted by the employee, decided by
the head (or Plt/Plh); the day is rebuilt, never edited in place; both versions audited;
notifications both ways; scoping 404s; a locked month takes no more corrections."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.attendance import corrections, locks, services
from fleksi.attendance.models import Correction, DailyRecord
from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError
from fleksi.notifications.models import Notification
from fleksi.organisation.models import Delegation
from tests.factories import EmployeeFactory

from .conftest import WIB, bearer, body, fresh

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)
API = "/api/v1/attendance/corrections"


@pytest.fixture
def forgot(world, now):
    """e1 checked in at 07:31 on 1 Dec and forgot to check out; the day was closed."""
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    now["at"] = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=DAY)
    return world


def submit(user, **kw):
    data = {"work_date": DAY, "kind": "missing_check_out", "reason": "Lupa presensi pulang",
            "at": dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB)} | kw
    return corrections.correction_submit(actor=fresh(user), **data)


def test_a_forgotten_check_out_approved_rebuilds_the_day_and_audits_both_versions(forgot):
    w = forgot
    before = DailyRecord.objects.get(employee=w.e1, work_date=DAY)
    assert before.is_open and "no_check_out" in before.flags and before.worked_minutes == 0
    correction = submit(w.e1.user)
    assert correction.state == "submitted"
    # the head of the child unit hears of it
    assert Notification.objects.filter(user=w.head_child.user, kind=corrections.SUBMITTED).exists()
    corrections.correction_approve(actor=fresh(w.head_child.user), correction_id=correction.pk)
    after = DailyRecord.objects.get(employee=w.e1, work_date=DAY)
    assert after.pk == before.pk and not after.is_open
    assert after.last_out == dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB)
    assert after.worked_minutes == (16 * 60 + 30 - (7 * 60 + 31)) - 60
    assert "no_check_out" not in after.flags and "corrected" in after.flags
    assert after.check_in_count == 1  # the correction is not a check-in
    event = AuditEvent.objects.get(action="attendance.correction_approve")
    assert event.data["before"]["is_open"] is True and event.data["after"]["is_open"] is False
    assert event.data["before"]["last_out"] is None and event.data["after"]["last_out"].startswith("2026-12-01T09:30")
    correction.refresh_from_db()
    assert correction.decider_id == w.head_child.user.pk and correction.decided_at is not None
    assert Notification.objects.filter(user=w.e1.user, kind=corrections.APPROVED).exists()
    assert Notification.objects.get(user=w.head_child.user, kind=corrections.SUBMITTED).read_at is not None


def test_a_wrong_place_is_corrected_and_the_deviation_recomputed(world):
    services.checkin_record(actor=fresh(world.e2.user), data=body(location="rumah"))
    record = DailyRecord.objects.get(employee=world.e2, work_date=DAY)
    assert "deviation" in record.flags  # planned: the office
    c = submit(world.e2.user, kind="wrong_location", location="kantor", at=None, reason="Salah pilih tempat")
    corrections.correction_approve(actor=fresh(world.head_root.user), correction_id=c.pk)
    record.refresh_from_db()
    assert record.status == "present_office" and record.first_in_location == "kantor"
    assert "deviation" not in record.flags


def test_a_missing_check_in_makes_an_absent_day_present(world, now):
    now["at"] = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=DAY)
    assert DailyRecord.objects.get(employee=world.e1, work_date=DAY).status == "absent"
    c1 = submit(world.e1.user, kind="missing_check_in", at=dt.datetime(2026, 12, 1, 7, 30, tzinfo=WIB), location="kantor")
    c2 = submit(world.e1.user)
    for c in (c1, c2):
        corrections.correction_approve(actor=fresh(world.head_child.user), correction_id=c.pk)
    record = DailyRecord.objects.get(employee=world.e1, work_date=DAY)
    assert record.status == "present_office" and record.worked_minutes == 9 * 60 - 60  # less the break
    assert record.check_in_count == 0


def test_rejecting_leaves_the_day_and_tells_the_employee(forgot):
    w = forgot
    c = submit(w.e1.user)
    with pytest.raises(ApplicationError) as exc:
        corrections.correction_reject(actor=fresh(w.head_child.user), correction_id=c.pk, note="")
    assert exc.value.code == "validation_error"
    corrections.correction_reject(actor=fresh(w.head_child.user), correction_id=c.pk, note="Tidak sesuai")
    assert DailyRecord.objects.get(employee=w.e1, work_date=DAY).is_open
    assert Notification.objects.filter(user=w.e1.user, kind=corrections.REJECTED).exists()
    with pytest.raises(ApplicationError) as exc:
        corrections.correction_approve(actor=fresh(w.head_child.user), correction_id=c.pk)
    assert exc.value.code == "invalid_state"


def test_the_acting_plt_decides_and_the_employee_cannot_decide_their_own(forgot):
    w = forgot
    plt = EmployeeFactory(unit=w.child)
    Delegation.objects.create(unit=w.child, delegate=plt, kind="plt", start=DAY, end=DAY + dt.timedelta(days=5))
    c = submit(w.e1.user)
    assert Notification.objects.filter(user=plt.user, kind=corrections.SUBMITTED).exists()
    with pytest.raises(ApplicationError) as exc:
        corrections.correction_approve(actor=fresh(w.e1.user), correction_id=c.pk)
    assert exc.value.code == "permission_denied"
    corrections.correction_approve(actor=fresh(plt.user), correction_id=c.pk)


@pytest.mark.parametrize("kw,field", [
    ({"work_date": DAY + dt.timedelta(days=2)}, "work_date"),
    ({"reason": "x"}, "reason"),
    ({"at": None}, "at"),
    ({"at": dt.datetime(2026, 12, 1, 6, 0, tzinfo=WIB)}, "at"),  # before the check-in
    ({"kind": "wrong_location", "at": None}, "location"),
    ({"kind": "nonsense"}, "kind"),
])
def test_bad_corrections_are_refused_per_field(forgot, kw, field):
    with pytest.raises(ApplicationError) as exc:
        submit(forgot.e1.user, **kw)
    assert exc.value.code == "validation_error" and field in exc.value.details["fields"]
    assert not Correction.objects.exists()


def test_the_same_pending_correction_twice_is_a_conflict(forgot):
    submit(forgot.e1.user)
    with pytest.raises(ApplicationError) as exc:
        submit(forgot.e1.user)
    assert exc.value.code == "conflict"


def test_a_locked_month_takes_no_more_corrections(forgot):
    w = forgot
    pending = submit(w.e1.user)
    locks.month_lock(actor=fresh(w.hr), agency_id=w.root.agency_id, month=DAY)
    with pytest.raises(ApplicationError) as exc:
        submit(w.e1.user, kind="wrong_location", location="rumah", at=None)
    assert exc.value.details["reason"] == "month_locked" and "Desember 2026" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        corrections.correction_approve(actor=fresh(w.head_child.user), correction_id=pending.pk)
    assert exc.value.details["reason"] == "month_locked"
    locks.month_unlock(actor=fresh(w.hr), agency_id=w.root.agency_id, month=DAY)
    assert AuditEvent.objects.filter(action="attendance.month_unlock").count() == 1
    corrections.correction_approve(actor=fresh(w.head_child.user), correction_id=pending.pk)


def test_a_unit_lock_covers_its_subtree_only(forgot):
    w = forgot
    locks.month_lock(actor=fresh(w.hr), agency_id=w.root.agency_id, month=DAY, unit_id=w.child.pk)
    with pytest.raises(ApplicationError):
        submit(w.e1.user)
    services.checkin_record(actor=fresh(w.e2.user), data=body(client_time="2026-12-02T07:30:00+07:00"))
    submit(w.e2.user, work_date=dt.date(2026, 12, 2), at=dt.datetime(2026, 12, 2, 7, 50, tzinfo=WIB))
    with pytest.raises(ApplicationError) as exc:
        locks.month_lock(actor=fresh(w.e1.user), agency_id=w.root.agency_id, month=DAY)
    assert exc.value.code == "permission_denied"
    with pytest.raises(ApplicationError) as exc:
        locks.month_lock(actor=fresh(w.other.user), agency_id=w.root.agency_id, month=DAY)
    assert exc.value.code == "not_found"


# ---- the API ----------------------------------------------------------------------------


def test_api_submit_list_approve(client, forgot):
    w = forgot
    response = client.post(
        API, {"work_date": "2026-12-01", "kind": "missing_check_out", "reason": "Lupa pulang",
              "at": "2026-12-01T16:30:00+07:00"},
        content_type="application/json", **bearer(w.e1.user),
    )
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert response.json()["state"] == "submitted"
    listed = client.get(API + "?state=submitted", **bearer(w.head_child.user)).json()
    assert [c["id"] for c in listed] == [cid]
    done = client.post(f"{API}/{cid}/approve", {"note": ""}, content_type="application/json", **bearer(w.head_child.user))
    assert done.status_code == 200 and done.json()["state"] == "approved"
    day = client.get("/api/v1/attendance/days?from=2026-12-01&to=2026-12-01", **bearer(w.e1.user)).json()[0]
    assert day["last_out"].startswith("2026-12-01T09:30") and "corrected" in day["flags"]


def test_api_errors_have_the_shape_and_other_units_get_404(client, forgot):
    w = forgot
    bad = client.post(API, {"work_date": "kemarin", "kind": "missing_check_out", "reason": "Lupa"},
                      content_type="application/json", **bearer(w.e1.user))
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "details"}
    c = submit(w.e1.user)
    other_head = EmployeeFactory(unit=w.other.unit)
    w.other.unit.head = other_head
    w.other.unit.save()
    for user in (other_head.user, w.other.user, w.e2.user):
        r = client.post(f"{API}/{c.pk}/approve", {}, content_type="application/json", **bearer(user))
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert client.get(API, **bearer(user)).json() == []
    hr = client.post(f"{API}/{c.pk}/approve", {}, content_type="application/json", **bearer(w.hr))
    assert hr.status_code == 403  # HR sees it but the head decides
    locks.month_lock(actor=fresh(w.hr), agency_id=w.root.agency_id, month=DAY)
    locked = client.post(f"{API}/{c.pk}/reject", {"note": "x"}, content_type="application/json", **bearer(w.head_child.user))
    assert locked.status_code == 422 and locked.json()["details"]["reason"] == "month_locked"


def test_api_list_query_count_is_pinned(client, forgot, django_assert_max_num_queries):
    w = forgot
    for day in range(1, 2):
        submit(w.e1.user, work_date=dt.date(2026, 12, day))
    submit(w.e1.user, kind="wrong_location", location="rumah", at=None)
    headers = bearer(w.head_root.user)
    with django_assert_max_num_queries(10):
        rows = client.get(API, **headers).json()
    assert len(rows) == 2


def test_board_api_shows_the_board_and_pending_corrections(client, forgot, django_assert_max_num_queries):
    w = forgot
    submit(w.e1.user)
    headers = bearer(w.head_child.user)
    with django_assert_max_num_queries(16):
        data = client.get("/api/v1/attendance/board?date=2026-12-01", **headers).json()
    assert data["unit_id"] == w.child.pk and data["counts"]["checked_in"] == 1
    assert data["counts"]["corrections_pending"] == 1
    assert [r["employee_id"] for r in data["rows"] if r["first_in"]] == [w.e1.pk]
    assert "latitude" not in data["rows"][0]
    root = client.get(f"/api/v1/attendance/board?date=2026-12-01&unit_id={w.root.pk}", **headers)
    assert root.status_code == 404
    other = client.get(f"/api/v1/attendance/board?unit_id={w.other.unit_id}", **bearer(w.hr))
    assert other.status_code == 404
    assert client.get("/api/v1/attendance/board?date=x", **headers).status_code == 422
