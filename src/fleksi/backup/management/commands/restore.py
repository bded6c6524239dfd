"""manage.py restore FILE: replace the database and the uploaded files with an archive."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.audit.services import audit_record
from fleksi.backup.archive import backup_restore
from fleksi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Pulihkan basis data dan berkas unggahan dari arsip `backup` (menggantikan isinya)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(path=options["file"])
        except ApplicationError as error:
            raise CommandError(f"Pemulihan ditolak, tidak ada yang diubah. {error.message}") from None
        call_command("migrate", interactive=False, verbosity=0)  # an archive of an older version
        audit_record(
            actor=None, action="system.restore",
            data={"created_at": manifest["created_at"], "vendor": manifest["vendor"],
                  "rows": sum(manifest["counts"].values()), "files": len(manifest["files"])},
        )
        self.stdout.write(
            f"Dipulihkan dari cadangan {manifest['created_at']}: "
            f"{sum(manifest['counts'].values())} baris, {len(manifest['files'])} berkas unggahan."
        )
