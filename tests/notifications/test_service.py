"""The notification service: absolute links in emails, opening marks read, a decided request
settles its "awaiting your decision" notifications."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from fleksi.notifications.models import Notification
from fleksi.requests import decisions as request_decisions
from fleksi.requests import services as request_services
from tests.workflow.helpers import W48, fresh, submitted

pytestmark = pytest.mark.django_db


def test_email_links_are_absolute(world, settings, django_capture_on_commit_callbacks):
    settings.FLEKSI_SITE_URL = "https://fleksi.example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted(world.e1, W48[0])
    body = mail.outbox[0].body
    assert f"https://fleksi.example.go.id/kerja-fleksibel/pengajuan/{request.pk}/" in body
    assert "\n/kerja-fleksibel/" not in body


def test_email_period_is_a_plain_date_range(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(world.e1, W48[0], W48[2])
    assert "23\u201325 Nov 2026" in mail.outbox[0].body
    assert "2026-11-23" not in mail.outbox[0].body


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, client):
    request = submitted(world.e1, W48[0])
    note = Notification.objects.get(user=world.head.user, kind="request_submitted")
    client.force_login(world.head.user)
    response = client.get(reverse("notifications:notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:request_detail", args=[request.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_another_users_notification(world, client):
    submitted(world.e1, W48[0])
    note = Notification.objects.get(user=world.head.user, kind="request_submitted")
    client.force_login(world.e2.user)
    assert client.get(reverse("notifications:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("decision", ["approve", "reject", "return", "cancel"])
def test_a_decided_request_settles_awaiting_notifications(world, decision):
    request = submitted(world.e1, W48[0])
    waiting = Notification.objects.filter(kind="request_submitted", subject=f"request:{request.pk}")
    assert waiting.filter(read_at__isnull=True).exists()
    head = fresh(world.head.user)
    if decision == "approve":
        request_decisions.request_approve(actor=head, request_id=request.pk)
    elif decision == "reject":
        request_decisions.request_reject(actor=head, request_id=request.pk, reason="Tidak sesuai")
    elif decision == "return":
        request_decisions.request_return(actor=head, request_id=request.pk, reason="Lengkapi")
    else:
        request_services.request_cancel(actor=fresh(world.e1.user), request_id=request.pk)
    assert not waiting.filter(read_at__isnull=True).exists()
    # the employee's own news about the decision stays unread
    if decision != "cancel":
        assert Notification.objects.filter(user=world.e1.user, read_at__isnull=True).exists()
