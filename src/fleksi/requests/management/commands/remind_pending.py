"""Remind approvers of flexible-work requests waiting longer than the agency allows.

Run once a day (cron or systemd timer); running it again the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.core import clock
from fleksi.requests.decisions import requests_remind_pending


class Command(BaseCommand):
    help = "Ingatkan atasan tentang pengajuan kerja fleksibel yang belum diputuskan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="tanggal acuan TTTT-BB-HH (bawaan: hari ini)")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        try:
            today = dt.date.fromisoformat(raw) if raw else clock.today()
        except ValueError:
            raise CommandError(f"Tanggal tidak sah: {raw!r} (gunakan TTTT-BB-HH)") from None
        sent = requests_remind_pending(today=today)
        self.stdout.write(f"{sent} pengingat dikirim untuk {today.isoformat()}.")
