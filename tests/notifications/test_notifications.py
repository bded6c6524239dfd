"""In-app notifications and emails (after commit) of the workflow; pending reminders."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.notifications import selectors as notification_selectors
from fleksi.notifications import services as notification_services
from fleksi.notifications.models import Notification
from fleksi.organisation.models import Delegation
from fleksi.requests import decisions as request_decisions
from fleksi.requests import services as request_services
from tests.workflow.helpers import W48, approved, fresh, submitted

pytestmark = pytest.mark.django_db


def notes(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_submission_notifies_the_approvers_by_row_and_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = submitted(world.e1, W48[0])
    assert callbacks, "emails go out only on commit"
    assert notes(world.head.user) == ["request_submitted"]
    assert notes(world.head_root.user) == []  # the nearest head only
    assert [m.to for m in mail.outbox] == [[world.head.user.email]]
    assert f"#{request.pk}" in mail.outbox[0].subject and world.e1.name in mail.outbox[0].subject


def test_no_email_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                submitted(world.e1, W48[0])
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert mail.outbox == [] and Notification.objects.count() == 0


def test_a_plh_of_today_is_notified_too(world, django_capture_on_commit_callbacks):
    Delegation.objects.create(unit=world.unit, delegate=world.ev, kind="plh", start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        submitted(world.e1, W48[0])
    assert notes(world.head.user) == ["request_submitted"] and notes(world.ev.user) == ["request_submitted"]


@pytest.mark.parametrize(
    ("decide", "kind"),
    [
        (lambda u, pk: request_decisions.request_approve(actor=u, request_id=pk, note="OK"), "request_approved"),
        (lambda u, pk: request_decisions.request_reject(actor=u, request_id=pk, reason="Beban kerja."), "request_rejected"),
        (lambda u, pk: request_decisions.request_return(actor=u, request_id=pk, reason="Lengkapi."), "request_returned"),
    ],
)
def test_decisions_notify_the_employee(world, decide, kind, django_capture_on_commit_callbacks):
    request = submitted(world.e1, W48[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(fresh(world.head.user), request.pk)
    assert notes(world.e1.user) == [kind]
    assert [m.to for m in mail.outbox] == [[world.e1.user.email]]


def test_revocation_and_cancellation_notify(world, django_capture_on_commit_callbacks):
    request = approved(world.e1, world.head, W48[0])
    with django_capture_on_commit_callbacks(execute=True):
        request_decisions.request_revoke(actor=fresh(world.head.user), request_id=request.pk, reason="Layanan padat.")
    assert "request_revoked" in notes(world.e1.user)
    assert "Layanan padat." in Notification.objects.get(user=world.e1.user, kind="request_revoked").body
    other = approved(world.e2, world.head, W48[1])
    request_services.request_cancel(actor=fresh(world.e2.user), request_id=other.pk, reason="Batal.")
    assert notes(world.head.user).count("request_cancelled") == 1


def test_mark_read_one_or_all_and_scoping(world):
    submitted(world.e1, W48[0])
    submitted(world.e2, W48[0])
    head = fresh(world.head.user)
    assert notification_selectors.notification_unread_count(actor=head) == 2
    first = notification_selectors.notification_list(actor=head)[0]
    with pytest.raises(ApplicationError) as error:
        notification_services.notification_mark_read(actor=fresh(world.e1.user), notification_id=first.pk)
    assert error.value.code == ErrorCode.NOT_FOUND
    assert notification_services.notification_mark_read(actor=head, notification_id=first.pk) == 1
    assert notification_selectors.notification_unread_count(actor=head) == 1
    assert notification_services.notification_mark_read(actor=head) == 1
    assert notification_selectors.notification_unread_count(actor=head) == 0


def test_remind_pending_after_the_agencys_days_once_per_day(world, fixed_clock, django_capture_on_commit_callbacks):
    world.agency.reminder_after_days = 3
    world.agency.save()
    request = submitted(world.e1, W48[0])  # submitted on Wednesday 18 Nov
    assert request_decisions.requests_remind_pending(today=dt.date(2026, 11, 20)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert request_decisions.requests_remind_pending(today=dt.date(2026, 11, 21)) == 1
    assert request_decisions.requests_remind_pending(today=dt.date(2026, 11, 21)) == 0  # idempotent per day
    assert len(mail.outbox) == 1 and "Pengingat" in mail.outbox[0].subject
    assert request_decisions.requests_remind_pending(today=dt.date(2026, 11, 22)) == 1
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    assert request_decisions.requests_remind_pending(today=dt.date(2026, 11, 23)) == 0


def test_remind_pending_command(world):
    submitted(world.e1, W48[0])
    out = StringIO()
    call_command("remind_pending", "--date", "2026-11-30", stdout=out)
    assert "1" in out.getvalue()
    assert Notification.objects.filter(kind="request_reminder").count() == 1
