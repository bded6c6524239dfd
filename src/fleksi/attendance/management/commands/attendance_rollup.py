"""Rebuild the rollups of the daily records that the monitoring dashboards read
(docs/decisions/196): one week per transaction, progress on stdout, safe to run twice."""

from collections.abc import Callable
from typing import Any

from fleksi.attendance import rollup
from fleksi.organisation.rollup_command import RollupRebuildCommand


class Command(RollupRebuildCommand):
    help = "Bangun ulang ringkasan presensi (dasbor pemantauan) dari rekap harian."
    source = "rekap harian"
    step_word = "minggu"

    def rebuild(self, agency_id: int, progress: Callable[..., None]) -> int:
        return rollup.rebuild(agency_id=agency_id, progress=progress)

    def step_text(self, *step: Any) -> str:
        monday, sunday = step
        return f"minggu {monday:%d-%m-%Y} s.d. {sunday:%d-%m-%Y}"
