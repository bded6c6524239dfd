"""Background job rows (planner proposals, evaluation reports): one rule for both kinds.

A worker killed mid-job leaves its row "running". A running row whose heartbeat (the last
progress write, or its creation) is older than FLEKSI_JOB_STALE_MINUTES is failed with a clear
message, so the page stops polling and the user can start again (docs/decisions/191)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from . import clock

STALE_MESSAGE_ID = "Proses terhenti: pekerja berhenti sebelum selesai. Silakan mulai lagi."
STALE_MESSAGE = _(STALE_MESSAGE_ID)
RUNNING = "running"
FAILED = "failed"


def stale_minutes() -> int:
    return int(getattr(settings, "FLEKSI_JOB_STALE_MINUTES", 15))


def stale_before() -> dt.datetime:
    return clock.now() - dt.timedelta(minutes=stale_minutes())


def fail_stale(queryset: models.QuerySet) -> int:
    """Fail the running rows of `queryset` (a PlannerJob or EvaluationReport queryset: both
    have status, heartbeat_at, created_at, error, finished_at) whose heartbeat is stale."""
    return (
        queryset.filter(status=RUNNING)
        .alias(beat=Coalesce("heartbeat_at", "created_at"))
        .filter(beat__lt=stale_before())
        .update(status=FAILED, error=STALE_MESSAGE_ID, finished_at=clock.now())
    )
