"""Selectors: the team calendar, fixed query counts of every list, feeds, settings."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.notifications import selectors as notification_selectors
from fleksi.organisation import services as org_services
from fleksi.requests import selectors as request_selectors
from fleksi.requests import services as request_services
from fleksi.schedules import selectors as schedule_selectors
from fleksi.schedules import services as schedule_services
from fleksi.schedules.models import CalendarFeed
from fleksi.scheme import selectors as scheme_selectors
from fleksi.scheme import services as scheme_services
from tests.factories import EmployeeFactory, UserFactory
from tests.workflow.helpers import W48, approved, fresh, request_data, submitted

pytestmark = pytest.mark.django_db


def test_unit_week_calendar_rows_days_and_coverage(world):
    office = org_services.office_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Kantor Cabang")
    approved(world.e1, world.head, W48[0], W48[1])
    approved(world.e2, world.head, W48[0], location_kind="kantor_lain", office_id=office.pk)
    # The minimum is raised after the approvals: Monday is now below it.
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.5}})
    week = schedule_selectors.unit_week_calendar(actor=fresh(world.head.user), unit_id=world.unit.pk, week_start=W48[2])
    assert week.week == "2026-W48" and week.week_start == W48[0]
    assert week.previous_week == "2026-W47" and week.next_week == "2026-W49"
    assert [d.is_working_day for d in week.days] == [True] * 5 + [False] * 2
    assert week.days[5].holiday == "Sabtu"
    assert {r.employee_id for r in week.rows} == {world.head.pk, world.e1.pk, world.e2.pk}  # not sub-unit S
    e2 = next(r for r in week.rows if r.employee_id == world.e2.pk)
    assert e2.cells[0].location_kind == "kantor_lain" and "Kantor Cabang" in e2.cells[0].location_label
    assert e2.cells[1].is_default and e2.cells[1].location_kind == "kantor"
    monday, tuesday = week.coverage[0], week.coverage[1]
    assert (monday.office, monday.total, monday.required, monday.minimum) == (1, 3, 2, 0.5)
    assert monday.below_minimum and monday.share == pytest.approx(1 / 3)
    assert tuesday.office == 2 and not tuesday.below_minimum
    assert week.coverage[5].below_minimum is False


def test_calendar_shows_holiday_names(world):
    week = schedule_selectors.unit_week_calendar(actor=fresh(world.head.user), unit_id=world.unit.pk, week_start=dt.date(2026, 12, 21))
    assert [d.is_working_day for d in week.days[:5]] == [True, True, True, False, False]
    assert week.days[4].holiday == "Hari Raya Natal"


def test_calendar_visibility(world):
    for actor in (world.e1.user, world.head.user, world.head_root.user, world.hr):
        schedule_selectors.unit_week_calendar(actor=fresh(actor), unit_id=world.unit.pk, week_start=W48[0])
    monitor = UserFactory(is_national_monitor=True)  # aggregates only (docs/decisions/081)
    for actor in (world.ev.user, world.head_sibling.user, world.head_sub.user, world.foreign_head.user, world.foreign_hr, monitor):
        with pytest.raises(ApplicationError) as error:
            schedule_selectors.unit_week_calendar(actor=fresh(actor), unit_id=world.unit.pk, week_start=W48[0])
        assert error.value.code == ErrorCode.NOT_FOUND


def test_parse_week():
    assert schedule_selectors.parse_week("2026-W48") == W48[0]
    assert schedule_selectors.parse_week("2026-11-26") == W48[0]
    with pytest.raises(ApplicationError) as error:
        schedule_selectors.parse_week("minggu depan")
    assert error.value.code == ErrorCode.VALIDATION


def _many_requests(world, n: int) -> None:
    for _ in range(n):
        employee = EmployeeFactory(unit=world.unit, supervisor=world.head)
        submitted(employee, W48[0])


@pytest.mark.parametrize("n", [1, 8])
def test_list_selectors_run_a_fixed_number_of_queries(world, n, django_assert_max_num_queries):
    _many_requests(world, n)
    head = fresh(world.head.user)
    request_selectors.inbox_list(actor=head).count()  # warm the actor's scope
    with django_assert_max_num_queries(4):
        rows = list(request_selectors.inbox_list(actor=head))
        for row in rows:
            _ = (row.employee.unit.name, row.employee.position.title, row.office, row.place, list(row.outputs.all()))
            request_selectors.request_can_decide(actor=head, request=row)
            request_selectors.request_findings(request=row)
    assert len(rows) == n
    employee = fresh(world.e1.user)
    for _ in range(n):
        request_services.request_create(actor=employee, data=request_data(W48[0]))
    request_selectors.request_list_mine(actor=employee).count()
    with django_assert_max_num_queries(3):
        mine = list(request_selectors.request_list_mine(actor=employee))
        for row in mine:
            _ = (row.employee.unit.name, list(row.outputs.all()))
    assert len(mine) == n
    with django_assert_max_num_queries(6):
        schedule_selectors.unit_week_calendar(actor=head, unit_id=world.unit.pk, week_start=W48[0])
    with django_assert_max_num_queries(6):
        detail = request_selectors.request_get(actor=head, request_id=rows[0].pk)
        _ = (list(detail.transitions.all()), list(detail.evidence.all()), list(detail.outputs.all()))


@pytest.mark.parametrize("n", [2, 10])
def test_calendar_query_count_does_not_grow_with_rows(world, n, django_assert_max_num_queries):
    for _ in range(n):
        employee = EmployeeFactory(unit=world.unit, supervisor=world.head)
        approved(employee, world.head, W48[0])
    head = fresh(world.head.user)
    request_selectors.inbox_list(actor=head).count()
    with django_assert_max_num_queries(4):  # unit, agency flex days, employees, days
        week = schedule_selectors.unit_week_calendar(actor=head, unit_id=world.unit.pk, week_start=W48[0])
    assert week.coverage[0].office == week.coverage[0].total - n


def test_notification_list_query_count(world, django_assert_max_num_queries):
    for _ in range(5):
        submitted(EmployeeFactory(unit=world.unit, supervisor=world.head), W48[0])
    head = fresh(world.head.user)
    with django_assert_max_num_queries(2):
        assert len(notification_selectors.notification_list(actor=head)) == 5
        assert notification_selectors.notification_unread_count(actor=head) == 5


def test_calendar_feed_rotate_revoke_and_days(world):
    user = fresh(world.e1.user)
    first = schedule_services.calendar_feed_rotate(actor=user)
    assert schedule_selectors.calendar_feed_get(token=first.token).pk == world.e1.pk
    second = schedule_services.calendar_feed_rotate(actor=user)
    assert schedule_selectors.calendar_feed_get(token=first.token) is None
    assert schedule_selectors.calendar_feed_get(token=second.token).pk == world.e1.pk
    assert schedule_selectors.calendar_feed_mine(actor=user).pk == second.pk
    approved(world.e1, world.head, W48[0], W48[1])
    days = schedule_selectors.employee_days(employee_id=world.e1.pk, start=W48[0], end=W48[4])
    assert [d.date for d in days] == [W48[0], W48[1]]
    assert schedule_services.calendar_feed_revoke(actor=user) == 1
    assert schedule_selectors.calendar_feed_get(token=second.token) is None
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0
    assert schedule_selectors.calendar_feed_get(token="") is None
    with pytest.raises(ApplicationError):
        schedule_services.calendar_feed_rotate(actor=fresh(world.hr))  # no employee record


def test_agency_settings_get(world):
    org_services.office_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Kantor B")
    org_services.place_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Ruang Baca", is_active=False)
    scheme_services.flex_day_declare(actor=fresh(world.hr), agency_id=world.agency.pk, date=W48[0], circular="SE X", max_share="0.5")
    got = scheme_selectors.agency_settings_get(actor=fresh(world.ppk), agency_id=world.agency.pk)
    assert [o.name for o in got.offices] == ["Kantor B"] and [p.name for p in got.places] == ["Ruang Baca"]
    assert str(got.flex_days[0].max_share) == "0.50"
    assert got.policy.max_location_days_per_week == 2 and got.policy_data == {}
