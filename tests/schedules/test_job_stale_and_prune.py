"""Background job rows a stopped worker left "running" are failed after
FLEKSI_JOB_STALE_MINUTES and can be started again; `fleksi jobs prune` deletes only finished
rows older than the retention and keeps the reports' rows (docs/decisions/191, 192). Real rows;
only the clock is moved."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from fleksi import cli
from fleksi.core import clock
from fleksi.core.jobs import STALE_MESSAGE
from fleksi.monitoring.models import EvaluationReport
from fleksi.schedules.models import PlannerJob
from tests.workflow.helpers import W48

from .test_unit_planner_page import URL, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def moment(monkeypatch):
    """The clock, movable: moment["now"] is what fleksi.core.clock.now() returns."""
    state = {"now": clock.now()}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


def test_a_stale_running_planner_job_is_failed_and_can_be_started_again(
    client, world, moment, settings, django_capture_on_commit_callbacks
):
    settings.FLEKSI_JOB_STALE_MINUTES = 15
    client.force_login(world.head.user)
    ask(client, world, django_capture_on_commit_callbacks)
    job = PlannerJob.objects.get()
    # the worker took it, wrote progress, then was killed
    PlannerJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=moment["now"])
    moment["now"] += dt.timedelta(minutes=14)
    poll = client.get(f"{URL}usulan/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "HX-Redirect" not in poll  # still within the bound: still polling
    job.refresh_from_db()
    assert job.status == "running"

    moment["now"] += dt.timedelta(minutes=2)
    poll = client.get(f"{URL}usulan/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "HX-Redirect" in poll  # finished: the page stops polling
    job.refresh_from_db()
    assert job.status == "failed" and job.error == str(STALE_MESSAGE) and job.finished_at == moment["now"]
    page = client.get(poll["HX-Redirect"]).content.decode()
    assert "Proses terhenti: pekerja berhenti sebelum selesai. Silakan mulai lagi." in page

    response = ask(client, world, django_capture_on_commit_callbacks)  # started again
    assert response.status_code == 302
    assert PlannerJob.objects.exclude(pk=job.pk).get().status == "queued"


def test_the_worker_start_fails_stale_rows_of_both_kinds(world, moment, settings):
    settings.FLEKSI_JOB_STALE_MINUTES = 15
    old = moment["now"] - dt.timedelta(minutes=30)
    stale_job = PlannerJob.objects.create(unit=world.unit, created_by=world.head.user, status="running", heartbeat_at=old)
    fresh_job = PlannerJob.objects.create(unit=world.unit, created_by=world.head.user, status="running", heartbeat_at=moment["now"])
    queued = PlannerJob.objects.create(unit=world.unit, created_by=world.head.user, status="queued")
    report = EvaluationReport.objects.create(
        agency=world.unit.agency, start=W48[0], end=W48[4], format="pdf", status="running", heartbeat_at=old
    )
    assert cli.expire_stale_jobs() == 2
    statuses = {j.pk: j.status for j in PlannerJob.objects.all()}
    assert statuses == {stale_job.pk: "failed", fresh_job.pk: "running", queued.pk: "queued"}
    report.refresh_from_db()
    assert report.status == "failed" and report.error == str(STALE_MESSAGE)


def test_prune_deletes_only_old_finished_rows_and_keeps_the_reports(world, moment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = moment["now"]
    old, recent = now - dt.timedelta(days=91), now - dt.timedelta(days=89)
    mk = lambda status, finished: PlannerJob.objects.create(  # noqa: E731
        unit=world.unit, created_by=world.head.user, status=status, finished_at=finished, heartbeat_at=now
    )
    old_done, old_failed, recent_done, running = mk("done", old), mk("failed", old), mk("done", recent), mk("running", None)
    report_old = EvaluationReport.objects.create(
        agency=world.unit.agency, start=W48[0], end=W48[4], format="pdf", status="done", finished_at=old
    )
    report_old.file.save("old.pdf", ContentFile(b"%PDF old"))
    report_recent = EvaluationReport.objects.create(
        agency=world.unit.agency, start=W48[0], end=W48[4], format="pdf", status="done", finished_at=recent
    )
    report_recent.file.save("recent.pdf", ContentFile(b"%PDF recent"))
    old_path, recent_path = report_old.file.path, report_recent.file.path

    def task(status, finished):
        return DBTaskResult.objects.create(
            id=uuid.uuid4(), status=status, finished_at=finished, task_path="fleksi.monitoring.tasks.generate_report",
            args_kwargs={"args": [], "kwargs": {}}, queue_name="default", backend_name="default", run_after=now,
        )

    old_task, recent_task, ready_task = task("SUCCESSFUL", old), task("SUCCESSFUL", recent), task("READY", None)
    said: list[str] = []

    counts = cli.prune_jobs(90, said.append)

    assert counts == {"planner": 2, "tasks": 1, "report_files": 1}
    assert set(PlannerJob.objects.values_list("pk", flat=True)) == {recent_done.pk, running.pk}
    assert not PlannerJob.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {recent_task.id, ready_task.id}
    assert not DBTaskResult.objects.filter(id=old_task.id).exists()
    report_old.refresh_from_db()
    report_recent.refresh_from_db()
    assert report_old.file.name == "" and report_recent.file.name  # the old row stays, its file goes
    assert not os.path.exists(old_path) and os.path.exists(recent_path)
    assert said[0].startswith("usulan perencana dihapus: 2")
