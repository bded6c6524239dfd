"""Rebuild the rollup of the approved days that the monitoring dashboards read
(docs/decisions/201): one month per transaction, progress on stdout, safe to run twice."""

from collections.abc import Callable
from typing import Any

from fleksi.organisation.rollup_command import RollupRebuildCommand
from fleksi.schedules import rollup


class Command(RollupRebuildCommand):
    help = "Bangun ulang ringkasan rencana kerja (dasbor pemantauan) dari hari kerja yang disetujui."
    source = "hari kerja yang disetujui"
    step_word = "bulan"

    def rebuild(self, agency_id: int, progress: Callable[..., None]) -> int:
        return rollup.rebuild(agency_id=agency_id, progress=progress)

    def step_text(self, *step: Any) -> str:
        first, last = step
        return f"{first:%d-%m-%Y} s.d. {last:%d-%m-%Y}"
