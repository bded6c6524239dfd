"""The demo history: requests in every state through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi import demo
from fleksi.core import clock
from fleksi.notifications.models import Notification
from fleksi.organisation.models import Agency, AgencyOffice, PermittedPlace
from fleksi.requests import selectors as request_selectors
from fleksi.requests.models import FlexRequest
from fleksi.schedules import selectors as schedule_selectors
from fleksi.schedules.models import ArrangementDay
from tests.workflow.helpers import TODAY, W48, fresh

pytestmark = pytest.mark.django_db




@pytest.mark.parametrize("today", [TODAY, W48[0], dt.date(2026, 12, 2)])  # mid-week (with this week's history), a Monday, and a day whose last month holds approved outputs
def test_demo_agency_gets_requests_in_every_state(settings, tmp_path, today, fixed_clock):
    settings.MEDIA_ROOT = tmp_path
    fixed_clock(today)
    assert clock.today() == today
    assert demo.load_demo(progress=print) is True
    agency = Agency.objects.get(code=demo.AGENCY_CODE)
    states = set(FlexRequest.objects.filter(agency=agency).values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "approved", "rejected", "cancelled", "revoked"}
    assert AgencyOffice.objects.filter(agency=agency).count() == 3
    assert PermittedPlace.objects.filter(agency=agency).count() == 2
    assert FlexRequest.objects.filter(agency=agency, is_special=True, evidence__isnull=False).exists()
    assert FlexRequest.objects.filter(agency=agency, time_kind="dinamis", state="approved").exists()
    # The demo head's inbox and calendar show real work.
    from fleksi.organisation.models import OrgUnit

    kominfo = OrgUnit.objects.get(agency=agency, code="DISKOMINFO")
    head = fresh(kominfo.head.user)
    assert request_selectors.inbox_list(actor=head).exists()
    monday = today - dt.timedelta(days=today.weekday())
    week = schedule_selectors.unit_week_calendar(actor=head, unit_id=kominfo.pk, week_start=monday)
    assert any(c.request_id for r in week.rows for c in r.cells)
    nxt = schedule_selectors.unit_week_calendar(actor=head, unit_id=kominfo.pk, week_start=monday + dt.timedelta(days=7))
    assert any(c.request_id for r in nxt.rows for c in r.cells)
    assert ArrangementDay.objects.filter(agency=agency, active=True).count() > 20
    assert Notification.objects.filter(user=head).exists()
    employee = fresh(demo_user("pegawai@lembahhijau.go.id"))
    assert {r.state for r in request_selectors.request_list_mine(actor=employee)} >= {"approved", "draft"}


def demo_user(email):
    from fleksi.accounts.models import User

    return User.objects.get(employee__email=email)


def test_demo_reset_removes_only_the_demo_and_loads_again(settings, tmp_path, fixed_clock):
    from fleksi.organisation.models import Employee
    from tests.factories import EmployeeFactory

    settings.MEDIA_ROOT = tmp_path
    fixed_clock(TODAY)
    other = EmployeeFactory()
    assert demo.load_demo() is True
    assert demo.demo_reset() is True
    assert not Agency.objects.filter(code=demo.AGENCY_CODE).exists()
    assert Employee.objects.filter(pk=other.pk).exists()  # another agency is untouched
    assert demo.demo_reset() is False
    assert demo.load_demo() is True


@pytest.mark.django_db(transaction=True)
def test_demo_command_keeps_emails_out_of_its_output(tmp_path, capsys, settings, fixed_clock):
    from fleksi import cli

    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    fixed_clock(TODAY)
    assert cli.main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "Subject:" not in out and "Content-Type" not in out
    assert "Akun demo" in out
    assert "FLEKSI_REQUIRE_2FA=0" in out  # how the demo's admins log in (docs/decisions/153)
    assert any((tmp_path / "demo-mail").iterdir())


def test_every_demo_login_works_with_the_printed_password(client, settings, tmp_path, fixed_clock):
    """Issue 12: the demo password meets the 12-character rule and logs every demo account
    in through the login form (the lockout backend included); 2FA is not asked in the demo."""
    from django.contrib.auth.password_validation import validate_password

    settings.MEDIA_ROOT = tmp_path
    fixed_clock(TODAY)
    assert demo.load_demo() is True
    validate_password(demo.PASSWORD)
    logins = [email for _label, email, _key in demo.DEMO_LOGINS] + [demo.MONITOR[0], demo.SYSADMIN[0]]
    for login in logins:
        response = client.post("/akun/masuk/", {"username": login, "password": demo.PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/").status_code == 200, login
        client.post("/akun/keluar/")
