"""The employees' answers to a published schedule (issue 11, docs/decisions/200): the agency
setting (off: unchanged; on: each part pending until the employee confirms), the change
request (its own document, decided by the head), scoping, audit, notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fleksi.accounts.services import api_token_create
from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError
from fleksi.notifications.models import Notification
from fleksi.organisation.models import Agency, Delegation
from fleksi.schedules import change_requests, responses
from fleksi.schedules.models import (
    ArrangementDay,
    ChangeState,
    ConfirmationState,
    ScheduleChangeRequest,
    ScheduleConfirmation,
)
from fleksi.schedules.publishing import schedule_publish
from tests.workflow.helpers import W48, approved, fresh

pytestmark = pytest.mark.django_db


def row(employee, day, lokasi="rumah"):
    return {"nip": employee.nip, "tanggal": day.isoformat(), "lokasi": lokasi}


def confirmation_on(world):
    Agency.objects.filter(pk=world.agency.pk).update(schedule_needs_confirmation=True)


def publish(world, *rows, start=W48[0], actor=None):
    return schedule_publish(
        actor=fresh((actor or world.head).user), unit_id=world.unit.pk, start=start, weeks=1, rows=list(rows)
    )


def active(employee):
    return {(d.date, d.location_kind) for d in ArrangementDay.objects.filter(employee=employee, active=True)}


def change(world, employee, *dates, lokasi="rumah", schedule):
    return change_requests.change_request_create(
        actor=fresh(employee.user), schedule_id=schedule.pk,
        data=change_requests.ChangeInput(dates=tuple(dates), location_kind=lokasi, reason="Ada rapat di luar kantor."),
    )


# ---- the setting ---------------------------------------------------------------------------


def test_setting_off_publishing_is_unchanged(world):
    schedule = publish(world, row(world.e1, W48[0]))
    assert not schedule.needs_confirmation and schedule.days_written == 1
    assert active(world.e1) == {(W48[0], "rumah")}
    assert not ScheduleConfirmation.objects.exists()
    note = Notification.objects.get(kind="schedule_published", user=world.e1.user)
    assert note.url.endswith(reverse("schedules:my_schedule", args=[schedule.pk]))
    part = responses.my_schedule_get(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert part.state == "berlaku" and not part.pending
    with pytest.raises(ApplicationError) as caught:
        responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert caught.value.code == "not_found"


def test_the_setting_is_on_the_general_settings_page_and_audited(client, world):
    from fleksi.accounts.sessions import REAUTH_AT
    from fleksi.core import clock

    client.force_login(world.hr)
    session = client.session
    session[REAUTH_AT] = clock.now().timestamp()
    session.save()
    url = reverse("scheme:agency_settings_general", args=[world.agency.pk])
    response = client.post(url, {"flexible_work_enabled": "on", "reminder_after_days": 3,
                                 "session_idle_minutes": 30, "schedule_needs_confirmation": "on"})
    assert response.status_code == 302, response.content
    assert Agency.objects.get(pk=world.agency.pk).schedule_needs_confirmation
    event = AuditEvent.objects.filter(action="agency.settings_update").latest("pk")
    assert event.data["new"]["schedule_needs_confirmation"] is True
    page = client.get(reverse("scheme:agency_settings", args=[world.agency.pk]))
    assert "schedule_needs_confirmation" in page.content.decode()


def test_setting_on_days_wait_for_the_employees_confirmation(world):
    confirmation_on(world)
    publish(world, row(world.e1, W48[4]))  # an earlier schedule the next one leaves out
    ScheduleConfirmation.objects.all().delete()
    ArrangementDay.objects.all().delete()
    first = publish(world, row(world.e1, W48[4]))
    responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=first.pk)
    assert active(world.e1) == {(W48[4], "rumah")}

    schedule = publish(world, row(world.e1, W48[0]), row(world.e2, W48[1]))
    assert schedule.needs_confirmation and schedule.days_written == 0 and schedule.days_ended == 0
    # Nothing is in force yet: e1 keeps the earlier day, e2 has none.
    assert active(world.e1) == {(W48[4], "rumah")} and active(world.e2) == set()
    parts = {c.employee_id: c for c in ScheduleConfirmation.objects.filter(schedule=schedule)}
    assert set(parts) == {world.e1.pk, world.e2.pk}
    assert parts[world.e1.pk].ends == [W48[4].isoformat()] and parts[world.e1.pk].state == "menunggu"
    assert "konfirmasi" in Notification.objects.get(kind="schedule_published", user=world.e1.user, url__contains=f"/{schedule.pk}/").body

    confirmation = responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert confirmation.state == ConfirmationState.CONFIRMED and confirmation.days_written == 1
    assert active(world.e1) == {(W48[0], "rumah")}  # the earlier day ended
    day = ArrangementDay.objects.get(employee=world.e1, active=True)
    assert day.schedule_id == schedule.pk and day.request_id is None
    assert active(world.e2) == set()  # e2 has not confirmed
    event = AuditEvent.objects.get(action="schedule.confirm", object_id=str(confirmation.pk))
    assert event.data["days_written"] == 1 and event.data["days_ended"] == 1
    with pytest.raises(ApplicationError) as caught:  # confirming twice
        responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert caught.value.code == "invalid_state"
    # Someone else's part cannot be confirmed: only one's own (others 404).
    for user in (world.head.user, world.ev.user, world.foreign.user):
        with pytest.raises(ApplicationError) as caught:
            responses.schedule_confirm(actor=fresh(user), schedule_id=schedule.pk)
        assert caught.value.code == "not_found"


def test_republishing_supersedes_pending_parts(world):
    confirmation_on(world)
    old = publish(world, row(world.e1, W48[0]), row(world.e2, W48[1]))
    new = publish(world, row(world.e1, W48[2]))
    states = dict(ScheduleConfirmation.objects.filter(schedule=old).values_list("employee_id", "state"))
    assert states == {world.e1.pk: "digantikan", world.e2.pk: "digantikan"}
    assert ScheduleConfirmation.objects.get(schedule=old, employee=world.e1).superseded_by_id == new.pk
    with pytest.raises(ApplicationError) as caught:
        responses.schedule_confirm(actor=fresh(world.e2.user), schedule_id=old.pk)
    assert caught.value.code == "invalid_state"
    responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=new.pk)
    assert active(world.e1) == {(W48[2], "rumah")} and active(world.e2) == set()


def test_a_confirmation_that_now_breaks_the_cap_is_refused_and_the_head_told(world):
    confirmation_on(world)
    schedule = publish(world, row(world.e1, W48[0]), row(world.e1, W48[1]))
    approved(world.e1, world.head, W48[2])  # approved after publishing: three away days now
    with pytest.raises(ApplicationError) as caught:
        responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert caught.value.code == "policy_violation" and caught.value.details["findings"]
    assert ScheduleConfirmation.objects.get(schedule=schedule).state == "menunggu"
    assert active(world.e1) == {(W48[2], "rumah")}
    told = Notification.objects.filter(kind="schedule_confirm_refused")
    assert set(told.values_list("user_id", flat=True)) == {world.head.user_id}
    assert AuditEvent.objects.filter(action="schedule.confirm_refused", object_id=str(schedule.pk)).exists()


# ---- change requests --------------------------------------------------------------------


def test_change_request_approved_writes_the_days_and_tells_both(world):
    schedule = publish(world, row(world.e1, W48[0]))
    asked = change(world, world.e1, W48[1], schedule=schedule)
    assert asked.state == ChangeState.SUBMITTED and asked.dates == [W48[1].isoformat()]
    assert Notification.objects.filter(kind="schedule_change_submitted", user=world.head.user).exists()
    assert AuditEvent.objects.filter(action="schedule_change.submit", object_id=str(asked.pk)).exists()
    with pytest.raises(ApplicationError) as caught:  # one open request per schedule
        change(world, world.e1, W48[2], schedule=schedule)
    assert caught.value.code == "conflict"

    done = change_requests.change_request_approve(actor=fresh(world.head.user), change_id=asked.pk)
    assert done.state == ChangeState.APPROVED and done.decided_by_id == world.head.user_id
    assert active(world.e1) == {(W48[0], "rumah"), (W48[1], "rumah")}
    assert ArrangementDay.objects.get(employee=world.e1, date=W48[1], active=True).schedule_id == schedule.pk
    assert Notification.objects.filter(kind="schedule_change_decided", user=world.e1.user).exists()
    assert AuditEvent.objects.filter(action="schedule_change.approve", object_id=str(asked.pk)).exists()
    with pytest.raises(ApplicationError) as caught:  # decided once
        change_requests.change_request_reject(actor=fresh(world.head.user), change_id=asked.pk, note="Tidak bisa.")
    assert caught.value.code == "invalid_state"


def test_change_approval_refused_by_the_policy_core_then_rejected(world):
    schedule = publish(world, row(world.e1, W48[0]), row(world.e1, W48[1]))
    asked = change(world, world.e1, W48[2], schedule=schedule)
    with pytest.raises(ApplicationError) as caught:
        change_requests.change_request_approve(actor=fresh(world.head.user), change_id=asked.pk)
    assert caught.value.code == "policy_violation"
    assert any(f["nip"] == world.e1.nip for f in caught.value.details["findings"])
    assert ScheduleChangeRequest.objects.get(pk=asked.pk).state == "diajukan"
    assert (W48[2], "rumah") not in active(world.e1)
    with pytest.raises(ApplicationError) as caught:
        change_requests.change_request_reject(actor=fresh(world.head.user), change_id=asked.pk, note="")
    assert caught.value.code == "validation_error"
    done = change_requests.change_request_reject(actor=fresh(world.head.user), change_id=asked.pk, note="Melebihi batas.")
    assert done.state == "ditolak"
    note = Notification.objects.get(kind="schedule_change_decided", user=world.e1.user)
    assert "Melebihi batas." in note.body
    assert AuditEvent.objects.filter(action="schedule_change.reject", object_id=str(asked.pk)).exists()


def test_an_approved_change_leaves_the_pending_part(world):
    confirmation_on(world)
    schedule = publish(world, row(world.e1, W48[0]), row(world.e1, W48[1]))
    asked = change(world, world.e1, W48[1], lokasi="kantor", schedule=schedule)
    change_requests.change_request_approve(actor=fresh(world.head.user), change_id=asked.pk)
    assert active(world.e1) == {(W48[1], "kantor")}
    part = ScheduleConfirmation.objects.get(schedule=schedule, employee=world.e1)
    assert [r["tanggal"] for r in part.rows] == [W48[0].isoformat()]
    responses.schedule_confirm(actor=fresh(world.e1.user), schedule_id=schedule.pk)
    assert active(world.e1) == {(W48[0], "rumah"), (W48[1], "kantor")}


def test_change_request_scoping(world):
    schedule = publish(world, row(world.e1, W48[0]), row(world.es, W48[1]))
    asked = change(world, world.e1, W48[1], schedule=schedule)
    # Outside the schedule's unit (or above it): the schedule does not exist for them.
    for user in (world.ev.user, world.foreign.user, world.foreign_head.user):
        with pytest.raises(ApplicationError) as caught:
            responses.my_schedule_get(actor=fresh(user), schedule_id=schedule.pk)
        assert caught.value.code == "not_found"
    # A sub-unit's employee sees the schedule of the unit above.
    assert responses.my_schedule_get(actor=fresh(world.es.user), schedule_id=schedule.pk).days
    for user in (world.e2.user, world.ev.user, world.foreign_head.user, world.head_sibling.user, world.foreign_hr):
        with pytest.raises(ApplicationError) as caught:
            change_requests.change_request_get(actor=fresh(user), change_id=asked.pk)
        assert caught.value.code == "not_found", user
    # HR admin reads but does not decide; the employee does not decide their own; a head of
    # the sub-unit does not decide the unit's schedule.
    assert change_requests.change_request_get(actor=fresh(world.hr), change_id=asked.pk).pk == asked.pk
    for user in (world.hr, world.e1.user, world.head_sub.user, world.head_sibling.user, world.foreign_head.user):
        with pytest.raises(ApplicationError) as caught:
            change_requests.change_request_approve(actor=fresh(user), change_id=asked.pk)
        assert caught.value.code == "not_found", user
    with pytest.raises(ApplicationError):
        change_requests.change_request_cancel(actor=fresh(world.e2.user), change_id=asked.pk)
    assert [c.pk for c in change_requests.change_requests_for(actor=fresh(world.e2.user))] == []
    assert [c.pk for c in change_requests.change_requests_for(actor=fresh(world.head.user))] == [asked.pk]
    assert change_requests.change_requests_for(actor=fresh(world.foreign_head.user)) == []
    # A Plt/Plh whose delegation covers the dates decides; the head above too.
    Delegation.objects.create(unit=world.unit, delegate=world.e2, start=W48[1], end=W48[1])
    done = change_requests.change_request_approve(actor=fresh(world.e2.user), change_id=asked.pk)
    assert done.state == "disetujui"
    other = change(world, world.e1, W48[3], schedule=schedule)
    assert change_requests.change_request_reject(actor=fresh(world.head_root.user), change_id=other.pk, note="Tidak perlu.").state == "ditolak"


def test_change_request_validation_and_cancel(world):
    schedule = publish(world, row(world.e1, W48[0]))
    for dates, lokasi, field in (((), "rumah", "dates"), ((W48[0].replace(day=16),), "rumah", "dates"),
                                 ((W48[1],), "bulan", "location_kind")):
        with pytest.raises(ApplicationError) as caught:
            change_requests.change_request_create(
                actor=fresh(world.e1.user), schedule_id=schedule.pk,
                data=change_requests.ChangeInput(dates=dates, location_kind=lokasi, reason="Alasan yang cukup."),
            )
        assert caught.value.code == "validation_error" and field in caught.value.details["fields"]
    asked = change(world, world.e1, W48[1], schedule=schedule)
    assert change_requests.change_request_cancel(actor=fresh(world.e1.user), change_id=asked.pk).state == "dibatalkan"
    assert AuditEvent.objects.filter(action="schedule_change.cancel", object_id=str(asked.pk)).exists()
    # Publishing again for the period cancels open change requests of the earlier schedule.
    again = change(world, world.e1, W48[2], schedule=schedule)
    publish(world, row(world.e1, W48[0]))
    assert ScheduleChangeRequest.objects.get(pk=again.pk).state == "dibatalkan"


# ---- web ----------------------------------------------------------------------------------


def test_employee_page_confirm_and_ask_with_form_once(client, world):
    confirmation_on(world)
    schedule = publish(world, row(world.e1, W48[0]))
    client.force_login(world.e1.user)
    page = client.get(reverse("schedules:my_schedule", args=[schedule.pk]))
    assert page.status_code == 200 and "Konfirmasi" in page.content.decode()
    assert str(schedule.pk) in client.get(reverse("schedules:my_schedules")).content.decode()
    url = reverse("schedules:my_schedule", args=[schedule.pk])
    first = client.post(url, {"_form_once": "5b4d0f0e-6a59-4f37-9c5f-5f2a6f0b1a01"})
    assert first.status_code == 302
    again = client.post(url, {"_form_once": "5b4d0f0e-6a59-4f37-9c5f-5f2a6f0b1a01"})
    assert again.status_code == 302  # the copy is not processed a second time
    assert AuditEvent.objects.filter(action="schedule.confirm").count() == 1
    assert active(world.e1) == {(W48[0], "rumah")}

    ask = reverse("schedules:change_create", args=[schedule.pk])
    body = {"dates": [W48[1].isoformat()], "location_kind": "rumah", "reason": "Ada rapat di luar kantor.",
            "_form_once": "5b4d0f0e-6a59-4f37-9c5f-5f2a6f0b1a02"}
    assert client.post(ask, body).status_code == 302
    assert client.post(ask, body).status_code == 302
    assert ScheduleChangeRequest.objects.count() == 1
    bad = client.post(ask, {"dates": [], "location_kind": "rumah", "reason": "x"})
    assert bad.status_code == 422
    # Another employee's schedule page of another unit: 404.
    client.force_login(world.ev.user)
    assert client.get(url).status_code == 404


def test_head_page_decides_and_shows_policy_findings(client, world):
    schedule = publish(world, row(world.e1, W48[0]), row(world.e1, W48[1]))
    asked = change(world, world.e1, W48[2], schedule=schedule)
    client.force_login(world.head.user)
    page = client.get(reverse("schedules:schedule_responses", args=[schedule.pk]))
    assert page.status_code == 200 and world.e1.name in page.content.decode()
    decide = reverse("schedules:change_decide", args=[asked.pk])
    refused = client.post(decide, {"decision": "approve"})
    assert refused.status_code == 422 and "Temuan pemeriksaan" in refused.content.decode()
    assert client.post(decide, {"decision": "reject", "note": "Melebihi batas."}).status_code == 302
    assert ScheduleChangeRequest.objects.get(pk=asked.pk).state == "ditolak"
    inbox = client.get(reverse("requests:inbox"))
    assert inbox.status_code == 200
    for user in (world.e2.user, world.head_sibling.user, world.foreign_head.user):
        client.force_login(user)
        assert client.get(reverse("schedules:schedule_responses", args=[schedule.pk])).status_code == 404
        assert client.post(decide, {"decision": "approve"}).status_code == 404


def test_the_head_inbox_lists_schedules_with_open_answers(client, world):
    confirmation_on(world)
    schedule = publish(world, row(world.e1, W48[0]))
    client.force_login(world.head.user)
    body = client.get(reverse("requests:inbox")).content.decode()
    assert reverse("schedules:schedule_responses", args=[schedule.pk]) in body
    client.force_login(world.head_sibling.user)
    body = client.get(reverse("requests:inbox")).content.decode()
    assert reverse("schedules:schedule_responses", args=[schedule.pk]) not in body


# ---- API ----------------------------------------------------------------------------------


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='t').plaintext}"}


def test_api_confirm_change_list_decide(client, world):
    confirmation_on(world)
    schedule = publish(world, row(world.e1, W48[0]))
    e1, head = bearer(world.e1.user), bearer(world.head.user)
    mine = client.get("/api/v1/schedules/mine", **e1).json()
    assert [p["state"] for p in mine] == ["menunggu"]
    response = client.post(f"/api/v1/schedules/{schedule.pk}/confirm", **e1)
    assert response.status_code == 200 and response.json()["state"] == "dikonfirmasi"
    response = client.post(f"/api/v1/schedules/{schedule.pk}/confirm", **e1)
    assert response.status_code == 409 and set(response.json()) == {"code", "message", "details"}
    body = {"dates": [W48[1].isoformat()], "location_kind": "rumah", "reason": "Ada rapat di luar kantor."}
    response = client.post(f"/api/v1/schedules/{schedule.pk}/changes", body, content_type="application/json", **e1)
    assert response.status_code == 201, response.content
    change_id = response.json()["id"]
    assert [c["id"] for c in client.get("/api/v1/schedule-changes", **head).json()] == [change_id]
    assert client.get("/api/v1/schedule-changes", **bearer(world.e2.user)).json() == []
    assert client.get(f"/api/v1/schedule-changes/{change_id}", **bearer(world.foreign_hr)).status_code == 404
    response = client.post(f"/api/v1/schedule-changes/{change_id}/approve", {}, content_type="application/json", **e1)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    responses_out = client.get(f"/api/v1/schedules/{schedule.pk}/responses", **head).json()
    assert responses_out["employees"][0]["confirmation"] == "dikonfirmasi"
    response = client.post(f"/api/v1/schedule-changes/{change_id}/approve", {}, content_type="application/json", **head)
    assert response.status_code == 200 and response.json()["state"] == "disetujui"
    body = dict(body, dates=[W48[2].isoformat()])
    change_id = client.post(f"/api/v1/schedules/{schedule.pk}/changes", body, content_type="application/json", **e1).json()["id"]
    response = client.post(f"/api/v1/schedule-changes/{change_id}/approve", {}, content_type="application/json", **head)
    assert response.status_code == 422 and response.json()["code"] == "policy_violation"
    assert response.json()["details"]["findings"]
    response = client.post(f"/api/v1/schedule-changes/{change_id}/reject", {"note": "Melebihi batas."},
                           content_type="application/json", **head)
    assert response.status_code == 200 and response.json()["state"] == "ditolak"
    assert client.post(f"/api/v1/schedules/{schedule.pk}/confirm", **bearer(world.foreign.user)).status_code == 404


def test_a_head_does_not_decide_their_own_change_request(world):
    schedule = publish(world, row(world.head, W48[0]))
    asked = change(world, world.head, W48[1], schedule=schedule)
    with pytest.raises(ApplicationError) as caught:
        change_requests.change_request_approve(actor=fresh(world.head.user), change_id=asked.pk)
    assert caught.value.code == "permission_denied"
    assert change_requests.change_request_approve(actor=fresh(world.head_root.user), change_id=asked.pk).state == "disetujui"
