"""A daily log's evidence files are removed only when the log's deletion commits: a deletion
rolled back (a later error in the same transaction) keeps both the rows and the files, so
an evidence row never points at a missing file. Found by the permission matrix, whose probes
run in savepoints that are rolled back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from fleksi.performance import services
from fleksi.performance.models import LogEvidence
from tests.workflow.fixtures import fixed_clock, world  # noqa: F401
from tests.workflow.helpers import fresh

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _entry_with_evidence(user):
    entry = services.log_create(actor=user, data=services.LogInput(
        date=dt.date(2026, 11, 17), description="Menyusun draf laporan.", quantity="1", minutes=60,
    ))
    evidence = services.evidence_add(
        actor=user, entry_id=entry.pk, upload=SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"),
    )
    return entry, evidence


def test_a_rolled_back_log_deletion_keeps_its_evidence_file(world):  # noqa: F811
    user = fresh(world.e1.user)
    entry, evidence = _entry_with_evidence(user)
    storage, name = evidence.file.storage, evidence.file.name
    with transaction.atomic():
        services.log_delete(actor=user, entry_id=entry.pk)
        transaction.set_rollback(True)
    assert LogEvidence.objects.filter(pk=evidence.pk).exists()
    assert storage.exists(name)
    storage.delete(name)


def test_a_committed_log_deletion_removes_its_evidence_file(world, django_capture_on_commit_callbacks):  # noqa: F811
    user = fresh(world.e1.user)
    entry, evidence = _entry_with_evidence(user)
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.log_delete(actor=user, entry_id=entry.pk)
    assert not LogEvidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(name)


def test_only_the_head_decides_an_output_on_the_web(world, client):  # noqa: F811
    """The web decision refuses (403, 404) who may see but not decide an output (the employee
    themself, HR), as the API does; it used to answer with a redirect and a message."""
    output = services.output_propose(actor=fresh(world.e1.user), data=services.OutputInput(
        description="Draf kajian", target_quantity="1", unit="dokumen", due_date=dt.date(2026, 11, 30),
    ))
    for user in (world.e1.user, world.hr):
        client.force_login(user)
        response = client.post(f"/kinerja/keluaran/{output.pk}/putuskan/", {"agree": "1"})
        assert response.status_code in (403, 404), (user, response.status_code)
    output.refresh_from_db()
    assert output.state == "proposed"
    client.force_login(world.head.user)
    response = client.post(f"/kinerja/keluaran/{output.pk}/putuskan/", {"agree": "1"})
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.state == "agreed"
