"""The demo's monitoring data (through the services) reaches its dashboards; `fleksi worker
--batch` runs the queue's waiting tasks and stops."""

from __future__ import annotations

import json

import pytest

from fleksi import cli, demo
from fleksi.monitoring.models import EvaluationReport, ReadinessReport, ServiceIndex
from fleksi.organisation.models import Agency, AgencyRole
from tests.workflow.helpers import TODAY


@pytest.mark.django_db
def test_demo_dashboards_show_service_and_readiness(client, settings, tmp_path, fixed_clock):
    settings.MEDIA_ROOT = tmp_path
    fixed_clock(TODAY)
    assert demo.load_demo() is True
    agency = Agency.objects.get(code=demo.AGENCY_CODE)
    assert ServiceIndex.objects.filter(agency=agency).count() > 10
    assert ReadinessReport.objects.filter(agency=agency).count() > 10
    hr = AgencyRole.objects.filter(agency=agency, role="hr_admin").first().user
    client.force_login(hr)
    data = client.get("/api/v1/monitoring/summary", {"scope": "agency"}).json()
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    assert tables["service"]["rows"] and tables["readiness"]["rows"]
    assert tables["requests"]["rows"]
    assert client.get("/pemantauan/", {"scope": "agency"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_fleksi_worker_batch_runs_waiting_tasks(client, settings, tmp_path, django_capture_on_commit_callbacks):
    from tests.monitoring.world import FROM, TO, build_world

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client.force_login(world.hr)
    body = {"scope": "agency", "from": FROM.isoformat(), "to": TO.isoformat(), "format": "xlsx"}
    with django_capture_on_commit_callbacks(execute=True):
        report_id = client.post("/api/v1/monitoring/reports", json.dumps(body), content_type="application/json").json()["id"]
    assert cli.main(["worker", "--batch"]) == 0
    assert EvaluationReport.objects.get(pk=report_id).status == "done"
