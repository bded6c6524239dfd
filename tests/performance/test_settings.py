"""The agency's performance settings page (/kinerja/sdm/, decision 190): who may open and
change it, the audit row, re-authentication, the check-out rule following the switch
through attendance's check-out, and when a change of the assessment cadence applies."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from fleksi.attendance.models import CheckIn
from fleksi.audit.models import AuditEvent
from fleksi.organisation.models import AgencyRoleKind
from fleksi.performance import services
from fleksi.performance.models import Assessment, PerformanceSettings
from tests.factories import make_agency_role

from .conftest import bearer, fresh

pytestmark = pytest.mark.django_db

URL = "/kinerja/sdm/"


def save(client, agency_id, *, required=True, cadence="monthly"):
    data = {"instansi": str(agency_id), "cadence": cadence}
    if required:
        data["log_required_before_check_out"] = "on"
    return client.post(URL, data)


def row(world):
    return PerformanceSettings.objects.filter(agency=world.e1.agency).first()


def test_hr_and_ppk_of_the_agency_open_it_others_do_not(client, world):
    client.force_login(world.hr)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert world.e1.agency.name in text and 'name="cadence"' in text and "log_required_before_check_out" in text
    assert 'value="monthly" required id="id_cadence_0" checked' in text
    client.force_login(make_agency_role(world.e1.agency, AgencyRoleKind.PPK))
    assert client.get(URL).status_code == 200
    for user in (world.e1.user, world.head_root.user):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert save(client, world.e1.agency.pk, required=False).status_code == 404
    assert row(world) is None
    client.logout()
    assert client.get(URL).status_code == 302


def test_another_agencys_hr_never_reaches_this_agency(client, world):
    other_hr = make_agency_role(world.other.agency)
    client.force_login(other_hr)
    page = client.get(f"{URL}?instansi={world.e1.agency.pk}").content.decode()
    assert world.other.agency.name in page and world.e1.agency.name not in page
    assert save(client, world.e1.agency.pk, required=False).status_code == 302
    assert row(world) is None  # their own agency's row changed, not this one
    assert PerformanceSettings.objects.get(agency=world.other.agency).log_required_before_check_out is False


def test_a_change_is_audited_and_needs_a_recent_password(client, world, now):
    client.force_login(world.hr)
    response = save(client, world.e1.agency.pk, required=False)
    assert response.status_code == 302 and response["Location"].startswith(URL)
    assert row(world).log_required_before_check_out is False
    event = AuditEvent.objects.get(action="performance.settings_update")
    assert event.agency_id == world.e1.agency.pk and event.actor_id == world.hr.pk
    assert event.data["old"]["log_required_before_check_out"] is True
    assert event.data["new"]["log_required_before_check_out"] is False
    save(client, world.e1.agency.pk, required=False)  # nothing changed: no second row
    assert AuditEvent.objects.filter(action="performance.settings_update").count() == 1
    now["at"] = now["at"] + dt.timedelta(minutes=30)  # the login's password is too old now
    refused = save(client, world.e1.agency.pk, required=True)
    assert refused.status_code == 302 and refused["Location"].startswith("/akun/konfirmasi/")
    assert row(world).log_required_before_check_out is False


def test_a_bad_cadence_is_a_form_error(client, world):
    client.force_login(world.hr)
    response = save(client, world.e1.agency.pk, cadence="weekly")
    assert response.status_code == 422 and row(world) is None


def check_out(client, user, hour):
    body = {"kind": "out", "location": "rumah", "client_time": f"2026-12-15T{hour:02d}:00:00+07:00",
            "idempotency_key": str(uuid.uuid4())}
    return client.post("/api/v1/attendance/check-ins", data=json.dumps(body), content_type="application/json", **bearer(user))


def test_the_check_out_follows_the_switch(client, world, now):
    now["at"] = now["at"].replace(hour=16)
    refused = check_out(client, world.e1.user, 16)
    assert refused.status_code == 422 and refused.json()["details"]["reason"] == "log_required"
    assert "laporan harian" in refused.json()["message"]
    client.force_login(world.hr)
    save(client, world.e1.agency.pk, required=False)
    assert check_out(client, world.e1.user, 16).status_code in (200, 201)
    client.force_login(world.hr)
    save(client, world.e1.agency.pk, required=True)
    again = check_out(client, world.e1.user, 16)
    assert again.status_code == 422 and again.json()["details"]["reason"] == "log_required"
    assert CheckIn.objects.filter(kind="out").count() == 1


def test_without_assessments_the_cadence_changes_from_this_quarter(client, world):
    client.force_login(world.hr)
    response = save(client, world.e1.agency.pk, cadence="quarterly")
    assert response.status_code == 302
    assert row(world).cadence_history == [{"from": "2026-10-01", "cadence": "quarterly"}]
    page = client.get(response["Location"]).content.decode()
    assert "2026-TW4" in page and "sampai 30 Sep 2026" in page and "mulai 1 Okt 2026" in page
    event = AuditEvent.objects.get(action="performance.settings_update")
    assert event.data["old"]["cadence"] == "monthly" and event.data["new"]["cadence"] == "quarterly"
    assert event.data["cadence_from"] == "2026-10-01"


def test_with_an_assessment_this_quarter_the_change_waits_for_the_next(client, world):
    services.assessment_save(actor=fresh(world.head_child.user), employee_id=world.e1.pk, period="2026-11",
                             data=services.AssessmentInput(output_ratings={}, behaviour_ratings={}))
    client.force_login(world.hr)
    assert "1 Jan 2027" in client.get(URL).content.decode()
    response = save(client, world.e1.agency.pk, cadence="quarterly")
    assert response.status_code == 302
    assert row(world).cadence_history == [{"from": "2027-01-01", "cadence": "quarterly"}]
    page = client.get(URL).content.decode()
    assert "berlaku mulai 1 Jan 2027" in page
    # the months of this quarter stay monthly; from January the keys are quarters
    head = world.head_child.user
    assert client.get(f"/api/v1/performance/periods/{world.e1.pk}/2026-12", **bearer(head)).status_code == 200
    wrong = client.get(f"/api/v1/performance/periods/{world.e1.pk}/2027-01", **bearer(head))
    assert wrong.status_code == 422 and wrong.json()["details"]["period"] == "2027-TW1"
    assert "triwulan" in wrong.json()["message"]
    assert client.get(f"/api/v1/performance/periods/{world.e1.pk}/2027-TW1", **bearer(head)).status_code == 200
    # the draft of November is untouched
    assert Assessment.objects.get().cadence == "monthly"
    # taking the pending change back leaves no change behind
    save(client, world.e1.agency.pk, cadence="monthly")
    assert row(world).cadence_history == []


def test_an_assessment_of_the_next_quarter_refuses_the_change(client, world):
    Assessment.objects.create(agency=world.e1.agency, employee=world.e1, period=dt.date(2027, 1, 1))
    client.force_login(world.hr)
    assert "tidak dapat diubah sekarang" in client.get(URL).content.decode()
    response = save(client, world.e1.agency.pk, cadence="quarterly")
    assert response.status_code == 422
    assert "sudah ada penilaian untuk periode mulai 1 Jan 2027" in response.content.decode()
    assert row(world) is None


def test_hr_finds_it_beside_the_other_settings(client, world):
    client.force_login(world.hr)
    agency = world.e1.agency.pk
    scheme = client.get(f"/kerja-fleksibel/instansi/{agency}/pengaturan/").content.decode()
    assert f'href="/kinerja/sdm/?instansi={agency}"' in scheme
    attendance = client.get("/presensi/sdm/").content.decode()
    assert f'href="/kinerja/sdm/?instansi={agency}"' in attendance
