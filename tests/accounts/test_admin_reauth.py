"""Issue 12: the Django admin asks for the password again before a role change, with the same
window (FLEKSI_REAUTH_MINUTES) and page as the app's own sensitive actions, and audits it
(docs/decisions/211). Only the clock is mocked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from fleksi.audit.models import AuditEvent
from fleksi.audit.verify import audit_chain_verify
from fleksi.core import clock
from fleksi.organisation.models import (
    Agency,
    AgencyRole,
    AgencyRoleKind,
    Delegation,
    Employee,
    OrgUnit,
)
from tests.factories import PASSWORD, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)
REAUTH = reverse("accounts:reauth")


@pytest.fixture
def at(monkeypatch):
    state = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: state["now"])

    def move(**delta: float) -> None:
        state["now"] = START + dt.timedelta(**delta)

    return move


@pytest.fixture
def sysadmin(client, at):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)  # the login counts as a re-authentication for five minutes
    return user


def form_data(client, url: str) -> dict[str, Any]:
    """The admin form's current values as a browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if field.show_hidden_initial:  # the hidden copy a browser sends back (JSON fields)
            data[f"initial-{name}"] = value
        if isinstance(field.widget, forms.MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else value
    return data


def reauth(client, location: str) -> str:
    """Confirm the password on the page the admin sent us to; returns where it leads back."""
    assert location.startswith(REAUTH)
    response = client.post(location, {"password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_stale_session_changing_an_agency_role_goes_to_reauth_and_nothing_changes(client, sysadmin, at):
    employee = EmployeeFactory()
    role = AgencyRole.objects.create(user=employee.user, agency=employee.agency, role=AgencyRoleKind.HR_ADMIN)
    url = reverse("admin:organisation_agencyrole_change", args=[role.pk])
    data = form_data(client, url)
    at(minutes=10)
    response = client.post(url, {**data, "role": AgencyRoleKind.PPK})
    assert response.status_code == 302 and response["Location"].startswith(REAUTH)
    assert AgencyRole.objects.get(pk=role.pk).role == AgencyRoleKind.HR_ADMIN
    assert events("admin.role_change") == []

    assert client.get(url)["Location"].startswith(REAUTH)  # opening the form asks too
    assert reauth(client, response["Location"]) == url  # back to the form
    assert client.post(url, {**data, "role": AgencyRoleKind.PPK}).status_code == 302
    assert AgencyRole.objects.get(pk=role.pk).role == AgencyRoleKind.PPK
    (event,) = events("admin.role_change")
    assert event.actor == sysadmin and event.object_type == "agencyrole" and event.object_id == str(role.pk)
    assert event.agency_id == employee.agency_id
    assert event.data == {"change": "change", "fields": ["role"], "before": {"role": "hr_admin"},
                          "after": {"role": "ppk"}}
    assert audit_chain_verify().ok


def test_a_fresh_session_adds_a_role_at_once_and_it_is_audited(client, sysadmin, at):
    employee = EmployeeFactory()
    at(minutes=4)  # within the five minutes of the login
    url = reverse("admin:organisation_agencyrole_add")
    response = client.post(url, {"user": employee.user_id, "agency": employee.agency_id, "role": "ppk"})
    assert response.status_code == 302 and not response["Location"].startswith(REAUTH)
    role = AgencyRole.objects.get(user=employee.user)
    (event,) = events("admin.role_change")
    assert event.object_id == str(role.pk) and event.data["change"] == "add"
    assert event.data["after"] == {"agency": employee.agency_id, "role": "ppk", "user": employee.user_id}


def test_opening_the_add_form_of_a_role_asks_first(client, sysadmin, at):
    at(minutes=6)
    for name in ("organisation_agencyrole_add", "organisation_delegation_add", "auth_group_add"):
        response = client.get(reverse(f"admin:{name}"))
        assert response.status_code == 302 and response["Location"].startswith(REAUTH), name
    assert client.get(reverse("admin:organisation_agencyrole_changelist")).status_code == 200  # the list is not gated


def test_user_flags_are_gated_and_other_fields_are_not(client, sysadmin, at):
    other = UserFactory()
    url = reverse("admin:accounts_user_change", args=[other.pk])
    data = form_data(client, url)
    at(minutes=10)
    assert client.post(url, {**data, "first_name": "Sari"}).status_code == 302  # not a role: saved
    other.refresh_from_db()
    assert other.first_name == "Sari"
    for flag in ("is_staff", "is_superuser", "is_national_monitor"):
        response = client.post(url, {**data, "first_name": "Sari", flag: "on"})
        assert response["Location"].startswith(REAUTH), flag
    group = Group.objects.create(name="Operator")
    assert client.post(url, {**data, "groups": [group.pk]})["Location"].startswith(REAUTH)
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser and not other.is_national_monitor
    assert not other.groups.exists()
    assert events("admin.role_change") == []

    reauth(client, f"{REAUTH}?next={url}")
    assert client.post(url, {**data, "is_staff": "on", "groups": [group.pk]}).status_code == 302
    other.refresh_from_db()
    assert other.is_staff and list(other.groups.all()) == [group]
    (event,) = events("admin.role_change")
    assert event.object_type == "user" and event.data["fields"] == ["groups", "is_staff"]
    assert event.data["before"] == {"groups": [], "is_staff": False}
    assert event.data["after"] == {"groups": [group.pk], "is_staff": True}


def test_a_group_s_permissions_are_a_role(client, sysadmin, at):
    group = Group.objects.create(name="Operator")
    url = reverse("admin:auth_group_change", args=[group.pk])
    data = form_data(client, url)
    permission = Permission.objects.get(codename="change_agencyrole")
    at(minutes=10)
    assert client.post(url, {**data, "permissions": [permission.pk]})["Location"].startswith(REAUTH)
    assert not group.permissions.exists()


def test_a_unit_head_and_an_employee_s_supervisor_and_account_are_gated(client, sysadmin, at):
    boss, employee = EmployeeFactory(), EmployeeFactory()
    unit = employee.unit
    unit_url = reverse("admin:organisation_orgunit_change", args=[unit.pk])
    unit_data = form_data(client, unit_url)
    employee_url = reverse("admin:organisation_employee_change", args=[employee.pk])
    employee_data = form_data(client, employee_url)
    at(minutes=10)
    assert client.post(unit_url, {**unit_data, "name": "Bagian Umum"}).status_code == 302  # not a role
    assert client.post(unit_url, {**unit_data, "head": boss.pk})["Location"].startswith(REAUTH)
    assert client.post(employee_url, {**employee_data, "supervisor": boss.pk})["Location"].startswith(REAUTH)
    stranger = UserFactory()
    assert client.post(employee_url, {**employee_data, "user": stranger.pk})["Location"].startswith(REAUTH)
    unit.refresh_from_db()
    employee.refresh_from_db()
    assert unit.name == "Bagian Umum" and unit.head is None
    assert employee.supervisor is None and employee.user_id != stranger.pk

    reauth(client, f"{REAUTH}?next={unit_url}")
    assert client.post(unit_url, {**unit_data, "head": boss.pk}).status_code == 302
    assert OrgUnit.objects.get(pk=unit.pk).head == boss
    (event,) = events("admin.role_change")
    assert event.object_type == "orgunit" and event.data["after"] == {"head": boss.pk}
    assert event.data["before"] == {"head": None} and event.agency_id == unit.agency_id
    assert Employee.objects.get(pk=employee.pk).supervisor is None


def test_deleting_a_delegation_asks_first_and_is_audited(client, sysadmin, at):
    employee = EmployeeFactory()
    delegation = Delegation.objects.create(unit=employee.unit, delegate=employee, kind="plt",
                                           start=dt.date(2026, 11, 16), end=dt.date(2026, 11, 30))
    url = reverse("admin:organisation_delegation_delete", args=[delegation.pk])
    at(minutes=10)
    response = client.post(url, {"post": "yes"})
    assert response["Location"].startswith(REAUTH)
    assert Delegation.objects.filter(pk=delegation.pk).exists()
    reauth(client, response["Location"])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Delegation.objects.filter(pk=delegation.pk).exists()
    (event,) = events("admin.role_change")
    assert event.object_type == "delegation" and event.object_id == str(delegation.pk)
    assert event.data["change"] == "delete"
    assert event.data["was"]["delegate_id"] == employee.pk and event.data["was"]["kind"] == "plt"
    assert event.agency_id == employee.agency_id


def test_the_bulk_delete_of_agency_roles_asks_first(client, sysadmin, at):
    employee = EmployeeFactory()
    role = AgencyRole.objects.create(user=employee.user, agency=employee.agency, role=AgencyRoleKind.PPK)
    url = reverse("admin:organisation_agencyrole_changelist")
    at(minutes=10)
    body = {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"}
    response = client.post(url, body)
    assert response["Location"].startswith(REAUTH)
    assert AgencyRole.objects.filter(pk=role.pk).exists()
    reauth(client, response["Location"])
    assert client.post(url, body).status_code == 302
    assert not AgencyRole.objects.filter(pk=role.pk).exists()
    assert [e.data["change"] for e in events("admin.role_change")] == ["delete"]


def test_the_admin_s_password_change_and_the_policy_are_gated_too(client, sysadmin, at):
    other = UserFactory()
    employee = EmployeeFactory()
    agency_url = reverse("admin:organisation_agency_change", args=[employee.agency_id])
    agency_data = form_data(client, agency_url)
    at(minutes=10)
    url = reverse("admin:auth_user_password_change", args=[other.pk])
    body = {"password1": "kata-sandi-baru-123", "password2": "kata-sandi-baru-123", "usable_password": "true"}
    assert client.post(url, body)["Location"].startswith(REAUTH)
    other.refresh_from_db()
    assert other.check_password(PASSWORD)
    response = client.post(agency_url, {**agency_data, "flexible_work_enabled": ""})
    assert response["Location"].startswith(REAUTH)
    assert Agency.objects.get(pk=employee.agency_id).flexible_work_enabled is True

    reauth(client, f"{REAUTH}?next={url}")
    assert client.post(url, body).status_code == 302
    other.refresh_from_db()
    assert other.check_password("kata-sandi-baru-123")
    assert [e.data for e in events("user.set_password")] == [{"via": "admin"}]
    assert client.post(agency_url, {**agency_data, "flexible_work_enabled": ""}).status_code == 302
    (event,) = events("admin.policy_change")
    assert event.data["after"] == {"flexible_work_enabled": False}
