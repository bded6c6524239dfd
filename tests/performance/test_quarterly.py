"""Quarterly assessment (triwulan, decision 190) end to end: the period keys of the API and
the pages, the unit view's previous and next periods, the rating of a quarter and its log
lock, the export, and the monthly keys staying exact for a monthly agency."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from fleksi.performance import services
from fleksi.performance.models import Assessment, PlannedOutput
from fleksi.policy.rating import BehaviourValue
from tests.factories import EmployeeFactory

from .conftest import bearer, fresh, log_body

pytestmark = pytest.mark.django_db

Q = "2026-TW4"


@pytest.fixture
def quarterly(world):
    result = services.settings_update(actor=fresh(world.hr), agency_id=world.e1.agency.pk,
                                      log_required_before_check_out=True, cadence="quarterly")
    assert result.cadence_from == dt.date(2026, 10, 1)
    return world


def behaviours(level="above"):
    return {v.value: level for v in BehaviourValue}


def api(client, user, method, url, data=None):
    call = getattr(client, method)
    if data is None:
        return call(url, **bearer(user))
    return call(url, data=json.dumps(data), content_type="application/json", **bearer(user))


def test_the_api_speaks_quarters(client, quarterly):
    w = quarterly
    body = api(client, w.e1.user, "get", f"/api/v1/performance/periods/{w.e1.pk}/{Q}").json()
    assert body["period"] == Q and body["cadence"] == "quarterly"
    assert (body["start"], body["end"]) == ("2026-10-01", "2026-12-31")
    # quarters from October 2026 on; September was still a month of its own
    assert (body["previous_period"], body["next_period"]) == ("2026-09", "2027-TW1")
    assert api(client, w.e1.user, "get", f"/api/v1/performance/periods/{w.e1.pk}/2026-09").status_code == 200
    assert api(client, w.e1.user, "get", f"/api/v1/performance/periods/{w.e1.pk}/2026-TW3").status_code == 422
    assert [o["description"] for o in body["outputs"]] == ["Naskah kajian kebijakan", "Telaah staf"]
    wrong = api(client, w.e1.user, "get", f"/api/v1/performance/periods/{w.e1.pk}/2026-12")
    assert wrong.status_code == 422 and wrong.json()["code"] == "validation_error"
    assert wrong.json()["details"]["period"] == Q and wrong.json()["details"]["reason"] == "period_cadence"
    assert "per triwulan" in wrong.json()["message"] and Q in wrong.json()["message"]
    assert api(client, w.head_child.user, "get", f"/api/v1/performance/assessments/{w.e1.pk}/2026-11").status_code == 422
    assert api(client, w.head_child.user, "get", f"/api/v1/performance/assessments/{w.e1.pk}/2026-TW5").status_code == 422
    # another agency's employee is 404 before any word on the period
    assert api(client, w.head_child.user, "get", f"/api/v1/performance/periods/{w.other.pk}/{Q}").status_code == 404


def test_a_quarter_is_rated_finalised_and_locks_its_log(client, quarterly):
    w = quarterly
    outputs = api(client, w.e1.user, "get", f"/api/v1/performance/periods/{w.e1.pk}/{Q}").json()["outputs"]
    november = log_body(date="2026-11-10", planned_output_id=outputs[0]["id"])
    assert api(client, w.e1.user, "post", "/api/v1/performance/logs", november).status_code == 201
    url = f"/api/v1/performance/assessments/{w.e1.pk}/{Q}"
    draft = api(client, w.head_child.user, "put", url, {
        "output_ratings": {str(outputs[0]["id"]): "meets", str(outputs[1]["id"]): "meets"},
        "behaviour_ratings": behaviours("above"),
    })
    assert draft.status_code == 200, draft.content
    assert draft.json()["period"] == Q and draft.json()["cadence"] == "quarterly"
    assert api(client, w.head_child.user, "put", f"/api/v1/performance/assessments/{w.e1.pk}/2026-12", {}).status_code == 422
    final = api(client, w.head_child.user, "post", f"{url}/finalise", {})
    assert final.status_code == 200, final.content
    assert final.json()["predikat"] == "baik"  # meets x above (PermenPANRB 6/2022 matrix)
    a = Assessment.objects.get()
    assert (a.period, a.cadence, a.state) == (dt.date(2026, 10, 1), "quarterly", "final")
    # the whole quarter is locked: October as much as December
    october = log_body(date="2026-10-20")
    assert api(client, w.e1.user, "post", "/api/v1/performance/logs", october).status_code == 409
    assert api(client, w.e1.user, "post", "/api/v1/performance/logs", log_body()).status_code == 409
    envelope = api(client, w.e1.user, "get", url).json()
    assert envelope["period"] == Q and envelope["assessment"]["predikat_label"] == "Baik"
    responded = api(client, w.e1.user, "post", f"{url}/response", {"response": "Terima kasih."})
    assert responded.status_code == 200
    from fleksi.notifications.models import Notification

    note = Notification.objects.get(user=w.e1.user, kind="performance_assessed")
    assert "TW IV/2026" in note.title and note.url.endswith(f"/{Q}/")


def test_the_pages_follow_the_quarter(client, quarterly):
    w = quarterly
    client.force_login(w.head_root.user)
    page = client.get(f"/kinerja/pegawai/{w.e1.pk}/{Q}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert Q in text and f"/kinerja/pegawai/{w.e1.pk}/2026-09/" in text and f"/kinerja/pegawai/{w.e1.pk}/2027-TW1/" in text
    # a month's key of a quarterly agency goes to its quarter, the query kept
    moved = client.get(f"/kinerja/pegawai/{w.e1.pk}/2026-11/?unit={w.root.pk}")
    assert moved.status_code == 302 and moved["Location"] == f"/kinerja/pegawai/{w.e1.pk}/{Q}/?unit={w.root.pk}"
    assert client.get("/kinerja/unit/")["Location"] == f"/kinerja/unit/{w.root.pk}/{Q}/"
    unit = client.get(f"/kinerja/unit/{w.root.pk}/{Q}/").content.decode()
    assert f"/kinerja/unit/{w.root.pk}/2026-09/" in unit and f"/kinerja/unit/{w.root.pk}/2027-TW1/" in unit
    assert f"/kinerja/pegawai/{w.e1.pk}/{Q}/?unit={w.root.pk}" in unit
    assert client.get(f"/kinerja/pegawai/{w.e1.pk}/{Q}/nilai/?unit={w.root.pk}").status_code == 200
    outputs = list(PlannedOutput.objects.filter(employee=w.e1))
    form = {f"output_{o.pk}": "meets" for o in outputs} | {f"behaviour_{v.value}": "above" for v in BehaviourValue}
    saved = client.post(f"/kinerja/pegawai/{w.e1.pk}/{Q}/nilai/?unit={w.root.pk}", {**form, "finalise": "1"})
    assert saved.status_code == 302 and saved["Location"] == f"/kinerja/pegawai/{w.e1.pk}/{Q}/?unit={w.root.pk}"
    a = Assessment.objects.get()
    assert (a.predikat, a.cadence, a.period) == ("baik", "quarterly", dt.date(2026, 10, 1))
    unit = client.get(f"/kinerja/unit/{w.root.pk}/{Q}/").content.decode()
    assert "Baik" in unit
    client.force_login(w.e1.user)
    mine = client.get("/kinerja/").content.decode()
    assert f"/kinerja/pegawai/{w.e1.pk}/{Q}/" in mine
    assert client.get("/kinerja/?periode=2026-11").status_code == 200  # a month's key: this quarter


def test_the_export_names_the_quarter(client, quarterly):
    w = quarterly
    services.log_create(actor=fresh(w.e1.user), data=services.LogInput(date=dt.date(2026, 10, 5), description="Oktober", quantity=1, minutes=60))
    services.log_create(actor=fresh(w.e1.user), data=services.LogInput(date=dt.date(2026, 12, 14), description="Desember", quantity=1, minutes=60))
    client.force_login(w.head_root.user)
    response = client.get(f"/kinerja/unit/{w.root.pk}/{Q}/ekspor.xlsx")
    assert response.status_code == 200 and f"-{Q}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    daily = [row[6] for row in book["Laporan Harian"].iter_rows(min_row=2, values_only=True)]
    assert "Oktober" in daily and "Desember" in daily
    periods = {row[2] for row in book["Penilaian Periode"].iter_rows(min_row=2, values_only=True)}
    assert periods == {Q}
    api_export = api(client, w.e1.user, "get", f"/api/v1/performance/exports/employees/{w.e1.pk}/{Q}.xlsx")
    assert api_export.status_code == 200 and f"-{Q}.xlsx" in api_export["Content-Disposition"]
    assert api(client, w.e1.user, "get", f"/api/v1/performance/exports/employees/{w.e1.pk}/2026-10.xlsx").status_code == 422


def test_a_monthly_agency_keeps_exact_monthly_keys(client, world):
    wrong = api(client, world.e1.user, "get", f"/api/v1/performance/periods/{world.e1.pk}/{Q}")
    assert wrong.status_code == 422 and wrong.json()["details"]["period"] == "2026-10"
    assert "per bulan" in wrong.json()["message"]
    body = api(client, world.e1.user, "get", f"/api/v1/performance/periods/{world.e1.pk}/2026-12").json()
    assert body["cadence"] == "monthly" and (body["previous_period"], body["next_period"]) == ("2026-11", "2027-01")
    assert api(client, world.e1.user, "get", f"/api/v1/performance/periods/{world.e1.pk}/2026-1").status_code == 422


def _unit_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.head_root.user)
    with django_assert_max_num_queries(25) as captured:
        response = client.get(f"/kinerja/unit/{world.root.pk}/{Q}/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_quarters_unit_view_does_not_grow_with_people(client, quarterly, django_assert_max_num_queries):
    w = quarterly
    _unit_queries(client, w, django_assert_max_num_queries)  # mirrors the request's outputs once
    few = _unit_queries(client, w, django_assert_max_num_queries)
    for i in range(8):
        employee = EmployeeFactory(unit=w.child)
        for day in (dt.date(2026, 10, 1), dt.date(2026, 11, 2), dt.date(2026, 12, 1)):
            services.log_create(actor=fresh(employee.user), data=services.LogInput(date=day, description=f"k{i}", quantity=1, minutes=30))
    assert _unit_queries(client, w, django_assert_max_num_queries) == few


def test_a_cadence_change_committed_meanwhile_refuses_a_stale_save(world, monkeypatch):
    """The head read the period as a month; HR switched to quarters before the save locked
    the agency's settings row: the save is refused, nothing is stored."""
    from fleksi.core.errors import ApplicationError
    from fleksi.performance.periods import month_period

    services.settings_update(actor=fresh(world.hr), agency_id=world.e1.agency.pk,
                             log_required_before_check_out=True, cadence="quarterly")
    monkeypatch.setattr(services, "_period_of", lambda employee, period: month_period(dt.date(2026, 12, 1)))
    with pytest.raises(ApplicationError) as refused:
        services.assessment_save(actor=fresh(world.head_child.user), employee_id=world.e1.pk, period="2026-12",
                                 data=services.AssessmentInput(output_ratings={}, behaviour_ratings={}))
    assert refused.value.code == "invalid_state" and "baru saja berubah" in refused.value.message
    assert not Assessment.objects.exists()
