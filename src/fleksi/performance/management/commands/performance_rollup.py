"""Rebuild the rollup of the final assessments that the monitoring dashboards' predikat table
reads (docs/decisions/198): one period per transaction, progress on stdout, safe to run twice."""

from collections.abc import Callable
from typing import Any

from fleksi.organisation.rollup_command import RollupRebuildCommand
from fleksi.performance import rollup


class Command(RollupRebuildCommand):
    help = "Bangun ulang ringkasan penilaian kinerja (dasbor pemantauan) dari penilaian final."
    source = "penilaian final"
    step_word = "periode"

    def rebuild(self, agency_id: int, progress: Callable[..., None]) -> int:
        return rollup.rebuild(agency_id=agency_id, progress=progress)

    def step_text(self, *step: Any) -> str:
        period, cadence = step
        return f"periode {period:%m-%Y} ({cadence})"
