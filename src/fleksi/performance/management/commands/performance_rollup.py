"""Rebuild the rollup of the final assessments that the monitoring dashboards' predikat table
reads (docs/decisions/198): one period per transaction, progress on stdout, safe to run twice."""

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.organisation.models import Agency
from fleksi.performance import rollup


class Command(BaseCommand):
    help = "Bangun ulang ringkasan penilaian kinerja (dasbor pemantauan) dari penilaian final."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="hitung ulang dari penilaian final")
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

            def progress(period: dt.date, cadence: str, name: str = agency.name) -> None:
                self.stdout.write(f"{name}: periode {period:%m-%Y} ({cadence}) selesai")

            periods = rollup.rebuild(agency_id=agency.pk, progress=progress)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{agency.name}: {periods} periode dihitung ulang ({seconds:.1f} s)")
