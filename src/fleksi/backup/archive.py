"""`fleksi backup FILE` and `fleksi restore FILE`: the database and the uploaded files in one
archive (see docs/decisions/157-backup-with-the-vendors-tools.md).

The archive is a gzipped tar:

    manifest.json        format, version, vendor, migrations, row counts, SHA-256 of each member
    database.sqlite3     SQLite: a copy made with sqlite3's online backup API
    database.pgdump      PostgreSQL: ``pg_dump --format=custom`` of the same snapshot as the counts
    media/...            every file under MEDIA_ROOT (evidence, pending imports)

A restore reads and checks the whole archive in a temporary folder first (manifest, members,
checksums, vendor, migrations known to this code); only then it replaces the database (SQLite:
the backup API into the live database, one transaction; PostgreSQL: psql --single-transaction
that drops the tables, loads the dump and checks the row counts) and finally swaps the media
folder by renaming. A refused archive changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from fleksi.core.errors import ApplicationError, ErrorCode

FORMAT = "fleksi-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
CHUNK = 1024 * 1024


class RestoreRefused(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_INPUT, message)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


_WIPE_ROUTINES = """DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.prokind = 'f'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE 'DROP FUNCTION IF EXISTS ' || r.sig::text || ' CASCADE';
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS seq FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'S'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE 'DROP SEQUENCE IF EXISTS ' || r.seq::text || ' CASCADE';
  END LOOP;
END $$;
"""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables() -> list[str]:
    """The tables of the installed models (what the counts cover)."""
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy}
    return sorted(names)


def _migrations_applied() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _fleksi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fleksi")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> Iterator[tuple[Path, str]]:
    root = _media_root()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ApplicationError(
            ErrorCode.SERVER_ERROR,
            f"Program {name} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client) "
            "dengan versi yang sama atau lebih baru dari servernya.",
        )
    return found


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise ApplicationError(
            ErrorCode.SERVER_ERROR,
            f"{Path(argv[0]).name} gagal (kode {done.returncode}): {done.stderr.strip()[-2000:]}",
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- backup ------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
        counts = {}
        existing = {r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in _tables():
            if table in existing:
                counts[table] = dst.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608
    finally:
        dst.close()
    return counts


def _dump_postgresql(target: Path) -> dict[str, int]:
    """Counts and pg_dump read one exported snapshot, so the manifest matches the dump."""
    pg_dump = _tool("pg_dump")
    conn = connections.create_connection("default")  # its own transaction, not the caller's
    try:
        conn.ensure_connection()
        raw = conn.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            existing = {r[0] for r in cursor.fetchall()}
            counts = {}
            for table in _tables():
                if table in existing:
                    cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608
                    counts[table] = cursor.fetchone()[0]
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(conn.settings_dict),
            )
        raw.rollback()
    finally:
        conn.close()
    return counts


def backup_create(*, path: str | Path) -> BackupResult:
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise ApplicationError(ErrorCode.SERVER_ERROR, f"Basis data {vendor} tidak didukung untuk cadangan.")
    out = Path(path)
    with tempfile.TemporaryDirectory(prefix="fleksi-backup-") as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        counts = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgresql(db_file)
        files = {f"{MEDIA}/{rel}": (p, _sha256_file(p)) for p, rel in _media_files()}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "fleksi_version": _fleksi_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": vendor,
            "migrations": _migrations_applied(),
            "counts": counts,
            "database": {"name": db_file.name, "size": db_file.stat().st_size, "sha256": _sha256_file(db_file)},
            "files": {name: {"size": p.stat().st_size, "sha256": digest} for name, (p, digest) in files.items()},
        }
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name, recursive=False)
            for name, (p, _digest) in files.items():
                tar.add(p, arcname=name, recursive=False)
        partial.chmod(0o600)
        partial.replace(out)  # a half-written archive never carries the final name
    return BackupResult(out, manifest)


# --- restore -----------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix() and "\\" not in name


def _extract_checked(path: Path, into: Path) -> dict[str, Any]:
    """Unpack into ``into`` and check everything against the manifest; raise RestoreRefused."""
    damaged = "Arsip rusak atau bukan cadangan Fleksi"
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115
    except FileNotFoundError:
        raise RestoreRefused(f"Berkas {path} tidak ada.") from None
    except (tarfile.TarError, OSError, EOFError) as error:
        raise RestoreRefused(f"{damaged}: {error}.") from None
    seen: dict[str, tuple[int, str]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name) or member.name in seen:
                    raise RestoreRefused(f"{damaged}: isi yang tidak diharapkan ({member.name!r}).")
                source = tar.extractfile(member)
                assert source is not None
                if member.name == MANIFEST:
                    try:
                        manifest = json.loads(source.read(10 * CHUNK))
                    except (ValueError, UnicodeDecodeError):
                        raise RestoreRefused(f"{damaged}: manifest tidak terbaca.") from None
                    continue
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    for block in iter(lambda: source.read(CHUNK), b""):  # noqa: B023
                        digest.update(block)
                        out.write(block)
                seen[member.name] = (member.size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise RestoreRefused(f"{damaged}: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{damaged}: tidak ada manifest Fleksi.")
    if manifest.get("version") != VERSION:
        raise RestoreRefused(f"Versi arsip {manifest.get('version')!r} tidak dikenal (yang didukung: {VERSION}).")
    expected: dict[str, dict[str, Any]] = dict(manifest.get("files") or {})
    database = manifest.get("database") or {}
    expected[str(database.get("name"))] = database
    if set(expected) != set(seen):
        missing = sorted(set(expected) - set(seen))
        extra = sorted(set(seen) - set(expected))
        raise RestoreRefused(f"{damaged}: isi tidak sesuai manifest (hilang: {missing[:5]}, lebih: {extra[:5]}).")
    for name, meta in expected.items():
        if seen[name] != (meta.get("size"), meta.get("sha256")):
            raise RestoreRefused(f"{damaged}: checksum {name} tidak cocok.")
    return manifest


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor = connection.vendor
    if manifest.get("vendor") != vendor or DB_MEMBER.get(vendor) != (manifest.get("database") or {}).get("name"):
        raise RestoreRefused(
            f"Arsip ini cadangan basis data {manifest.get('vendor')}; basis data ini {vendor}. "
            "Pulihkan ke basis data jenis yang sama."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations") or []) - known)
    if unknown:
        raise RestoreRefused(
            f"Arsip dibuat oleh versi Fleksi yang lebih baru (migrasi tak dikenal: {', '.join(unknown[:3])}); "
            "perbarui Fleksi dulu."
        )


def _restore_sqlite(db_file: Path, counts: dict[str, int]) -> None:
    src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RestoreRefused("Arsip rusak: basis data SQLite di dalamnya tidak utuh.")
        existing = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, n in counts.items():
            if table not in set(_tables()):
                continue  # a table of another version: nothing of ours to check
            if table not in existing or src.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0] != n:  # noqa: S608
                raise RestoreRefused(f"Arsip rusak: jumlah baris {table} tidak sesuai manifest.")
        connection.ensure_connection()
        src.backup(connection.connection)  # one step: the live database is replaced at once
    finally:
        src.close()


def _restore_postgresql(dump: Path, counts: dict[str, int], work: Path) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    env = _pg_env(connection.settings_dict)
    sql = work / "restore.sql"
    _run([pg_restore, "--no-owner", "--no-acl", f"--file={sql}", str(dump)], env)  # the dump is readable
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [r[0] for r in cursor.fetchall()]
    wipe = work / "wipe.sql"
    # Then the functions and free sequences the migrations made (the check-in partitioning's
    # trigger function and id sequence): the dump creates them again. Extensions' own stay.
    wipe.write_text("".join(f"DROP TABLE IF EXISTS {_quote(t)} CASCADE;\n" for t in tables) + _WIPE_ROUTINES)
    # Only this code's own table names reach the SQL (the manifest is not trusted).
    known = set(_tables())
    checks = [
        f"DO $$ BEGIN IF (SELECT count(*) FROM {_quote(t)}) <> {int(n)} THEN "  # noqa: S608
        f"RAISE EXCEPTION 'jumlah baris {t} tidak sesuai manifest'; END IF; END $$;\n"
        for t, n in counts.items()
        if t in known
    ]
    check = work / "check.sql"
    check.write_text("RESET search_path;\n" + "".join(checks))
    connections.close_all()  # our idle connection holds no locks, but be sure
    _run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
          f"--file={wipe}", f"--file={sql}", f"--file={check}"], env)


def _swap_media(staged: Path) -> None:
    root = _media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    incoming = root.parent / f".{root.name}.restore-{os.getpid()}"
    old = root.parent / f".{root.name}.old-{os.getpid()}"
    shutil.rmtree(incoming, ignore_errors=True)
    if staged.is_dir():
        shutil.move(str(staged), incoming)  # same filesystem as MEDIA_ROOT from here on
    else:
        incoming.mkdir()
    if root.exists():
        root.replace(old)
    incoming.replace(root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: str | Path) -> dict[str, Any]:
    """Check the archive completely, then replace the database and the media folder."""
    with tempfile.TemporaryDirectory(prefix="fleksi-restore-") as tmp:
        work = Path(tmp)
        manifest = _extract_checked(Path(path), work / "archive")
        _check_compatible(manifest)
        db_file = work / "archive" / manifest["database"]["name"]
        counts = {str(t): int(n) for t, n in (manifest.get("counts") or {}).items()}
        if connection.vendor == "sqlite":
            _restore_sqlite(db_file, counts)
        else:
            _restore_postgresql(db_file, counts, work)
        _swap_media(work / "archive" / MEDIA)
    with contextlib.suppress(Exception):
        connections.close_all()
    return manifest
