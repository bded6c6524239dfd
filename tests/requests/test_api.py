"""The flexible-work API: every endpoint is 401 anonymous, 404 for another unit or agency."""

from __future__ import annotations

import json

import pytest

from fleksi.accounts.services import api_token_create
from fleksi.requests.models import FlexRequest
from fleksi.schedules.models import ArrangementDay
from tests.workflow.helpers import W48, approved, counts, fresh, submitted

pytestmark = pytest.mark.django_db

BODY = {
    "start_date": W48[0].isoformat(),
    "end_date": W48[1].isoformat(),
    "location_kind": "rumah",
    "schedule_mode": "dates",
    "dates": [W48[0].isoformat(), W48[1].isoformat()],
    "reason": "Menyusun laporan.",
    "work_plan": "Bab 1-3.",
    "outputs": [{"description": "Draf laporan", "target_quantity": "1", "unit": "dokumen"}],
}


def bearer(user) -> dict[str, str]:
    user = fresh(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='uji').plaintext}"}


def call(client, method: str, path: str, user=None, body=None):
    headers = bearer(user) if user is not None else {}
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", **headers)


# (method, path, body) for a request id; {id} is e1's submitted request.
REQUEST_ENDPOINTS = [
    ("get", "/api/v1/requests/{id}", None),
    ("put", "/api/v1/requests/{id}", BODY),
    ("post", "/api/v1/requests/{id}/submit", None),
    ("post", "/api/v1/requests/{id}/approve", {"note": ""}),
    ("post", "/api/v1/requests/{id}/reject", {"reason": "Tidak."}),
    ("post", "/api/v1/requests/{id}/return", {"reason": "Perbaiki."}),
    ("post", "/api/v1/requests/{id}/cancel", {"reason": ""}),
    ("post", "/api/v1/requests/{id}/revoke", {"reason": "Cabut."}),
    ("post", "/api/v1/requests/check?request_id={id}", BODY),
]
OTHER_ENDPOINTS = [
    ("post", "/api/v1/requests", BODY),
    ("post", "/api/v1/requests/check", BODY),
    ("get", "/api/v1/requests/mine", None),
    ("get", "/api/v1/inbox", None),
    ("post", "/api/v1/requests/bulk-approve", {"request_ids": [1]}),
    ("get", "/api/v1/units/{unit}/calendar?week=2026-W48", None),
    ("get", "/api/v1/notifications", None),
    ("post", "/api/v1/notifications/read", {"id": None}),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUEST_ENDPOINTS + OTHER_ENDPOINTS)
def test_anonymous_gets_401(client, world, method, path, body):
    request = submitted(world.e1, W48[0])
    response = call(client, method, path.format(id=request.pk, unit=world.unit.pk), None, body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(("method", "path", "body"), REQUEST_ENDPOINTS)
@pytest.mark.parametrize("outsider", ["head_sibling", "ev", "foreign_head", "foreign_hr"])
def test_other_unit_or_agency_gets_404_and_nothing_changes(client, world, method, path, body, outsider):
    request = submitted(world.e1, W48[0])
    person = getattr(world, outsider)
    user = person if outsider == "foreign_hr" else person.user
    before = counts()
    response = call(client, method, path.format(id=request.pk), user, body)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    after = counts()
    after["audit"] -= 1  # the API token created for the call
    assert after == before


@pytest.mark.parametrize("outsider", ["head_sibling", "ev", "foreign_head", "foreign_hr"])
def test_unit_calendar_of_another_unit_or_agency_is_404(client, world, outsider):
    person = getattr(world, outsider)
    user = person if outsider == "foreign_hr" else person.user
    response = call(client, "get", f"/api/v1/units/{world.unit.pk}/calendar?week=2026-W48", user)
    assert response.status_code == 404


def test_lists_of_outsiders_are_empty(client, world):
    request = submitted(world.e1, W48[0])
    for person in (world.head_sibling, world.foreign_head, world.e2):
        assert call(client, "get", "/api/v1/inbox", person.user).json()["items"] == []
        assert call(client, "get", "/api/v1/requests/mine", person.user).json()["items"] == []
    response = call(client, "post", "/api/v1/requests/bulk-approve", world.foreign_head.user, {"request_ids": [request.pk]})
    assert response.json() == [{"request_id": request.pk, "ok": False, "code": "not_found", "message": "Pengajuan tidak ditemukan."}]
    assert FlexRequest.objects.get(pk=request.pk).state == "submitted"


def test_full_flow_over_the_api(client, world):
    created = call(client, "post", "/api/v1/requests", world.e1.user, BODY)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["state"] == "draft" and data["dates"] == BODY["dates"] and data["findings"] == []
    request_id = data["id"]
    changed = call(client, "put", f"/api/v1/requests/{request_id}", world.e1.user, {**BODY, "reason": "Alasan baru."})
    assert changed.json()["reason"] == "Alasan baru."
    submitted_ = call(client, "post", f"/api/v1/requests/{request_id}/submit", world.e1.user)
    assert submitted_.json()["state"] == "submitted"
    inbox = call(client, "get", "/api/v1/inbox", world.head.user).json()
    assert [r["id"] for r in inbox["items"]] == [request_id] and inbox["items"][0]["can_decide"] is True
    approved_ = call(client, "post", f"/api/v1/requests/{request_id}/approve", world.head.user, {"note": "Setuju."})
    assert approved_.status_code == 200 and approved_.json()["state"] == "approved"
    assert ArrangementDay.objects.filter(request_id=request_id, active=True).count() == 2
    detail = call(client, "get", f"/api/v1/requests/{request_id}", world.e1.user).json()
    assert [t["to_state"] for t in detail["transitions"]] == ["draft", "draft", "submitted", "approved"]
    calendar = call(client, "get", f"/api/v1/units/{world.unit.pk}/calendar?week=2026-W48", world.head.user).json()
    assert calendar["week"] == "2026-W48" and len(calendar["days"]) == 7
    row = next(r for r in calendar["rows"] if r["employee_id"] == world.e1.pk)
    assert [c["location_kind"] for c in row["cells"][:3]] == ["rumah", "rumah", "kantor"]
    notes = call(client, "get", "/api/v1/notifications", world.e1.user).json()
    assert notes["unread"] == 1 and notes["items"][0]["kind"] == "request_approved"
    assert call(client, "post", "/api/v1/notifications/read", world.e1.user, {}).json() == {"marked": 1}
    cancelled = call(client, "post", f"/api/v1/requests/{request_id}/cancel", world.e1.user, {"reason": "Batal"})
    assert cancelled.json()["state"] == "cancelled"


def test_errors_have_the_one_shape(client, world):
    # validation: dates in the past, in Indonesian, with the field
    bad = {**BODY, "start_date": "2026-11-01", "dates": ["2026-11-02"]}
    response = call(client, "post", "/api/v1/requests", world.e1.user, bad)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and "start_date" in body["details"]["fields"]
    assert "sudah lewat" in body["details"]["fields"]["start_date"]
    # tampered employee: 404, nothing created
    before = FlexRequest.objects.count()
    response = call(client, "post", "/api/v1/requests", world.e1.user, {**BODY, "employee_id": world.e2.pk})
    assert response.status_code == 404 and FlexRequest.objects.count() == before
    # policy violation on submit carries the findings with code and basis
    approved(world.e1, world.head, W48[0], W48[1])
    draft = call(client, "post", "/api/v1/requests", world.e1.user, {**BODY, "start_date": W48[2].isoformat(),
                                                                       "end_date": W48[2].isoformat(), "dates": [W48[2].isoformat()]})
    response = call(client, "post", f"/api/v1/requests/{draft.json()['id']}/submit", world.e1.user)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "policy_violation"
    assert body["details"]["findings"][0]["code"] == "LOCATION_MAX_DAYS_PER_WEEK"
    assert body["details"]["findings"][0]["basis"] == "PermenPANRB 4/2025 Pasal 13 ayat (1)"
    # reason required
    request = submitted(world.e2, W48[3])
    response = call(client, "post", f"/api/v1/requests/{request.pk}/reject", world.head.user, {"reason": " "})
    assert response.status_code == 422 and "reason" in response.json()["details"]["fields"]
    # bad week
    response = call(client, "get", f"/api/v1/units/{world.unit.pk}/calendar?week=kemarin", world.head.user)
    assert response.status_code == 422


def test_live_check_endpoint(client, world):
    approved(world.e1, world.head, W48[0], W48[1])
    response = call(client, "post", "/api/v1/requests/check", world.e1.user,
                    {**BODY, "start_date": W48[2].isoformat(), "end_date": W48[2].isoformat(), "dates": [W48[2].isoformat()]})
    data = response.json()
    assert response.status_code == 200 and data["has_errors"] is True and data["dates"] == [W48[2].isoformat()]
    assert data["findings"][0]["code"] == "LOCATION_MAX_DAYS_PER_WEEK" and data["findings"][0]["title"]


def test_bulk_approve_endpoint(client, world):
    a = submitted(world.e1, W48[0])
    b = submitted(world.e2, W48[0])
    response = call(client, "post", "/api/v1/requests/bulk-approve", world.head.user, {"request_ids": [a.pk, b.pk]})
    assert [r["ok"] for r in response.json()] == [True, True]


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/requests", "/api/v1/requests/check", "/api/v1/requests/{request_id}/approve",
                 "/api/v1/requests/bulk-approve", "/api/v1/inbox", "/api/v1/units/{unit_id}/calendar",
                 "/api/v1/notifications", "/api/v1/notifications/read", "/api/v1/requests/mine"):
        assert path in schema["paths"], path
