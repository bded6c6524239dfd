"""Evaluation reports through the real job queue: enqueue on commit, the database backend,
the worker run in-process (``db_worker --batch``), progress and the file."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from fleksi.monitoring.models import EvaluationReport

from .world import FROM, TO

URL = "/api/v1/monitoring/reports"


def start(client, user, django_capture_on_commit_callbacks, **body):
    client.force_login(user)
    body = {"scope": "agency", "from": FROM.isoformat(), "to": TO.isoformat(), "format": "pdf", **body}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, json.dumps(body), content_type="application/json")


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_pdf_report_is_generated_by_the_worker(client, mworld, media, django_capture_on_commit_callbacks):
    response = start(
        client, mworld.hr, django_capture_on_commit_callbacks,
        conclusions="Layanan tetap berjalan baik.", recommendations="Tambah pelatihan TIK.",
    )
    assert response.status_code == 202, response.content
    report = response.json()
    assert report["status"] == "queued" and report["file_url"] is None
    assert EvaluationReport.objects.get(pk=report["id"]).task_id
    run_worker()
    progress = client.get(f"{URL}/{report['id']}").json()
    assert progress["status"] == "done" and progress["progress"] == 100, progress
    pdf = client.get(progress["file_url"])
    assert pdf.status_code == 200
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert mworld.agency.name in text
    assert "Layanan tetap berjalan baik." in text
    assert "LOCATION_MAX_DAYS_PER_WEEK" in text
    saved = EvaluationReport.objects.get(pk=report["id"])
    assert saved.created_by == mworld.hr and saved.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_xlsx_report_of_a_unit(client, mworld, media, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    response = start(client, mworld.head.user, django_capture_on_commit_callbacks, scope="unit", format="xlsx")
    assert response.status_code == 202, response.content
    run_worker()
    progress = client.get(f"{URL}/{response.json()['id']}").json()
    assert progress["status"] == "done", progress
    content = b"".join(client.get(progress["file_url"]).streaming_content)
    book = load_workbook(io.BytesIO(content), read_only=True)
    cover = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert any(mworld.unit.name in [str(c) for c in row] for row in cover)
    assert len(book.worksheets) > 5


@pytest.mark.django_db
def test_report_scoping(client, mworld, django_capture_on_commit_callbacks, media):
    response = start(client, mworld.hr, django_capture_on_commit_callbacks)
    report_id = response.json()["id"]
    client.force_login(mworld.other_hr)
    assert client.get(f"{URL}/{report_id}").status_code == 404
    assert client.get(f"{URL}/{report_id}/file").status_code == 404
    client.force_login(mworld.head.user)  # a unit head does not see the agency's report
    assert client.get(f"{URL}/{report_id}").status_code == 404
    client.force_login(mworld.hr)
    assert client.get(f"{URL}/{report_id}/file").status_code == 409  # not generated yet
    assert start(client, mworld.other_hr, django_capture_on_commit_callbacks, id=mworld.agency.pk).status_code == 404
    assert start(client, mworld.monitor, django_capture_on_commit_callbacks, scope="national").status_code == 422
    bad = start(client, mworld.hr, django_capture_on_commit_callbacks, format="doc")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "details"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ("scope=agency&format=pdf", "application/x-www-form-urlencoded"),
        (None, None),  # the test client's default: multipart/form-data
        ("--zz\r\ngarbage", "multipart/form-data; boundary=zz"),  # a broken form
    ],
)
def test_a_form_body_is_422_in_the_error_shape_and_no_report(client, mworld, raw, content_type):
    """The NUL guard has read the form, so the body is gone: the API's handler answers 422."""
    client.force_login(mworld.hr)
    if raw is None:
        response = client.post(URL, {"scope": "agency", "format": "pdf"})
    else:
        response = client.post(URL, raw, content_type=content_type)
    assert response.status_code == 422, response.content
    data = response.json()
    assert set(data) == {"code", "message", "details"} and data["code"] == "validation_error"
    assert not EvaluationReport.objects.exists()
