"""The performance API: the log contract, bad input (nothing stored), outputs, feedback,
the assessment (finalise, immutable, corrections as versions), the response."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fleksi.audit.models import AuditEvent
from fleksi.notifications.models import Notification
from fleksi.performance.models import Assessment, LogComment, LogEntry, PlannedOutput
from fleksi.policy.rating import BehaviourValue

from .conftest import PERIOD, TODAY, bearer, log_body

pytestmark = pytest.mark.django_db

LOGS = "/api/v1/performance/logs"


def post(client, user, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json", **bearer(user))


def put(client, user, url, data):
    return client.put(url, data=json.dumps(data), content_type="application/json", **bearer(user))


def outputs_of(client, world):
    body = client.get(f"/api/v1/performance/periods/{world.e1.pk}/{PERIOD}", **bearer(world.e1.user)).json()
    return body["outputs"]


def test_log_create_contract(client, world):
    outputs = outputs_of(client, world)
    assert [o["description"] for o in outputs] == ["Naskah kajian kebijakan", "Telaah staf"]
    response = post(client, world.e1.user, LOGS, log_body(planned_output_id=outputs[1]["id"]))
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["employee_id"] == world.e1.pk and entry["date"] == TODAY.isoformat()
    assert entry["planned_output_id"] == outputs[1]["id"] and entry["minutes"] == 120
    assert float(entry["quantity"]) == 1 and entry["evidence_url"] == "https://drive.example.go.id/bab2"
    listed = client.get(f"{LOGS}?from=2026-12-01&to=2026-12-31", **bearer(world.e1.user)).json()
    assert [e["id"] for e in listed] == [entry["id"]]
    period = client.get(f"/api/v1/performance/periods/{world.e1.pk}/{PERIOD}", **bearer(world.e1.user)).json()
    assert float(period["outputs"][1]["realised"]) == 1
    assert period["missing_days"] == ["2026-12-08", "2026-12-10"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": -1}, "quantity"),
        ({"date": (TODAY + dt.timedelta(days=1)).isoformat()}, "date"),
        ({"minutes": 0}, "minutes"),
        ({"description": "  "}, "description"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
    ],
)
def test_bad_log_input_is_refused_and_nothing_stored(client, world, overrides, field):
    response = post(client, world.e1.user, LOGS, log_body(**overrides))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and field in body["details"]["fields"]
    assert body["message"]
    assert not LogEntry.objects.exists()


def test_a_log_for_another_employees_output_is_refused(client, world):
    outputs = outputs_of(client, world)
    response = post(client, world.e2.user, LOGS, log_body(planned_output_id=outputs[0]["id"]))
    assert response.status_code == 422
    assert "planned_output_id" in response.json()["details"]["fields"]
    assert not LogEntry.objects.exists()


def test_the_author_is_always_the_tokens_employee(client, world):
    response = post(client, world.head_child.user, LOGS, log_body())
    assert response.status_code == 201
    assert response.json()["employee_id"] == world.head_child.pk


def test_an_added_output_counts_once_the_head_agrees(client, world):
    response = post(client, world.e1.user, "/api/v1/performance/outputs", {
        "description": "Infografis layanan", "target_quantity": 2, "unit": "infografis", "due_date": "2026-12-20",
    })
    assert response.status_code == 201 and response.json()["state"] == "proposed"
    output_id = response.json()["id"]
    refused = post(client, world.e1.user, LOGS, log_body(planned_output_id=output_id))
    assert refused.status_code == 422
    assert post(client, world.e1.user, f"/api/v1/performance/outputs/{output_id}/agree", {}).status_code == 403
    assert post(client, world.other.user, f"/api/v1/performance/outputs/{output_id}/agree", {}).status_code == 404
    agreed = post(client, world.head_child.user, f"/api/v1/performance/outputs/{output_id}/agree", {})
    assert agreed.status_code == 200 and agreed.json()["state"] == "agreed"
    assert post(client, world.e1.user, LOGS, log_body(planned_output_id=output_id)).status_code == 201
    assert Notification.objects.filter(user=world.e1.user, kind="performance_output_decided").exists()


def test_feedback_and_reply_notify(client, world):
    entry = post(client, world.e1.user, LOGS, log_body()).json()
    url = f"{LOGS}/{entry['id']}/comments"
    assert post(client, world.e2.user, url, {"body": "?"}).status_code == 404
    assert post(client, world.hr, url, {"body": "catatan"}).status_code == 403
    head = post(client, world.head_root.user, url, {"body": "Lampirkan drafnya."})
    assert head.status_code == 201 and head.json()["by_employee"] is False
    assert Notification.objects.filter(user=world.e1.user, kind="performance_feedback").count() == 1
    reply = post(client, world.e1.user, url, {"body": "Sudah saya lampirkan."})
    assert reply.status_code == 201 and reply.json()["by_employee"] is True
    assert Notification.objects.filter(user=world.head_root.user, kind="performance_reply").count() == 1
    assert not Notification.objects.filter(user=world.head_child.user, kind="performance_reply").exists()
    assert LogComment.objects.count() == 2


def all_behaviours(value="meets"):
    return {v.value: value for v in BehaviourValue}


def test_assessment_flow_rating_immutability_and_versions(client, world):
    outputs = outputs_of(client, world)
    post(client, world.e1.user, LOGS, log_body(planned_output_id=outputs[0]["id"]))
    url = f"/api/v1/performance/assessments/{world.e1.pk}/{PERIOD}"
    assert client.get(url, **bearer(world.e1.user)).json()["assessment"] is None
    # the employee cannot assess themself; another unit's head sees nothing
    assert put(client, world.e1.user, url, {"output_ratings": {}}).status_code == 403
    assert put(client, world.other.user, url, {"output_ratings": {}}).status_code == 404
    # one output unrated: cannot finalise
    draft = put(client, world.head_child.user, url, {
        "output_ratings": {str(outputs[0]["id"]): "above"}, "behaviour_ratings": all_behaviours("above"),
        "feedback": "Bagus.",
    })
    assert draft.status_code == 200 and draft.json()["state"] == "draft"
    refused = post(client, world.head_child.user, f"{url}/finalise", {})
    assert refused.status_code == 422 and refused.json()["details"]["unrated"] == ["Telaah staf"]
    # all rated: the matrix says Sangat Baik
    put(client, world.head_child.user, url, {
        "output_ratings": {str(outputs[0]["id"]): "above", str(outputs[1]["id"]): "above"},
        "behaviour_ratings": all_behaviours("above"), "feedback": "Bagus.",
    })
    final = post(client, world.head_child.user, f"{url}/finalise", {})
    assert final.status_code == 200, final.content
    assert final.json()["predikat"] == "sangat_baik" and final.json()["predikat_label"] == "Sangat Baik"
    assert Notification.objects.filter(user=world.e1.user, kind="performance_assessed").exists()
    # the log of a finalised period is locked
    entry_id = LogEntry.objects.get().pk
    locked = put(client, world.e1.user, f"{LOGS}/{entry_id}", log_body(description="ubah"))
    assert locked.status_code == 409
    assert post(client, world.e1.user, LOGS, log_body()).status_code == 409
    # the employee responds
    responded = post(client, world.e1.user, f"{url}/response", {"response": "Terima kasih."})
    assert responded.status_code == 200 and responded.json()["response"] == "Terima kasih."
    # a correction is a new version; version 1 stays final and unchanged
    corrected = put(client, world.head_root.user, url, {
        "output_ratings": {str(outputs[0]["id"]): "meets", str(outputs[1]["id"]): "below"},
        "behaviour_ratings": all_behaviours("meets"),
    })
    assert corrected.json()["version"] == 2 and corrected.json()["state"] == "draft"
    v1 = Assessment.objects.get(version=1)
    assert v1.state == "final" and v1.predikat == "sangat_baik" and v1.response == "Terima kasih."
    body = client.get(url, **bearer(world.e1.user)).json()
    assert [v["version"] for v in body["versions"]] == [2, 1]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"performance.assessment_finalise", "performance.assessment_respond", "performance.assessment_save"} <= actions


def test_a_period_without_outputs_cannot_be_finalised(client, world):
    url = f"/api/v1/performance/assessments/{world.e2.pk}/{PERIOD}"
    put(client, world.head_root.user, url, {"behaviour_ratings": all_behaviours()})
    response = post(client, world.head_root.user, f"{url}/finalise", {})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_bad_ratings_are_refused(client, world):
    url = f"/api/v1/performance/assessments/{world.e1.pk}/{PERIOD}"
    bad = put(client, world.head_child.user, url, {"behaviour_ratings": {"akuntabel": "great"}})
    assert bad.status_code == 422
    unknown = put(client, world.head_child.user, url, {"output_ratings": {"999999": "meets"}})
    assert unknown.status_code == 422
    period = put(client, world.head_child.user, f"/api/v1/performance/assessments/{world.e1.pk}/2026-13", {})
    assert period.status_code == 422
    assert not Assessment.objects.exists()
    assert PlannedOutput.objects.count() == 2  # the mirrored request outputs only


def test_list_endpoints_pin_their_query_counts(client, world, django_assert_max_num_queries):
    from fleksi.performance import services

    from .conftest import fresh

    headers = bearer(world.head_root.user)
    for day in range(1, 16):
        services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=dt.date(2026, 12, day), description="k", quantity=1, minutes=30))
    client.get(f"/api/v1/performance/units/{world.root.pk}/{PERIOD}", **headers)  # mirrors once
    with django_assert_max_num_queries(12):
        assert len(client.get(f"{LOGS}?from=2026-12-01&to=2026-12-31&employee_id={world.e1.pk}", **headers).json()) == 15
    with django_assert_max_num_queries(16):
        assert client.get(f"/api/v1/performance/units/{world.root.pk}/{PERIOD}", **headers).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/api/v1/performance/periods/{world.e1.pk}/{PERIOD}", **headers).status_code == 200


def test_only_the_author_edits_or_deletes_an_entry(client, world):
    entry = post(client, world.e1.user, LOGS, log_body()).json()
    url = f"{LOGS}/{entry['id']}"
    assert put(client, world.e2.user, url, log_body(description="x")).status_code == 404
    assert put(client, world.head_child.user, url, log_body(description="x")).status_code == 403
    changed = put(client, world.e1.user, url, log_body(description="Bab 2 selesai", quantity=2))
    assert changed.status_code == 200 and changed.json()["description"] == "Bab 2 selesai"
    assert client.delete(url, **bearer(world.head_root.user)).status_code == 403
    assert client.delete(url, **bearer(world.e1.user)).status_code == 204
    assert not LogEntry.objects.exists()
