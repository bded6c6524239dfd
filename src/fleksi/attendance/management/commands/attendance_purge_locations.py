"""Null the coordinates of check-ins older than the agency's retention (UU PDP 27/2022)."""

from typing import Any

from django.core.management.base import BaseCommand

from fleksi.attendance.services import attendance_purge_locations


class Command(BaseCommand):
    help = "Hapus koordinat presensi yang melewati masa simpan instansi (bawaan 90 hari)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"koordinat dihapus: {attendance_purge_locations(actor=None)}")
