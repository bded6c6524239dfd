"""POST /api/v1/attendance/check-ins exactly as issue 8 writes it."""

from __future__ import annotations

import json
import uuid

import pytest

from fleksi.attendance.models import CheckIn, DailyRecord
from tests.factories import UserFactory

from .conftest import bearer, body

URL = "/api/v1/attendance/check-ins"
pytestmark = pytest.mark.django_db


def post(client, user, data, **extra):
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, raw, content_type="application/json", **bearer(user), **extra)


def test_check_in_is_created_with_the_stored_record(client, world):
    response = post(client, world.e1.user, body())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == {"id", "kind", "location", "client_time", "server_time", "work_date", "flags"}
    assert data["kind"] == "in" and data["location"] == "kantor"
    assert data["work_date"] == "2026-12-01"
    assert data["flags"] == []
    stored = CheckIn.objects.get()
    assert stored.employee == world.e1 and stored.agency_id == world.e1.agency_id
    assert str(stored.latitude) == "-6.2000" and str(stored.longitude) == "106.8167"  # ~10 m
    record = DailyRecord.objects.get()
    assert record.status == "present_office" and record.first_in == stored.client_time


def test_same_key_same_body_is_200_with_the_same_record_and_nothing_new(client, world):
    data = body()
    first = post(client, world.e1.user, data)
    again = post(client, world.e1.user, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1
    assert DailyRecord.objects.get().check_in_count == 1


def test_same_key_other_body_is_409_with_the_error_shape(client, world):
    data = body()
    post(client, world.e1.user, data)
    response = post(client, world.e1.user, {**data, "location": "rumah"})
    assert response.status_code == 409
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == "conflict"
    assert CheckIn.objects.count() == 1


def test_the_same_key_of_two_employees_is_two_check_ins(client, world):
    key = str(uuid.uuid4())
    assert post(client, world.e1.user, body(idempotency_key=key)).status_code == 201
    assert post(client, world.e2.user, body(idempotency_key=key)).status_code == 201


def test_the_employee_is_the_tokens_own_and_cannot_be_set(client, world):
    response = post(client, world.e1.user, body(employee_id=world.e2.pk, employee=world.e2.pk))
    assert response.status_code == 201
    assert CheckIn.objects.get().employee == world.e1


def test_a_user_without_an_employee_gets_403(client, world):
    response = post(client, UserFactory(), body())
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not CheckIn.objects.exists()


def test_without_authentication_401(client, world):
    response = client.post(URL, json.dumps(body()), content_type="application/json")
    assert response.status_code == 401
    assert not CheckIn.objects.exists()


BAD = {
    "missing time": body(client_time=...),
    "malformed time": body(client_time="kemarin pagi"),
    "time without zone": body(client_time="2026-12-01T07:31:00"),
    "time as a number": body(client_time=1764549060),
    "over 10 minutes in the future": body(client_time="2026-12-01T07:46:00+07:00"),
    "latitude out of range": body(latitude=-91),
    "longitude out of range": body(longitude=181),
    "latitude not a number": body(latitude="-6.2"),
    "latitude without longitude": body(longitude=...),
    "unknown kind": body(kind="istirahat"),
    "unknown location": body(location="kafe"),
    "missing key": body(idempotency_key=...),
    "malformed key": body(idempotency_key="123"),
    "negative accuracy": body(accuracy_m=-5),
    "note too long": body(note="x" * 501),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_422_with_the_error_shape_and_nothing_stored(client, world, case):
    response = post(client, world.e1.user, BAD[case])
    assert response.status_code == 422, response.content
    data = response.json()
    assert set(data) == {"code", "message", "details"} and data["code"] == "validation_error"
    assert not CheckIn.objects.exists() and not DailyRecord.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "", json.dumps(body(note="x" * 4100))])
def test_malformed_or_oversized_body_is_422_and_nothing_stored(client, world, raw):
    response = post(client, world.e1.user, raw)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "details"}
    assert not CheckIn.objects.exists()


FORM_BODIES = {
    "urlencoded": ("kind=in&location=kantor", "application/x-www-form-urlencoded"),
    "multipart": (None, None),  # the test client's default: multipart/form-data
    "broken multipart": ("--zz\r\ngarbage", "multipart/form-data; boundary=zz"),
}


@pytest.mark.parametrize("form", list(FORM_BODIES))
def test_a_form_body_is_422_in_the_error_shape_and_nothing_stored(client, world, form):
    """The NUL guard has read the form, so the body is gone: the API's handler answers 422."""
    raw, content_type = FORM_BODIES[form]
    if raw is None:
        response = client.post(URL, {"kind": "in", "location": "kantor"}, **bearer(world.e1.user))
    else:
        response = client.post(URL, raw, content_type=content_type, **bearer(world.e1.user))
    assert response.status_code == 422, response.content
    data = response.json()
    assert set(data) == {"code", "message", "details"} and data["code"] == "validation_error"
    assert not CheckIn.objects.exists()


def test_nine_minutes_in_the_future_is_accepted_and_flagged_as_clock_skew(client, world):
    response = post(client, world.e1.user, body(client_time="2026-12-01T07:44:00+07:00"))
    assert response.status_code == 201
    assert "clock_skew" in response.json()["flags"]
