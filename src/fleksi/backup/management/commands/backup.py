"""manage.py backup FILE: the database and the uploaded files into one archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleksi.backup.archive import backup_create
from fleksi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas unggahan ke satu arsip (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(path=options["file"])
        except ApplicationError as error:
            raise CommandError(error.message) from None
        m = result.manifest
        rows = sum(m["counts"].values())
        self.stdout.write(
            f"Cadangan {m['vendor']} disimpan di {result.path}: {rows} baris dalam "
            f"{len(m['counts'])} tabel, {len(m['files'])} berkas unggahan."
        )
