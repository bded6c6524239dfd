"""The `fleksi` command line.

  fleksi serve [--host H] [--port N] [--workers N] [--threads N]
                                                    production server (gunicorn, gthread)
  fleksi demo [--port N] [--no-serve] [--reset]      migrate, load the demo agency, serve
  fleksi demo --employees N [--weeks W] [--units U]  a large synthetic agency instead (benchmarks)
  fleksi import employees FILE [--agency CODE] [--dry-run] [--lang id|en]
  fleksi token create NIP [--name NAME]              print a personal API token
  fleksi user set-password NIP [--stdin]             set a user's password
  fleksi plan check --employees F --plan F [--policy F] [--format json|text] [--lang id|en]
  fleksi plan propose --employees F --from YYYY-MM-DD --weeks N [--preferences F] [--plan F]
                      [--policy F] [--anchor senin,rabu] [--time-limit S] [--format csv|json] [--lang id|en]
  fleksi rules-doc [--check]                         write or check docs/rules.md
  fleksi attendance close-day [--date YYYY-MM-DD]    decide absent/leave/holiday (default: yesterday)
  fleksi attendance partitions [--ahead N] [--keep-months N [--drop]]
                                                    monthly check-in partitions (PostgreSQL)
  fleksi attendance rollup --rebuild [--agency CODE|ID]
                                                    recompute the dashboards' attendance rollups
  fleksi schedules rollup --rebuild [--agency CODE|ID]
                                                    recompute the dashboards' rollup of approved days
  fleksi performance rollup --rebuild [--agency CODE|ID]
                                                    recompute the dashboards' assessment rollup
  fleksi audit verify                                check the audit trail's hash chain (exit 1 if broken)
  fleksi backup FILE                                 database and uploaded files into one archive
  fleksi restore FILE [--yes]                        replace the database and files with an archive
  fleksi worker [--batch] [--interval S]              run the background job queue (reports)
  fleksi jobs prune [--older-than DAYS]               delete finished background jobs (default 90 days)
  fleksi manage ARGS...                              Django's manage.py
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

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
    try:  # this month and the next three; the DEFAULT partition takes the rest meanwhile
        call_command("attendance_partitions", verbosity=0)
    except Exception as error:  # another server starting at the same time, a lock timeout
        print(f"Partisi presensi tidak dibuat ({error}); jalankan `fleksi attendance partitions`.",
              file=sys.stderr, flush=True)
    return _exec_gunicorn(ns.host, ns.port, ns.workers, ns.threads)


def _default_workers() -> int:
    """One process per core (at least 2): the GIL makes a process use one core at most."""
    return max(2, os.cpu_count() or 2)


def gunicorn_argv(host: str, port: int, workers: int, threads: int = 1) -> list[str]:
    """gunicorn with threaded workers: a request mostly waits for the database, so each
    process serves ``threads`` requests at once and keeps connections alive
    (docs/decisions/112)."""
    argv = [
        sys.executable, "-m", "gunicorn", "fleksi.config.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--timeout", "120",
        # the access log without the iCalendar feed's token (fleksi.core.logredact)
        "--logger-class", "fleksi.core.logredact.GunicornLogger",
    ]
    if threads > 1:
        argv += ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5"]
    if os.environ.get("FLEKSI_ACCESS_LOG", "1") != "0":
        argv += ["--access-logfile", "-"]
    return argv


def _exec_gunicorn(host: str, port: int, workers: int, threads: int) -> int:
    argv = gunicorn_argv(host, port, workers, threads)
    print(f"Fleksi berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)", flush=True)
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
    return 0  # pragma: no cover


DEMO_2FA_NOTE = (
    "Verifikasi dua langkah (2FA) tidak diwajibkan di demo (FLEKSI_REQUIRE_2FA=0); di instalasi\n"
    "sebenarnya wajib untuk admin SDM, PPK, pemantau nasional dan admin sistem. Cobalah lewat\n"
    "Akun saya > Atur verifikasi dua langkah (butuh aplikasi autentikator di ponsel).\n"
    "Demo dengan 2FA wajib: FLEKSI_REQUIRE_2FA=1 fleksi demo"
)


def cmd_demo(ns: argparse.Namespace) -> int:
    # The demo's admins log in without an authenticator app unless asked (docs/decisions/153);
    # the environment carries the choice to gunicorn's workers too.
    os.environ.setdefault("FLEKSI_REQUIRE_2FA", "0")
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from fleksi import demo

    say = lambda msg: print(msg, flush=True)  # noqa: E731
    say("Menyiapkan basis data…")
    call_command("migrate", interactive=False, verbosity=0)
    if ns.employees:
        _demo_scale(ns, say)
        if ns.no_serve:
            return 0
        call_command("collectstatic", interactive=False, verbosity=0)
        return _serve_with_worker(ns.host, ns.port, ns.workers, ns.threads)
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
    if not settings.FLEKSI_REQUIRE_2FA:
        print(DEMO_2FA_NOTE + "\n", flush=True)
    if ns.no_serve:
        return 0
    call_command("collectstatic", interactive=False, verbosity=0)
    return _serve_with_worker(ns.host, ns.port, ns.workers, ns.threads)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat positif, bukan {value!r}")
    return number


def _demo_scale(ns: argparse.Namespace, say: Callable[[str], None]) -> None:
    """``fleksi demo --employees N --weeks W``: the synthetic agency (docs/decisions/182)."""
    import time

    from fleksi import demo
    from fleksi.demo import scale
    from fleksi.organisation.models import Agency

    existing = Agency.objects.filter(code=scale.agency_code(ns.employees)).first()
    if existing is not None and not ns.reset:
        say(f"Instansi sintetis {existing.name} sudah ada; tidak diubah (--reset untuk memuat ulang).")
    else:
        if existing is not None:
            say(f"Menghapus instansi sintetis {existing.name}…")
            demo.remove_agency(existing, extra_usernames=[f"pemantau-{existing.code}"])
        started = time.monotonic()
        built = scale.load_scale(ns.employees, ns.weeks, units=ns.units, password=demo.PASSWORD, progress=say)
        n = scale.number
        say(f"Instansi sintetis dimuat dalam {time.monotonic() - started:.0f} detik: {n(built.employees)} pegawai, "
            f"{built.units} unit, {n(built.records)} catatan harian ({built.start:%d-%m-%Y} s.d. {built.end:%d-%m-%Y}), "
            f"{n(built.days)} hari kerja fleksibel, {n(built.logs)} laporan harian, {n(built.assessments)} penilaian.")
    say(f"Masuk sebagai Admin SDM: {scale.hr_username(ns.employees)} (kata sandi: {demo.PASSWORD})")


def _serve_with_worker(host: str, port: int, workers: int, threads: int) -> int:
    """The demo: gunicorn and one `fleksi worker` beside it; both stop together."""
    import signal
    import subprocess

    worker = subprocess.Popen([sys.executable, "-m", "fleksi.cli", "worker"])
    server = subprocess.Popen(gunicorn_argv(host, port, workers, threads))  # noqa: S603
    print(f"Fleksi berjalan di http://{host}:{port}/ dengan satu pekerja antrean (Ctrl+C untuk berhenti)", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while server.poll() is None and worker.poll() is None:
            try:
                server.wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return server.returncode or 0


def cmd_worker(ns: argparse.Namespace) -> int:
    """Run the job queue (django-tasks, database backend): every queue, until stopped, or
    with --batch until no task is left."""
    _django()
    from django.core.management import call_command

    def expire() -> None:
        failed = expire_stale_jobs()
        if failed:
            print(f"fleksi worker: {failed} pekerjaan terhenti ditandai gagal")

    options: dict[str, object] = {"queue_name": "*", "interval": ns.interval, "reload": False, "startup_delay": False}
    if ns.batch:
        expire()
        options["batch"] = True
        call_command("db_worker", **options)
        return 0

    def run() -> None:  # the stale rows are failed once the database answers (decision 210)
        expire()
        call_command("db_worker", **options)

    return _worker_forever(run)


def expire_stale_jobs() -> int:
    """Planner and report rows left "running" by a stopped worker are failed (decision 191)."""
    from fleksi.core import jobs
    from fleksi.monitoring.models import EvaluationReport
    from fleksi.schedules.models import PlannerJob

    return jobs.fail_stale(PlannerJob.objects.all()) + jobs.fail_stale(EvaluationReport.objects.all())


def prune_jobs(older_than_days: int, say: Callable[[str], None] = print) -> dict[str, int]:
    """Finished planner jobs and django-tasks rows older than the retention are deleted; the
    evaluation reports' rows stay (who generated what, when) and only their files go (decision
    192). Running or queued rows are never touched."""
    import datetime as dt

    from django_tasks_db.models import DBTaskResult

    from fleksi.core import clock
    from fleksi.monitoring.models import EvaluationReport, ReportStatus
    from fleksi.schedules.models import PlannerJob, PlannerJobStatus

    cutoff = clock.now() - dt.timedelta(days=older_than_days)
    expire_stale_jobs()
    live = (PlannerJobStatus.QUEUED, PlannerJobStatus.RUNNING)
    planner, _ = PlannerJob.objects.exclude(status__in=live).filter(finished_at__lt=cutoff).delete()
    say(f"usulan perencana dihapus: {planner}")
    tasks, _ = DBTaskResult.objects.filter(status__in=("SUCCESSFUL", "FAILED"), finished_at__lt=cutoff).delete()
    say(f"baris antrean tugas selesai dihapus: {tasks}")
    files = 0
    old = EvaluationReport.objects.exclude(status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)).filter(
        finished_at__lt=cutoff
    ).exclude(file="")
    for report in old.iterator():
        report.file.delete(save=False)
        EvaluationReport.objects.filter(pk=report.pk).update(file="")
        files += 1
    say(f"berkas laporan dihapus (barisnya disimpan): {files}")
    return {"planner": planner, "tasks": tasks, "report_files": files}


def cmd_jobs_prune(ns: argparse.Namespace) -> int:
    _django()
    print(f"Membersihkan pekerjaan latar yang selesai lebih dari {ns.older_than} hari lalu ...")
    prune_jobs(ns.older_than)
    return 0


def _worker_forever(run: Callable[[], object], max_delay_s: float = 30.0) -> int:
    """The worker outlives a database that is restarted or briefly unreachable: django-tasks'
    loop ends on a connection error, so it is started again, waiting 1, 2, 4 ... 30 s
    (docs/decisions/210). Any other error still stops it."""
    import time

    from django.db import connections
    from django.db.utils import InterfaceError, OperationalError

    delay = 1.0
    while True:
        started = time.monotonic()
        try:
            run()
            return 0
        except (OperationalError, InterfaceError) as error:
            if time.monotonic() - started > 60:
                delay = 1.0  # it ran for a while: a new outage
            print(f"fleksi worker: basis data tidak dapat dihubungi ({str(error).strip()[:200]}); "
                  f"mencoba lagi dalam {delay:.0f} detik.", file=sys.stderr, flush=True)
            connections.close_all()
            time.sleep(delay)
            delay = min(delay * 2, max_delay_s)


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


def cmd_plan_propose(argv: list[str]) -> int:
    from fleksi.planner.cli import plan_propose_main

    return plan_propose_main(argv)


def cmd_rules_doc(argv: list[str]) -> int:
    from fleksi.policy.cli import rules_doc_main

    return rules_doc_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleksi", description="Fleksi: kerja fleksibel ASN.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or _default_workers()),
                       help="proses gunicorn (bawaan: jumlah inti, minimal 2; WEB_CONCURRENCY)")
        p.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS") or 4),
                       help="utas per proses (bawaan 4; WEB_THREADS; 1 = pekerja sync)")

    p = sub.add_parser("serve", help="jalankan server produksi (gunicorn)")
    server_args(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="migrasi, muat instansi demo, jalankan server")
    server_args(p)
    p.add_argument("--no-serve", action="store_true", help="hanya siapkan data, jangan jalankan server")
    p.add_argument("--reset", action="store_true", help="hapus instansi demo lalu muat ulang")
    p.add_argument("--employees", type=_positive, metavar="N",
                   help="muat instansi sintetis besar dengan N pegawai (untuk uji kinerja) sebagai ganti instansi demo")
    p.add_argument("--weeks", type=_positive, default=13, metavar="W",
                   help="minggu data presensi instansi sintetis (bawaan 13)")
    p.add_argument("--units", type=_positive, metavar="U",
                   help="jumlah unit instansi sintetis (bawaan: satu per 100 pegawai, 2-500)")
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

    sub.add_parser("plan", help="periksa atau usulkan rencana kerja fleksibel: fleksi plan check|propose --help")
    sub.add_parser("rules-doc", help="tulis atau periksa docs/rules.md")
    p = sub.add_parser("attendance", help="presensi")
    asub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    a = asub.add_parser("close-day", help="tutup hari presensi (bawaan: kemarin)")
    a.add_argument("--date", help="TTTT-BB-HH")
    a.set_defaults(func=cmd_attendance_close_day)
    a = asub.add_parser("partitions", help="partisi bulanan tabel presensi (PostgreSQL)")
    a.add_argument("--ahead", type=int, default=3, help="bulan ke depan (bawaan 3)")
    a.add_argument("--keep-months", type=int, help="lepaskan bulan yang lebih lama dari N bulan")
    a.add_argument("--drop", action="store_true", help="hapus bulan yang dilepas (bawaan: arsip)")
    a.set_defaults(func=cmd_attendance_partitions)
    _rollup_parser(asub, "attendance_rollup", "ringkasan presensi untuk dasbor pemantauan", "rekap harian")
    p = sub.add_parser("performance", help="kinerja")
    psub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    _rollup_parser(psub, "performance_rollup", "ringkasan penilaian kinerja untuk dasbor pemantauan", "penilaian final")

    p = sub.add_parser("schedules", help="rencana kerja")
    ssub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    _rollup_parser(ssub, "schedules_rollup", "ringkasan hari kerja yang disetujui untuk dasbor pemantauan",
                   "hari kerja yang disetujui")

    p = sub.add_parser("jobs", help="pekerjaan latar (usulan perencana, laporan)")
    jsub = p.add_subparsers(dest="what", metavar="AKSI", required=True)
    j = jsub.add_parser("prune", help="hapus pekerjaan selesai yang lama (bawaan: > 90 hari)")
    j.add_argument("--older-than", type=_positive, default=90, metavar="HARI", help="umur minimum dalam hari (bawaan 90)")
    j.set_defaults(func=cmd_jobs_prune)

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

    p = sub.add_parser("worker", help="jalankan antrean pekerjaan latar (laporan)")
    p.add_argument("--batch", action="store_true", help="kerjakan semua tugas yang ada, lalu berhenti")
    p.add_argument("--interval", type=float, default=1.0, help="jeda (detik) saat antrean kosong")
    p.set_defaults(func=cmd_worker)
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


def _rollup_parser(subparsers: Any, command: str, help_text: str, source: str) -> None:
    """``fleksi <app> rollup --rebuild [--agency]``: the management command ``command``
    (fleksi.organisation.rollup_command)."""
    a = subparsers.add_parser("rollup", help=help_text)
    a.add_argument("--rebuild", action="store_true", help=f"hitung ulang dari {source} (aman diulang)")
    a.add_argument("--agency", help="kode atau id instansi (bawaan: semua)")
    a.set_defaults(func=cmd_rollup, rollup_command=command)


def cmd_rollup(ns: argparse.Namespace) -> int:
    args = [*(["--rebuild"] if ns.rebuild else []), *(["--agency", ns.agency] if ns.agency else [])]
    return _call(ns.rollup_command, *args)


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


def cmd_attendance_partitions(ns: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    args = ["--ahead", str(ns.ahead)]
    if ns.keep_months is not None:
        args += ["--keep-months", str(ns.keep_months)]
    if ns.drop:
        args.append("--drop")
    try:
        call_command("attendance_partitions", *args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["plan", "check"]:
        return cmd_plan_check(args[2:])
    if args[:2] == ["plan", "propose"]:
        return cmd_plan_propose(args[2:])
    if args[:1] == ["plan"]:
        print("penggunaan: fleksi plan check --employees F --plan F [--policy F] [--format json|text] [--lang id|en]", file=sys.stderr)
        print("            fleksi plan propose --employees F --from YYYY-MM-DD --weeks N [--preferences F] [--plan F] [--policy F] [--anchor senin,rabu] [--time-limit S] [--format csv|json] [--lang id|en]", file=sys.stderr)
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
