"""manage.py audit_verify: check the audit trail's hash chain; non-zero exit when broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fleksi.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit (baris diubah, disisipkan atau dihapus)."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_chain_verify()
        if verdict.broken is not None:
            b = verdict.broken
            raise CommandError(
                f"Jejak audit RUSAK pada baris pertama yang bermasalah: {b.message}. "
                f"({verdict.rows} baris diperiksa; jenis: {b.kind})"
            )
        self.stdout.write(f"Jejak audit utuh: {verdict.rows} baris, rantai hash cocok.")
