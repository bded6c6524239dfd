"""Issue 12, login: 10 failures on an account or from an address lock it for the cool-off
(the right password is refused meanwhile), also on the admin login; the reset form sends a
bounded number of emails; HR or a system admin unlocks, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from fleksi.audit.models import AuditEvent
from fleksi.core import clock
from tests.factories import PASSWORD, EmployeeFactory, UserFactory, make_agency_role

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"


def fail(client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "salah-sekali-123"}, **extra)
        assert response.status_code in (200, 429)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_failures_lock_the_account_and_the_right_password_is_refused(client):
    employee = EmployeeFactory()
    fail(client, employee.nip, 9)
    ok = client.post(LOGIN, {"username": employee.nip, "password": PASSWORD})
    assert ok.status_code == 302 and logged_in(client)  # 9 failures: not yet locked
    client.logout()
    fail(client, employee.nip, 10)
    response = client.post(LOGIN, {"username": employee.nip, "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page and "15 menit" in page
    assert not logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client):
    employee = EmployeeFactory()
    fail(client, employee.nip, 9)
    assert client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}).status_code == 302
    client.logout()
    fail(client, employee.nip, 9)
    assert client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}).status_code == 302


def test_the_lock_ends_after_the_cool_off(client):
    employee = EmployeeFactory()
    fail(client, employee.nip, 10)
    assert client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}).status_code == 429
    # 16 minutes pass (axes reads Django's clock: the attempts are moved back instead).
    AccessAttempt.objects.update(attempt_time=clock.now() - dt.timedelta(minutes=16))
    assert client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}).status_code == 302


def test_nip_and_email_count_against_one_account(client):
    employee = EmployeeFactory()
    fail(client, employee.nip, 5, REMOTE_ADDR="10.0.0.1")
    fail(client, employee.user.email.upper(), 5, REMOTE_ADDR="10.0.0.2")
    response = client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429


def test_ten_failures_from_one_address_lock_that_address(client):
    victims = [EmployeeFactory() for _ in range(2)]
    for i in range(10):
        client.post(LOGIN, {"username": f"19900101201503100{i}", "password": "x"}, REMOTE_ADDR="192.0.2.7")
    refused = client.post(LOGIN, {"username": victims[0].nip, "password": PASSWORD}, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    elsewhere = client.post(LOGIN, {"username": victims[1].nip, "password": PASSWORD}, REMOTE_ADDR="192.0.2.8")
    assert elsewhere.status_code == 302


def test_the_admin_login_is_locked_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(10):
        client.post("/admin/login/", {"username": admin.username, "password": "salah", "next": "/admin/"})
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429 and not logged_in(client)
    assert client.post(LOGIN, {"username": admin.username, "password": PASSWORD}).status_code == 429


def test_client_login_force_login_and_api_tokens_are_not_disturbed(client):
    from fleksi.accounts.services import api_token_create

    employee = EmployeeFactory()
    assert client.login(username=employee.nip, password=PASSWORD)
    client.logout()
    client.force_login(employee.user)
    assert client.get("/").status_code == 200
    client.logout()
    token = api_token_create(actor=employee.user, user=employee.user, name="t").plaintext
    for _ in range(12):
        client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer fks_00000000_wrong")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_the_reset_form_sends_at_most_three_emails_per_account(client):
    employee = EmployeeFactory()
    for _ in range(5):
        response = client.post(reverse("accounts:password_reset"), {"email": employee.nip})
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == 3


def test_the_reset_form_limits_requests_per_address(client):
    for i in range(10):
        assert client.post(reverse("accounts:password_reset"), {"email": f"orang{i}@example.go.id"}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "lagi@example.go.id"})
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()


def test_the_reset_limit_ends_after_the_cool_off(client, monkeypatch):
    employee = EmployeeFactory()
    for _ in range(3):
        client.post(reverse("accounts:password_reset"), {"email": employee.nip})
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.post(reverse("accounts:password_reset"), {"email": employee.nip})
    assert len(mail.outbox) == 4


def test_hr_unlocks_an_account_of_the_agency_audited(client):
    employee = EmployeeFactory()
    hr = make_agency_role(employee.agency)
    foreign_hr = make_agency_role(EmployeeFactory().agency)
    fail(client, employee.nip, 10)
    client.force_login(foreign_hr)
    page = client.get(reverse("organisation:account_security")).content.decode()
    assert employee.name not in page
    assert client.post(reverse("organisation:account_security"), {"user": employee.user_id, "action": "unlock"}).status_code == 404
    client.force_login(hr)
    page = client.get(reverse("organisation:account_security")).content.decode()
    assert employee.name in page and "Buka kunci" in page
    response = client.post(reverse("organisation:account_security"), {"user": employee.user_id, "action": "unlock"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.unlock")
    assert event.actor_id == hr.pk and event.object_id == str(employee.user_id)
    client.logout()
    assert client.post(LOGIN, {"username": employee.nip, "password": PASSWORD}).status_code == 302


def test_an_employee_has_no_account_security_page(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    assert client.get(reverse("organisation:account_security")).status_code == 404


def test_the_account_security_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    hr = make_agency_role(EmployeeFactory().agency)
    agency = hr.agency_roles.get().agency
    people = [EmployeeFactory(agency=agency, unit__agency=agency) for _ in range(3)]
    for person in people[:1]:
        fail(client, person.nip, 10, REMOTE_ADDR=f"10.1.0.{person.pk % 200}")
    client.force_login(hr)
    url = reverse("organisation:account_security")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    count = len(few.captured_queries)  # read now: the failures below rotate the query log
    client.logout()
    for person in people[1:]:
        fail(client, person.nip, 10, REMOTE_ADDR=f"10.2.0.{person.pk % 200}")
    client.force_login(hr)
    with django_assert_max_num_queries(count):
        page = client.get(url).content.decode()
    assert all(p.name in page for p in people)


def test_behind_a_proxy_the_address_it_saw_counts_not_the_proxy_nor_a_forged_hop(client, settings):
    settings.FLEKSI_PROXY_COUNT = 1
    victims = [EmployeeFactory() for _ in range(2)]
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    for i in range(10):
        client.post(LOGIN, {"username": f"19900101201503200{i}", "password": "x"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.1", **proxy)  # the first hop is forged
    locked = client.post(LOGIN, {"username": victims[0].nip, "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert locked.status_code == 429
    other = client.post(LOGIN, {"username": victims[1].nip, "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 302  # the same proxy, another client: not locked
