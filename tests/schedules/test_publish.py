"""Publishing a unit's hybrid schedule (issue 11): checked by the policy core, written as
arrangement days through the same function as approved requests, audited, notified, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.accounts.services import api_token_create
from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError
from fleksi.notifications.models import Notification
from fleksi.organisation.models import Delegation
from fleksi.schedules.models import ArrangementDay, PublishedSchedule
from fleksi.schedules.publishing import schedule_publish
from tests.workflow.helpers import W48, approved, fresh

pytestmark = pytest.mark.django_db


def row(employee, day, lokasi="rumah"):
    return {"nip": employee.nip, "tanggal": day.isoformat(), "lokasi": lokasi}


def test_publish_writes_days_audits_and_notifies(world):
    schedule = schedule_publish(
        actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
        rows=[row(world.e1, W48[0]), row(world.e2, W48[1]), row(world.es, W48[4])],
    )
    days = ArrangementDay.objects.filter(schedule=schedule, active=True)
    assert {(d.employee_id, d.date, d.location_kind) for d in days} == {
        (world.e1.pk, W48[0], "rumah"), (world.e2.pk, W48[1], "rumah"), (world.es.pk, W48[4], "rumah"),
    }
    assert all(d.request_id is None and d.unit_id == d.employee.unit_id for d in days)
    assert (schedule.start, schedule.end, schedule.days_written) == (W48[0], W48[0] + dt.timedelta(6), 3)
    assert AuditEvent.objects.filter(action="schedule.publish", object_id=str(schedule.pk)).exists()
    notified = set(Notification.objects.filter(kind="schedule_published").values_list("user_id", flat=True))
    assert notified == {world.e1.user_id, world.e2.user_id, world.es.user_id}

    # Republishing: the days the new schedule leaves out end; an unchanged day stays.
    again = schedule_publish(
        actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[2], weeks=1,
        rows=[row(world.e1, W48[0])],
    )
    assert again.days_written == 0 and again.days_ended == 2
    active = ArrangementDay.objects.filter(active=True)
    assert {(d.employee_id, d.date) for d in active} == {(world.e1.pk, W48[0])}


def test_refused_with_findings_when_the_policy_core_finds_an_error(world):
    before = ArrangementDay.objects.count()
    with pytest.raises(ApplicationError) as caught:
        schedule_publish(
            actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
            rows=[row(world.e1, d) for d in W48[:3]],  # three away days: over the weekly cap
        )
    assert caught.value.code == "policy_violation"
    assert caught.value.details["findings"] and all(
        f["severity"] == "error" for f in caught.value.details["findings"]
    )
    assert ArrangementDay.objects.count() == before and not PublishedSchedule.objects.exists()


def test_approved_request_days_are_kept_and_counted(world):
    approved(world.e1, world.head, W48[0])
    # The request's day is not in the rows: it stays, and it counts toward the cap.
    with pytest.raises(ApplicationError) as caught:
        schedule_publish(
            actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
            rows=[row(world.e1, W48[1]), row(world.e1, W48[2])],
        )
    assert caught.value.code == "policy_violation"
    with pytest.raises(ApplicationError) as caught:
        schedule_publish(
            actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
            rows=[row(world.e1, W48[0], "kantor_lain")],
        )
    assert caught.value.code in ("validation_error", "policy_violation")
    schedule = schedule_publish(
        actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
        rows=[row(world.e1, W48[0]), row(world.e1, W48[3])],
    )
    assert schedule.days_written == 1
    assert ArrangementDay.objects.filter(employee=world.e1, active=True).count() == 2


def test_scoping_head_plt_and_others(world):
    rows = [row(world.es, W48[0])]
    for user in (world.e1.user, world.hr, world.head_sub.user, world.head_sibling.user, world.foreign_head.user):
        with pytest.raises(ApplicationError) as caught:
            schedule_publish(actor=fresh(user), unit_id=world.unit.pk, start=W48[0], weeks=1, rows=rows)
        assert caught.value.code == "not_found"
    # The head of a unit above plans it too; a Plt/Plh only for a period inside the delegation.
    schedule_publish(actor=fresh(world.head_root.user), unit_id=world.sub.pk, start=W48[0], weeks=1, rows=rows)
    Delegation.objects.create(unit=world.unit, delegate=world.e2, start=W48[0], end=W48[0] + dt.timedelta(6))
    schedule_publish(actor=fresh(world.e2.user), unit_id=world.unit.pk, start=W48[0], weeks=1, rows=rows)
    with pytest.raises(ApplicationError):
        schedule_publish(actor=fresh(world.e2.user), unit_id=world.unit.pk, start=W48[0], weeks=2, rows=rows)


def test_rows_outside_the_unit_or_period_or_past_are_refused(world):
    for rows in (
        [row(world.ev, W48[0])],
        [row(world.e1, W48[0] + dt.timedelta(days=7))],
        [row(world.e1, W48[0]), row(world.e1, W48[0], "kantor_lain")],
        [{"nip": world.e1.nip, "tanggal": "2026-13-01"}],
        [row(world.e1, dt.date(2026, 11, 17))],
    ):
        with pytest.raises(ApplicationError) as caught:
            schedule_publish(
                actor=fresh(world.head.user), unit_id=world.unit.pk, weeks=1, rows=rows,
                start=dt.date(2026, 11, 16) if rows[-1]["tanggal"] == "2026-11-17" else W48[0],
            )
        assert caught.value.code == "validation_error", rows


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='t').plaintext}"}


def test_api_publish_and_get(client, world):
    body = {"unit_id": world.unit.pk, "start": W48[0].isoformat(), "plan": [row(world.e1, W48[0])]}
    response = client.post("/api/v1/plans/publish", body, content_type="application/json", **bearer(world.head.user))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["days_written"] == 1 and data["plan"][0]["nip"] == world.e1.nip
    got = client.get(f"/api/v1/plans/published/{data['id']}", **bearer(world.head.user))
    assert got.status_code == 200 and got.json()["id"] == data["id"]
    assert client.get(f"/api/v1/plans/published/{data['id']}", **bearer(world.foreign_hr)).status_code == 404
    bad = dict(body, plan=[row(world.e1, d) for d in W48[:3]])
    response = client.post("/api/v1/plans/publish", bad, content_type="application/json", **bearer(world.head.user))
    assert response.status_code == 422 and response.json()["code"] == "policy_violation"
    assert response.json()["details"]["findings"]
    response = client.post("/api/v1/plans/publish", body, content_type="application/json", **bearer(world.e1.user))
    assert response.status_code == 404 and set(response.json()) >= {"code", "message", "details"}


def test_published_days_are_in_the_ical_feed(client, world):
    from fleksi.schedules.models import CalendarFeed

    schedule_publish(
        actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
        rows=[row(world.e1, W48[0])],
    )
    CalendarFeed.objects.create(employee=world.e1, token="t" * 43)
    response = client.get(f"/kerja-fleksibel/ical/{'t' * 43}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "20261123" in body and "Jadwal hybrid unit" in body


def test_api_checks_an_edited_draft_without_writing(client, world):
    """The API's edit step: a proposal's rows, edited by the client, checked as publishing
    would check them; nothing is stored."""
    url = "/api/v1/plans/draft/check"
    good = {"unit_id": world.unit.pk, "start": W48[2].isoformat(), "plan": [row(world.e1, W48[0])]}
    response = client.post(url, good, content_type="application/json", **bearer(world.head.user))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["publishable"] is True and data["summary"]["errors"] == 0
    assert (data["start"], data["end"]) == (W48[0].isoformat(), (W48[0] + dt.timedelta(days=6)).isoformat())
    # Three days away in one week: the cap, named per employee and week; still nothing written.
    edited = dict(good, plan=[row(world.e1, d) for d in W48[:3]])
    data = client.post(url, edited, content_type="application/json", **bearer(world.head.user)).json()
    assert data["publishable"] is False
    assert any(f["severity"] == "error" and f["nip"] == world.e1.nip for f in data["findings"])
    assert not PublishedSchedule.objects.exists() and not ArrangementDay.objects.filter(schedule__isnull=False).exists()
    # Only who may publish: an employee, another agency's HR get 404 in the error shape.
    for user in (world.e1.user, world.foreign_hr):
        response = client.post(url, good, content_type="application/json", **bearer(user))
        assert response.status_code == 404 and set(response.json()) >= {"code", "message", "details"}
    bad = client.post(url, dict(good, start="2026-13-01"), content_type="application/json", **bearer(world.head.user))
    assert bad.status_code == 422
