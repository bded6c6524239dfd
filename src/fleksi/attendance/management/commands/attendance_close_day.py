"""Decide the day after it ends: absent, leave, holiday; a flexible day is never absent for
want of an office check-in. Safe to run twice."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.attendance.services import attendance_close_day
from fleksi.core import clock


class Command(BaseCommand):
    help = "Tutup hari presensi (bawaan: kemarin): tandai tidak hadir, cuti, libur."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="TTTT-BB-HH (bawaan: kemarin)")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        try:
            day = dt.date.fromisoformat(raw) if raw else clock.today() - dt.timedelta(days=1)
        except ValueError:
            raise CommandError("Tanggal tidak sah: gunakan TTTT-BB-HH.") from None
        result = attendance_close_day(actor=None, day=day)
        self.stdout.write(
            f"{day}: tidak hadir {result.absent}, cuti {result.leave}, libur {result.holiday}, "
            f"fleksibel tanpa presensi {result.flexible_without_check_in}, "
            f"tanpa presensi pulang {result.without_check_out}"
        )
