"""Monthly partitions of the check-in table (PostgreSQL; docs/decisions/110): create the
coming months, and with ``--keep-months`` detach (``--drop``: drop) the months before that."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.attendance import partitions
from fleksi.audit.services import audit_record
from fleksi.core import clock

# A month is removed only when it is well past the late-sync window and the 90-day
# coordinate retention: the ledger of its keys goes with it.
MIN_KEEP_MONTHS = 4


class Command(BaseCommand):
    help = (
        "Buat partisi bulanan tabel presensi untuk bulan ini dan --ahead bulan berikutnya "
        "(aman dijalankan dua kali); dengan --keep-months N lepaskan bulan-bulan yang lebih lama."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ahead", type=int, default=3, help="bulan ke depan (bawaan 3)")
        parser.add_argument(
            "--keep-months", type=int, default=None,
            help=f"simpan bulan ini dan N-1 bulan sebelumnya; yang lebih lama dilepas (minimal {MIN_KEEP_MONTHS})",
        )
        parser.add_argument("--drop", action="store_true", help="hapus bulan yang dilepas (bawaan: arsip)")

    def handle(self, *args: Any, **options: Any) -> None:
        ahead = options["ahead"]
        if options["verbosity"] == 0:
            self.stdout.write = lambda *a, **k: None  # type: ignore[method-assign]
        if not 0 <= ahead <= 36:
            raise CommandError("--ahead harus 0 sampai 36.")
        if not partitions.is_partitioned():
            self.stdout.write("tabel presensi tidak dipartisi (SQLite): tidak ada partisi dibuat")
        created = partitions.ensure_partitions(ahead=ahead)
        self.stdout.write(f"partisi dibuat: {len(created)}" + (f" ({', '.join(created)})" if created else ""))
        keep = options["keep_months"]
        if keep is None:
            if options["drop"]:
                raise CommandError("--drop hanya bersama --keep-months.")
            return
        if keep < MIN_KEEP_MONTHS:
            raise CommandError(f"--keep-months minimal {MIN_KEEP_MONTHS}.")
        today = clock.now().date()
        cutoff = partitions.add_months(partitions.month_start(today), -(keep - 1))
        result = partitions.drop_months_before(cutoff=cutoff, drop=options["drop"])
        audit_record(
            actor=None, action="attendance.partitions_retention",
            data={"cutoff": cutoff.isoformat(), "detached": result.detached, "dropped": result.dropped,
                  "rows_deleted": result.rows_deleted, "keys_forgotten": result.keys_forgotten},
        )
        verb = "dihapus" if result.dropped else "dilepas ke arsip"
        self.stdout.write(
            f"bulan sebelum {cutoff:%Y-%m} {verb}: {len(result.detached)}"
            + (f" ({', '.join(result.detached)})" if result.detached else "")
            + f"; baris dihapus: {result.rows_deleted}; kunci dilupakan: {result.keys_forgotten}"
        )
