"""The API's answers without credentials, with a session but no CSRF token, the documented
error responses, and the permission check before an upload is read."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client

from fleksi.requests import services as request_services
from fleksi.requests.models import Evidence
from tests.factories import PASSWORD
from tests.requests.test_api import bearer
from tests.workflow import fixtures as workflow_fixtures
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db

world = workflow_fixtures.world
fixed_clock = workflow_fixtures.fixed_clock

ERROR_STATUSES = {"401", "403", "404", "409", "422"}


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def operations(schema, *, writes_only=False):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if writes_only and method == "get":
                continue
            yield path, method, op


def concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_unauthenticated_write_answers_401_not_a_csrf_403(schema):
    client = Client(enforce_csrf_checks=True)
    writes = list(operations(schema, writes_only=True))
    assert len(writes) >= 10
    for path, method, _op in writes:
        response = getattr(client, method)(concrete(path), data={}, content_type="application/json")
        assert response.status_code == 401, (method, path, response.content)
        body = response.json()
        assert body["code"] == "unauthenticated" and set(body) == {"code", "message", "details"}


def test_a_session_without_the_csrf_token_is_refused_in_the_error_shape(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world.e1.user.username, password=PASSWORD)
    response = client.post("/api/v1/requests/check", data={}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]
    # with the token of the session the request gets through (to validation of the body)
    client.get("/akun/saya/")
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/requests/check", data={}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 422


def test_the_schema_documents_the_error_responses_on_every_operation(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "details"}
    ops = list(operations(schema))
    assert len(ops) >= 15
    for path, method, op in ops:
        responses = op["responses"]
        assert set(responses) >= ERROR_STATUSES, (method, path, sorted(responses))
        for status in ERROR_STATUSES:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error"


def test_the_evidence_upload_is_documented_as_multipart(schema):
    body = schema["paths"]["/api/v1/requests/{request_id}/evidence"]["post"]["requestBody"]
    assert body["content"]["multipart/form-data"]["schema"]["required"] == ["file"]


class CountingHandler(MemoryFileUploadHandler):
    """Counts every upload Django starts to read."""

    started: list[str] = []

    def new_file(self, field_name, *args, **kwargs):
        CountingHandler.started.append(field_name)
        return super().new_file(field_name, *args, **kwargs)


@pytest.fixture
def counting(settings):
    CountingHandler.started = []
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.CountingHandler"]
    return CountingHandler.started


def test_the_permission_check_runs_before_the_upload_is_read(client, world, counting):
    special = request_services.request_create(
        actor=fresh(world.e1.user), data=request_data(W48[0], is_special=True, special_description="Merawat anak sakit")
    )
    url = f"/api/v1/requests/{special.pk}/evidence"
    pdf = b"%PDF-1.7\n%%EOF\n"
    for intruder in (world.e2.user, world.foreign.user, world.head.user):
        response = client.post(url, {"file": SimpleUploadedFile("x.pdf", pdf)}, **bearer(intruder))
        assert response.status_code in (403, 404), response.content
    assert counting == []  # not one byte of the intruders' files was parsed
    response = client.post(url, {"file": SimpleUploadedFile("x.pdf", pdf)}, **bearer(world.e1.user))
    assert response.status_code == 200, response.content
    assert counting == ["file"]
    missing = client.post(url, {}, **bearer(world.e1.user))
    assert missing.status_code == 422 and missing.json()["details"]["fields"]["file"]
    assert Evidence.objects.count() == 1


def test_an_upload_to_someone_elses_request_is_not_found_for_a_session_too(world):
    client = Client()
    client.force_login(world.foreign.user)
    response = client.post("/api/v1/requests/999999/evidence", {"file": SimpleUploadedFile("x.pdf", b"%PDF-")})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_nul_in_the_upload_form_is_still_refused_after_the_permission_check(client, world, counting):
    special = request_services.request_create(
        actor=fresh(world.e1.user), data=request_data(W48[0], is_special=True, special_description="Merawat anak sakit")
    )
    url = f"/api/v1/requests/{special.pk}/evidence"
    def upload():
        return {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n"), "catatan": "a\x00b"}

    assert client.post(url, upload(), **bearer(world.e2.user)).status_code == 404
    assert counting == []
    response = client.post(url, upload(), **bearer(world.e1.user))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input" and response.json()["details"]["where"] == "form"
    assert Evidence.objects.count() == 0
