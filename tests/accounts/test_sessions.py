"""Issue 12, sessions: an idle timeout (the agency's setting, 30 minutes by default), an
absolute lifetime of 12 hours, and re-authentication before sensitive actions. Only the
clock is mocked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from fleksi.accounts.models import ApiToken
from fleksi.core import clock
from fleksi.organisation.models import Agency
from tests.factories import PASSWORD, EmployeeFactory, make_agency_role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def at(monkeypatch):
    """Move the clock: ``at(minutes=31)`` is 31 minutes after START."""
    state = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: state["now"])

    def move(**delta: float) -> None:
        state["now"] = START + dt.timedelta(**delta)

    return move


def test_the_session_lifetime_is_twelve_hours_not_fourteen_days():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_thirty_idle_minutes_end_the_session_with_a_message(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    at(minutes=20)
    assert client.get("/").status_code == 200
    at(minutes=49)  # 29 minutes after the last request: still in
    assert client.get("/").status_code == 200
    at(minutes=80)  # 31 minutes idle
    response = client.get("/kerja-fleksibel/saya/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "30 menit tanpa aktivitas" in page


def test_the_agency_sets_its_idle_timeout(client, at):
    employee = EmployeeFactory()
    Agency.objects.filter(pk=employee.agency_id).update(session_idle_minutes=10)
    client.force_login(employee.user)
    at(minutes=11)
    assert client.get("/").status_code == 302
    assert "10 menit" in client.get(reverse("accounts:login")).content.decode()


def test_hr_sets_the_idle_timeout_on_the_settings_page(client, at):
    employee = EmployeeFactory()
    hr = make_agency_role(employee.agency)
    client.force_login(hr)
    response = client.post(
        reverse("scheme:agency_settings_general", args=[employee.agency_id]),
        {"flexible_work_enabled": "on", "reminder_after_days": 3, "session_idle_minutes": 15},
    )
    assert response.status_code == 302
    assert Agency.objects.get(pk=employee.agency_id).session_idle_minutes == 15
    too_short = client.post(
        reverse("scheme:agency_settings_general", args=[employee.agency_id]),
        {"flexible_work_enabled": "on", "reminder_after_days": 3, "session_idle_minutes": 1},
    )
    assert too_short.status_code == 422


def test_twelve_hours_end_the_session_however_active(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    for step in range(1, 37):  # a request every 20 minutes
        at(minutes=20 * step)
        assert client.get("/").status_code == 200
    at(minutes=20 * 36 + 1)  # 12 h 1 min after the login
    response = client.get("/")
    assert response.status_code == 302
    assert "12 jam" in client.get(reverse("accounts:login")).content.decode()


def test_the_polling_bell_does_not_keep_a_session_alive(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    bell = reverse("notifications:notification_bell")
    for minute in (5, 15, 25):
        at(minutes=minute)
        assert client.get(bell, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="bell").status_code == 200
    at(minutes=31)
    assert client.get("/").status_code == 302


def test_an_expired_session_answers_the_api_with_401(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    at(minutes=45)
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "session_expired"


def test_the_login_form_starts_the_clocks(client, at):
    employee = EmployeeFactory()
    at(minutes=100)
    assert client.post(reverse("accounts:login"), {"username": employee.nip, "password": PASSWORD}).status_code == 302
    at(minutes=125)
    assert client.get("/").status_code == 200


# ---- re-authentication before sensitive actions ------------------------------------------


def test_token_creation_asks_for_the_password_again_after_five_minutes(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    at(minutes=4)  # the login itself counts for five minutes
    assert client.post(reverse("accounts:tokens"), {"name": "a"}).status_code == 200
    assert ApiToken.objects.count() == 1
    at(minutes=10)
    tokens = reverse("accounts:tokens")
    response = client.post(tokens, {"name": "b"}, HTTP_REFERER=f"http://testserver{tokens}")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
    assert ApiToken.objects.count() == 1
    wrong = client.post(response["Location"], {"password": "bukan-sandinya-123"})
    assert wrong.status_code == 422
    ok = client.post(response["Location"], {"password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == tokens
    assert client.post(tokens, {"name": "b"}).status_code == 200
    assert ApiToken.objects.count() == 2
    at(minutes=16)  # remembered for five minutes only
    assert client.post(tokens, {"name": "c"}).status_code == 302
    assert client.post(tokens, {"revoke": ApiToken.objects.first().pk}).status_code == 302
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1  # revoking is not gated


def test_policy_and_settings_changes_ask_for_the_password_again(client, at):
    employee = EmployeeFactory()
    hr = make_agency_role(employee.agency)
    client.force_login(hr)
    at(minutes=10)
    url = reverse("scheme:agency_settings_general", args=[employee.agency_id])
    response = client.post(url, {"flexible_work_enabled": "", "reminder_after_days": 3})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
    assert Agency.objects.get(pk=employee.agency_id).flexible_work_enabled is True
    policy = client.post(reverse("scheme:agency_policy", args=[employee.agency_id]), {})
    assert policy["Location"].startswith(reverse("accounts:reauth"))
    client.post(response["Location"], {"password": PASSWORD})
    assert client.post(url, {"flexible_work_enabled": "", "reminder_after_days": 3}).status_code == 302
    assert Agency.objects.get(pk=employee.agency_id).flexible_work_enabled is False


def test_role_changes_ask_for_the_password_again(client, at):
    head = EmployeeFactory()
    hr = make_agency_role(head.agency)
    client.force_login(hr)
    at(minutes=10)
    url = reverse("organisation:unit_delegations", args=[head.unit_id])
    assert client.get(url).status_code == 200  # reading is not gated
    response = client.post(url, {"delegate": head.pk, "kind": "plh", "start": "2026-11-20", "end": "2026-11-21"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))


def test_reauth_refuses_a_foreign_next(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    response = client.post(reverse("accounts:reauth") + "?next=https://evil.example/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_bell_after_the_timeout_sends_the_whole_page_to_the_login(client, at):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    at(minutes=31)
    response = client.get(reverse("notifications:notification_bell"), HTTP_HX_REQUEST="true",
                          HTTP_HX_TRIGGER="bell", HTTP_HX_CURRENT_URL="http://testserver/kerja-fleksibel/saya/")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("accounts:login") + "?next=%2Fkerja-fleksibel%2Fsaya%2F"
