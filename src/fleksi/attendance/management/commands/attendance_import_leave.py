"""Import approved leave days from CSV ``nip,mulai,sampai,jenis`` (all rows or none)."""

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.attendance.services import LEAVE_HEADER, leave_import
from fleksi.core.errors import ApplicationError
from fleksi.organisation.models import Agency


class Command(BaseCommand):
    help = "Impor cuti dari CSV nip,mulai,sampai,jenis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="kode instansi")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError("Instansi tidak dikenal.")
        with open(options["file"], encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if [h.strip().lower() for h in reader.fieldnames or []] != LEAVE_HEADER:
                raise CommandError("Kepala kolom harus: nip,mulai,sampai,jenis")
            rows = [{k.strip().lower(): v for k, v in row.items() if k} for row in reader]
        try:
            result = leave_import(actor=None, agency_id=agency.pk, rows=rows)
        except ApplicationError as error:
            raise CommandError("\n".join([error.message, *error.details.get("errors", [])])) from None
        self.stdout.write(f"cuti baru {result.created}, sudah ada {result.unchanged}")

