"""What a session knows of the account's 2FA devices is cached under the user's otp_version
(docs/decisions/215): a verified page costs one query fewer than with django-otp's own
middleware, and a device added or removed in another session (enrolment, new recovery
codes, the admin's audited reset, any ORM delete) takes effect on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fleksi.accounts import sessions
from fleksi.accounts.models import User
from fleksi.accounts.twofactor import twofactor_reset
from tests.factories import EmployeeFactory, make_agency_role

from .test_twofactor import ENROL, VERIFY, code, enrol, login

pytestmark = pytest.mark.django_db

PAGE = "/akun/saya/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.FLEKSI_REQUIRE_2FA = True


def device_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"otp_totp_' in q["sql"] or '"otp_static_' in q["sql"]]


def verified_second_session(user: User) -> Client:
    """Another browser of the same account, logged in and past the code."""
    other = Client()
    login(other, user.username)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert other.post(VERIFY, {"otp_token": code(device, step=1)}).status_code == 302
    assert other.get(PAGE).status_code == 200
    return other


def test_a_verified_page_costs_one_query_fewer_than_with_django_otps_middleware(client, settings):
    hr = make_agency_role(EmployeeFactory().agency)
    login(client, hr.username)
    enrol(client)
    with CaptureQueriesContext(connection) as first:
        assert client.get(PAGE).status_code == 200
    assert len(device_queries(first)) == 1  # checked once, then kept in the session
    with CaptureQueriesContext(connection) as cached:
        assert client.get(PAGE).status_code == 200
    assert device_queries(cached) == []

    settings.MIDDLEWARE = [
        "django_otp.middleware.OTPMiddleware" if m == "fleksi.accounts.middleware.OTPMiddleware" else m
        for m in settings.MIDDLEWARE
    ]
    plain = Client()  # a new client loads the middleware again
    plain.cookies = client.cookies
    with CaptureQueriesContext(connection) as uncached:
        assert plain.get(PAGE).status_code == 200
    assert len(device_queries(uncached)) == 1
    assert len(cached.captured_queries) == len(uncached.captured_queries) - 1


def test_the_admins_audited_reset_takes_effect_on_the_next_request_of_the_other_session(client):
    employee = EmployeeFactory()
    hr = make_agency_role(employee.agency)
    admin = make_agency_role(employee.agency)
    login(client, hr.username)
    enrol(client)
    client.post(reverse("accounts:logout"))
    victim = verified_second_session(hr)
    assert victim.get(PAGE).status_code == 200  # the cached check

    login(client, admin.username)
    enrol(client)
    url = reverse("organisation:account_security")
    assert client.post(url, {"user": hr.pk, "action": "reset_2fa"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=hr).exists()

    assert victim.get(PAGE)["Location"].startswith(ENROL)
    api = victim.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"


def test_a_device_deleted_outside_the_services_is_noticed_too(client):
    """The Django admin deletes devices without our services: the signals still count it."""
    hr = make_agency_role(EmployeeFactory().agency)
    login(client, hr.username)
    enrol(client)
    assert client.get(PAGE).status_code == 200
    TOTPDevice.objects.filter(user=hr).delete()
    assert client.get(PAGE)["Location"].startswith(ENROL)


def test_an_enrolment_in_one_session_asks_the_other_session_for_the_code(client, settings):
    settings.FLEKSI_REQUIRE_2FA = False
    employee = EmployeeFactory()
    login(client, employee.user.username)
    assert client.get(PAGE).status_code == 200  # no device: nothing asked (cached "none")
    phone = Client()
    login(phone, employee.user.username)
    enrol(phone)
    assert client.get(PAGE)["Location"].startswith(VERIFY)


def test_new_recovery_codes_end_the_session_that_used_an_old_one(client):
    """As with django-otp's middleware: the session's device (the recovery codes) is gone."""
    hr = make_agency_role(EmployeeFactory().agency)
    login(client, hr.username)
    codes = enrol(client)
    other = Client()
    login(other, hr.username)
    assert other.post(VERIFY, {"otp_token": codes[0]}).status_code == 302
    assert other.get(PAGE).status_code == 200
    assert other.get(PAGE).status_code == 200  # the cached check
    assert client.post(reverse("accounts:otp_recovery_renew")).status_code == 200
    assert other.get(PAGE)["Location"].startswith(VERIFY)
    assert client.get(PAGE).status_code == 200  # the app's session goes on (rechecked once)


def test_the_cache_is_keyed_to_the_user_and_ends_with_the_logout(client):
    hr = make_agency_role(EmployeeFactory().agency)
    login(client, hr.username)
    enrol(client)
    client.post(reverse("accounts:logout"))
    login(client, hr.username)
    hr.refresh_from_db()
    assert client.session[sessions.OTP_ENROLLED] == [hr.pk, hr.otp_version, True]  # read at the login
    device = TOTPDevice.objects.get(user=hr)
    client.post(VERIFY, {"otp_token": code(device, step=1)})
    client.get(PAGE)
    hr.refresh_from_db()
    assert client.session[sessions.OTP_DEVICE_CHECKED] == [hr.pk, hr.otp_version, device.persistent_id]
    client.post(reverse("accounts:logout"))
    session = client.session
    assert sessions.OTP_ENROLLED not in session and sessions.OTP_DEVICE_CHECKED not in session


def test_a_full_save_of_a_stale_user_keeps_the_raised_version():
    hr = make_agency_role(EmployeeFactory().agency)
    TOTPDevice.objects.create(user=hr, name="app", confirmed=True)
    stale = User.objects.get(pk=hr.pk)
    twofactor_reset(actor=None, user=hr)
    raised = User.objects.get(pk=hr.pk).otp_version
    assert raised > stale.otp_version
    stale.first_name = "Baru"
    stale.save()  # a password change or the admin's form saves the whole row
    fresh = User.objects.get(pk=hr.pk)
    assert fresh.otp_version == raised and fresh.first_name == "Baru"
