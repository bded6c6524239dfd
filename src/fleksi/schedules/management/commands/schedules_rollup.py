"""Rebuild the rollup of the approved days that the monitoring dashboards read
(docs/decisions/201): one month per transaction, progress on stdout, safe to run twice."""

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.organisation.models import Agency
from fleksi.schedules import rollup


class Command(BaseCommand):
    help = "Bangun ulang ringkasan rencana kerja (dasbor pemantauan) dari hari kerja yang disetujui."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="hitung ulang dari hari kerja yang disetujui")
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

            def progress(first: dt.date, last: dt.date, name: str = agency.name) -> None:
                self.stdout.write(f"{name}: {first:%d-%m-%Y} s.d. {last:%d-%m-%Y} selesai")

            months = rollup.rebuild(agency_id=agency.pk, progress=progress)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{agency.name}: {months} bulan dihitung ulang ({seconds:.1f} s)")
