"""The `fleksi` command line.

  fleksi serve [--host H] [--port N] [--workers N]   production server (gunicorn)
  fleksi demo [--port N] [--no-serve] [--reset]      migrate, load the demo agency, serve
  fleksi import employees FILE [--agency CODE] [--dry-run] [--lang id|en]
  fleksi token create NIP [--name NAME]              print a personal API token
  fleksi user set-password NIP [--stdin]             set a user's password
  fleksi plan check --employees F --plan F [--policy F] [--format json|text] [--lang id|en]
  fleksi rules-doc [--check]                         write or check docs/rules.md
  fleksi attendance close-day [--date YYYY-MM-DD]    decide absent/leave/holiday (default: yesterday)
  fleksi audit verify                                check the audit trail's hash chain (exit 1 if broken)
  fleksi backup FILE                                 database and uploaded files into one archive
  fleksi restore FILE [--yes]                        replace the database and files with an archive
  fleksi manage ARGS...                              Django's manage.py
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

SETTINGS = "fleksi.config.settings"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _manage(args: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fleksi manage", *args])
    return 0


def cmd_serve(ns: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return _exec_gunicorn(ns.host, ns.port, ns.workers)


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "fleksi.config.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--access-logfile", "-", "--timeout", "120",
        # the access log without the iCalendar feed's token (fleksi.core.logredact)
        "--logger-class", "fleksi.core.logredact.GunicornLogger",
    ]


def _exec_gunicorn(host: str, port: int, workers: int) -> int:
    argv = gunicorn_argv(host, port, workers)
    print(f"Fleksi berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)", flush=True)
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
    return 0  # pragma: no cover


def cmd_demo(ns: argparse.Namespace) -> int:
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from fleksi import demo

    say = lambda msg: print(msg, flush=True)  # noqa: E731
    say("Menyiapkan basis data…")
    call_command("migrate", interactive=False, verbosity=0)
    if ns.reset and demo.demo_reset(progress=say):
        say("Instansi demo lama dihapus.")
    # The demo's notification emails go to files, not into the middle of this output.
    mail_dir = settings.VAR_DIR / "demo-mail"
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(mail_dir)
    ):
        created = demo.load_demo(progress=say)
    say("Instansi demo " + ("dimuat." if created else "sudah ada; tidak diubah (--reset untuk memuat ulang)."))
    if created:
        say(f"Email notifikasi demo disimpan di {mail_dir}/ (tidak dikirim).")
    print(demo.logins_text(), flush=True)
    if ns.no_serve:
        return 0
    call_command("collectstatic", interactive=False, verbosity=0)
    return _exec_gunicorn(ns.host, ns.port, ns.workers)


def cmd_import_employees(ns: argparse.Namespace) -> int:
    _django()
    from fleksi.organisation.importing import employees_import_cli

    return employees_import_cli(path=ns.file, agency_code=ns.agency, dry_run=ns.dry_run, lang=ns.lang)


def cmd_token_create(ns: argparse.Namespace) -> int:
    _django()
    from fleksi.accounts.selectors import user_get_by_login
    from fleksi.accounts.services import api_token_create

    user = user_get_by_login(login=ns.nip)
    if user is None:
        print(f"Pengguna dengan NIP/nama pengguna {ns.nip!r} tidak ditemukan.", file=sys.stderr)
        return 2
    issued = api_token_create(actor=user, user=user, name=ns.name)
    print(issued.plaintext)
    return 0


def cmd_set_password(ns: argparse.Namespace) -> int:
    _django()
    import getpass

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from fleksi.accounts.selectors import user_get_by_login
    from fleksi.accounts.services import user_set_password

    user = user_get_by_login(login=ns.nip)
    if user is None:
        print(f"Pengguna dengan NIP/nama pengguna {ns.nip!r} tidak ditemukan.", file=sys.stderr)
        return 2
    if ns.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Kata sandi baru: ")
        if password != getpass.getpass("Ulangi: "):
            print("Kata sandi tidak sama.", file=sys.stderr)
            return 2
    try:
        validate_password(password, user)
    except ValidationError as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 2
    user_set_password(actor=None, user=user, password=password)
    print(f"Kata sandi {user.get_username()} disimpan.")
    return 0


def cmd_plan_check(argv: list[str]) -> int:
    from fleksi.policy.cli import plan_check_main

    return plan_check_main(argv)


def cmd_rules_doc(argv: list[str]) -> int:
    from fleksi.policy.cli import rules_doc_main

    return rules_doc_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleksi", description="Fleksi: kerja fleksibel ASN.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    p = sub.add_parser("serve", help="jalankan server produksi (gunicorn)")
    server_args(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="migrasi, muat instansi demo, jalankan server")
    server_args(p)
    p.add_argument("--no-serve", action="store_true", help="hanya siapkan data, jangan jalankan server")
    p.add_argument("--reset", action="store_true", help="hapus instansi demo lalu muat ulang")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="impor data")
    isub = p.add_subparsers(dest="what", metavar="JENIS", required=True)
    e = isub.add_parser("employees", help="impor data pegawai (CSV/XLSX, lihat FORMATS.md)")
    e.add_argument("file")
    e.add_argument("--agency", help="kode instansi (wajib bila ada lebih dari satu)")
    e.add_argument("--dry-run", action="store_true", help="tampilkan perubahan tanpa menyimpan")
    e.add_argument("--lang", choices=["id", "en"], default="id")
    e.set_defaults(func=cmd_import_employees)

    p = sub.add_parser("token", help="token API pribadi")
    tsub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    t = tsub.add_parser("create", help="buat token untuk pengguna (NIP) dan cetak sekali")
    t.add_argument("nip")
    t.add_argument("--name", default="cli")
    t.set_defaults(func=cmd_token_create)

    p = sub.add_parser("user", help="akun pengguna")
    usub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    u = usub.add_parser("set-password", help="atur kata sandi pengguna (NIP atau nama pengguna)")
    u.add_argument("nip")
    u.add_argument("--stdin", action="store_true", help="baca kata sandi dari standard input")
    u.set_defaults(func=cmd_set_password)

    sub.add_parser("plan", help="periksa rencana kerja fleksibel: fleksi plan check --help")
    sub.add_parser("rules-doc", help="tulis atau periksa docs/rules.md")
    p = sub.add_parser("attendance", help="presensi")
    asub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    a = asub.add_parser("close-day", help="tutup hari presensi (bawaan: kemarin)")
    a.add_argument("--date", help="TTTT-BB-HH")
    a.set_defaults(func=cmd_attendance_close_day)

    p = sub.add_parser("audit", help="jejak audit")
    ausub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    a = ausub.add_parser("verify", help="periksa rantai hash jejak audit")
    a.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="cadangkan basis data dan berkas unggahan ke satu arsip")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="pulihkan basis data dan berkas unggahan dari arsip")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="jangan tanya konfirmasi")
    p.set_defaults(func=cmd_restore)

    sub.add_parser("manage", help="perintah manage.py Django")
    return parser


def _call(name: str, *args: str) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(name, *args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def cmd_audit_verify(ns: argparse.Namespace) -> int:
    return _call("audit_verify")


def cmd_backup(ns: argparse.Namespace) -> int:
    return _call("backup", ns.file)


def cmd_restore(ns: argparse.Namespace) -> int:
    if not ns.yes:
        try:
            answer = input("Basis data dan berkas unggahan akan DIGANTI isi arsip. Lanjutkan? [y/N] ")
        except EOFError:  # no terminal: only --yes goes ahead
            answer = ""
        if answer.strip().lower() not in {"y", "ya", "yes"}:
            print("Dibatalkan; tidak ada yang diubah.", file=sys.stderr)
            return 1
    return _call("restore", ns.file)


def cmd_attendance_close_day(ns: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("attendance_close_day", *(["--date", ns.date] if ns.date else []))
    except CommandError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["plan", "check"]:
        return cmd_plan_check(args[2:])
    if args[:1] == ["plan"]:
        print("penggunaan: fleksi plan check --employees F --plan F [--policy F] [--format json|text] [--lang id|en]", file=sys.stderr)
        return 2
    if args[:1] == ["rules-doc"]:
        return cmd_rules_doc(args[1:])
    if args[:1] == ["manage"]:
        return _manage(args[1:])
    parser = build_parser()
    ns = parser.parse_args(args)
    if not getattr(ns, "func", None):
        parser.print_help()
        return 2
    return int(ns.func(ns) or 0)


if __name__ == "__main__":
    sys.exit(main())
