"""The shared shape of the ``<app>_rollup --rebuild [--agency]`` management commands that
recompute a dashboard rollup from its source rows (docs/decisions/196, 198, 201): choose the
agencies, rebuild each one in its own steps with progress on stdout, report the time. Each
app's command only names its rollup, its source and how a finished step reads."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.organisation.models import Agency


class RollupRebuildCommand(BaseCommand):
    source = ""  # "rekap harian", the rows the rollup is recomputed from
    step_word = ""  # what one transaction of the rebuild covers: "minggu", "bulan", "periode"

    def rebuild(self, agency_id: int, progress: Callable[..., None]) -> int:
        raise NotImplementedError

    def step_text(self, *step: Any) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help=f"hitung ulang dari {self.source}")
        parser.add_argument("--agency", help="kode atau id instansi (bawaan: semua)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("rebuild"):
            raise CommandError("Gunakan --rebuild untuk menghitung ulang ringkasan.")
        agencies = Agency.objects.order_by("pk")
        wanted = options.get("agency")
        if wanted:
            agencies = agencies.filter(pk=int(wanted)) if wanted.isdigit() else agencies.filter(code=wanted)
            if not agencies.exists():
                raise CommandError(f"Instansi tidak dikenal: {wanted}")
        for agency in agencies:
            started = time.perf_counter()

            def progress(*step: Any, name: str = agency.name) -> None:
                self.stdout.write(f"{name}: {self.step_text(*step)} selesai")

            steps = self.rebuild(agency.pk, progress)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{agency.name}: {steps} {self.step_word} dihitung ulang ({seconds:.1f} s)")
