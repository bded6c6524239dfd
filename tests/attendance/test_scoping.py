"""Who sees whose days, weeks and boards: own, head subtree, HR agency, others 404."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.attendance import selectors, services
from fleksi.core.errors import ApplicationError

from .conftest import bearer, body, fresh

pytestmark = pytest.mark.django_db

DAYS = "/api/v1/attendance/days?from=2026-11-30&to=2026-12-06"
WEEK = "/api/v1/attendance/weeks/2026-W49"


@pytest.fixture
def checked_in(world):
    for employee in (world.e1, world.e2, world.other):
        services.checkin_record(actor=fresh(employee.user), data=body())
    return world


def get(client, user, url):
    return client.get(url, **bearer(user))


def test_own_days_by_default(client, checked_in):
    w = checked_in
    rows = get(client, w.e1.user, DAYS).json()
    assert [r["employee_id"] for r in rows] == [w.e1.pk]
    assert rows[0]["status"] == "present_office" and "latitude" not in rows[0]


@pytest.mark.parametrize("url", [DAYS, WEEK])
def test_an_employee_cannot_read_a_colleague(client, checked_in, url):
    w = checked_in
    response = get(client, w.e1.user, f"{url}{'&' if '?' in url else '?'}employee_id={w.e2.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("url", [DAYS, WEEK])
def test_a_head_reads_the_unit_subtree_only(client, checked_in, url):
    w = checked_in
    sep = "&" if "?" in url else "?"
    assert get(client, w.head_root.user, f"{url}{sep}employee_id={w.e1.pk}").status_code == 200
    assert get(client, w.head_child.user, f"{url}{sep}employee_id={w.e1.pk}").status_code == 200
    assert get(client, w.head_child.user, f"{url}{sep}employee_id={w.e2.pk}").status_code == 404


@pytest.mark.parametrize("url", [DAYS, WEEK])
def test_hr_reads_the_agency_and_another_agency_is_404(client, checked_in, url):
    w = checked_in
    sep = "&" if "?" in url else "?"
    assert get(client, w.hr, f"{url}{sep}employee_id={w.e2.pk}").status_code == 200
    assert get(client, w.hr, f"{url}{sep}employee_id={w.other.pk}").status_code == 404
    assert get(client, w.head_root.user, f"{url}{sep}employee_id={w.other.pk}").status_code == 404


def test_days_range_is_bounded_and_dates_checked(client, checked_in):
    user = checked_in.e1.user
    long = get(client, user, "/api/v1/attendance/days?from=2026-01-01&to=2026-12-31")
    assert long.status_code == 422 and set(long.json()) == {"code", "message", "details"}
    assert get(client, user, "/api/v1/attendance/days?from=kemarin&to=2026-12-31").status_code == 422
    assert get(client, user, "/api/v1/attendance/days?from=2026-12-02&to=2026-12-01").status_code == 422
    assert get(client, user, "/api/v1/attendance/days").status_code == 422


def test_days_query_count_does_not_grow_with_the_range(client, checked_in, django_assert_max_num_queries):
    headers = bearer(checked_in.e1.user)
    with django_assert_max_num_queries(12):
        client.get("/api/v1/attendance/days?from=2026-09-01&to=2026-12-01", **headers)


def test_week_shows_worked_against_required_with_the_short_finding(client, checked_in):
    data = get(client, checked_in.e1.user, WEEK).json()
    assert data["week"] == "2026-W49" and data["working_days"] == 5
    assert data["required_minutes"] == 5 * 450
    assert data["short"] is True
    finding = data["findings"][0]
    assert finding["code"] == "WEEKLY_HOURS_SHORT" and "Perpres 21/2023" in finding["basis"]
    assert finding["message"]


def test_week_malformed_is_422(client, checked_in):
    assert get(client, checked_in.e1.user, "/api/v1/attendance/weeks/minggu-ini").status_code == 422


def test_board_for_head_and_hr_not_for_a_colleague_or_another_agency(checked_in):
    w = checked_in
    day = dt.date(2026, 12, 1)
    board = selectors.unit_board(actor=fresh(w.head_root.user), unit_id=w.root.pk, day=day)
    ids = {r.employee_id for r in board.rows}
    assert {w.e1.pk, w.e2.pk, w.head_root.pk, w.head_child.pk} <= ids
    assert {r.employee_id for r in board.checked_in} == {w.e1.pk, w.e2.pk}
    assert w.head_root.pk in {r.employee_id for r in board.missing}
    assert selectors.unit_board(actor=fresh(w.hr), unit_id=w.child.pk, day=day).rows
    for actor, unit in ((w.e1.user, w.root), (w.head_child.user, w.root), (w.other.user, w.child)):
        with pytest.raises(ApplicationError) as error:
            selectors.unit_board(actor=fresh(actor), unit_id=unit.pk, day=day)
        assert error.value.code == "not_found"


def test_today_gives_the_plan_the_check_ins_and_the_week(checked_in):
    today = selectors.attendance_today(actor=fresh(checked_in.e1.user))
    assert today.date == dt.date(2026, 12, 1) and today.is_working_day
    assert today.planned_location == "kantor" and today.planned_start == dt.time(7, 30)
    assert len(today.check_ins) == 1 and today.next_kind == "out"
    assert today.week == "2026-W49" and today.week_required == 5 * 450
