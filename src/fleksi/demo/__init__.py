"""The demo agency: a fictional regency government with about 300 employees in a dozen units.

Built through the same import service as a real agency's file, so the demo exercises the
real path. Idempotent: if the demo agency exists, nothing changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from fleksi.core import clock

AGENCY_CODE = "kab-lembah-hijau"
AGENCY_NAME = "Pemerintah Kabupaten Lembah Hijau (demo)"
PASSWORD = "fleksi-demo-2026"

# code, name, parent, staff count, public service
UNITS: list[tuple[str, str, str | None, int, bool]] = [
    ("SETDA", "Sekretariat Daerah", None, 14, False),
    ("SETDA-ORG", "Bagian Organisasi", "SETDA", 12, False),
    ("SETDA-HUK", "Bagian Hukum", "SETDA", 12, False),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "SETDA", 24, False),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "SETDA", 26, False),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "SETDA", 28, False),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "SETDA", 26, False),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "SETDA", 30, True),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "SETDA", 24, True),
    ("DINKES", "Dinas Kesehatan", "SETDA", 22, False),
    ("RSUD", "Rumah Sakit Umum Daerah", "DINKES", 36, True),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "SETDA", 28, True),
    ("KEC-UTARA", "Kecamatan Lembah Utara", "SETDA", 14, True),
]

HEAD_TITLES = {
    "SETDA": "Sekretaris Daerah",
    "SETDA-ORG": "Kepala Bagian Organisasi",
    "SETDA-HUK": "Kepala Bagian Hukum",
    "RSUD": "Direktur RSUD",
    "SATPOLPP": "Kepala Satuan Polisi Pamong Praja",
    "KEC-UTARA": "Camat Lembah Utara",
}

# title: (meets five criteria, field work, time flexibility)
POSITIONS: dict[str, tuple[bool, bool, str]] = {
    "Analis Kebijakan": (True, False, "dinamis"),
    "Perencana": (True, False, "dinamis"),
    "Analis SDM Aparatur": (True, False, "tidak"),
    "Pranata Komputer": (True, False, "sif"),
    "Pranata Hubungan Masyarakat": (True, False, "tidak"),
    "Analis Keuangan": (True, False, "tidak"),
    "Perancang Peraturan Perundang-undangan": (True, False, "dinamis"),
    "Arsiparis": (False, False, "tidak"),
    "Bendahara": (False, False, "tidak"),
    "Pengadministrasi Perkantoran": (False, False, "tidak"),
    "Petugas Pelayanan Administrasi Kependudukan": (False, False, "sif"),
    "Dokter": (False, False, "sif"),
    "Perawat": (False, False, "sif"),
    "Polisi Pamong Praja": (False, True, "sif"),
    "Penyuluh Kesehatan": (True, True, "tidak"),
    "Auditor": (True, True, "dinamis"),
}

STAFF_POSITIONS: dict[str, list[str]] = {
    "SETDA": ["Analis Kebijakan", "Pengadministrasi Perkantoran", "Arsiparis"],
    "SETDA-ORG": ["Analis Kebijakan", "Pengadministrasi Perkantoran"],
    "SETDA-HUK": ["Perancang Peraturan Perundang-undangan", "Pengadministrasi Perkantoran"],
    "BKPSDM": ["Analis SDM Aparatur", "Arsiparis", "Pengadministrasi Perkantoran"],
    "BAPPEDA": ["Perencana", "Analis Kebijakan", "Pengadministrasi Perkantoran"],
    "BPKAD": ["Analis Keuangan", "Bendahara", "Auditor"],
    "DISKOMINFO": ["Pranata Komputer", "Pranata Hubungan Masyarakat"],
    "DISDUKCAPIL": ["Petugas Pelayanan Administrasi Kependudukan", "Pranata Komputer", "Arsiparis"],
    "DPMPTSP": ["Petugas Pelayanan Administrasi Kependudukan", "Analis Kebijakan"],
    "DINKES": ["Penyuluh Kesehatan", "Perencana", "Pengadministrasi Perkantoran"],
    "RSUD": ["Dokter", "Perawat", "Perawat", "Pengadministrasi Perkantoran"],
    "SATPOLPP": ["Polisi Pamong Praja", "Polisi Pamong Praja", "Pengadministrasi Perkantoran"],
    "KEC-UTARA": ["Pengadministrasi Perkantoran", "Analis Kebijakan"],
}

FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko",
         "Kartika", "Lestari", "Made", "Nur", "Oktaviani", "Putu", "Rahmat", "Sari", "Teguh",
         "Utami", "Wahyu", "Yohana", "Zainal", "Ayu", "Bambang", "Dian", "Fajar", "Ketut", "Rina",
         "Siti", "Yusuf", "Wayan", "Ratna", "Irfan", "Maria", "Andi", "Novi", "Hadi", "Lina", "Taufik"]
LAST = ["Pratama", "Wijaya", "Susanto", "Lestari", "Hidayat", "Saputra", "Siregar", "Nasution",
        "Simanjuntak", "Kurniawan", "Rahayu", "Setiawan", "Purnomo", "Wibowo", "Santoso",
        "Harahap", "Sinaga", "Gunawan", "Permata", "Halim", "Tanjung", "Putri", "Nugroho", "Manurung"]

DEMO_LOGINS = [
    # (label, email, how the person is chosen)
    ("Admin SDM (BKPSDM)", "sdm@lembahhijau.go.id", "hr"),
    ("PPK (Sekretaris Daerah)", "ppk@lembahhijau.go.id", "ppk"),
    ("Kepala unit (Diskominfo)", "kepala.kominfo@lembahhijau.go.id", "head"),
    ("Pegawai (Diskominfo)", "pegawai@lembahhijau.go.id", "employee"),
]
MONITOR = ("pemantau", "pemantau@menpan.go.id")
SYSADMIN = ("admin", "admin@lembahhijau.go.id")


def _nip(rng: random.Random, used: set[str], sex: int | None = None, recent: bool = False) -> str:
    while True:
        birth = dt.date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        year = rng.randint(birth.year + 20, min(birth.year + 35, 2024))
        if recent:
            year = max(year, 2023)
        nip = f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{sex or rng.randint(1, 2)}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            return nip


def build_employees_csv(today: dt.date, seed: int = 2025) -> tuple[bytes, dict[str, str]]:
    """The demo agency's employees.csv (FORMATS.md) and the NIPs of the demo logins."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    used: set[str] = set()
    columns = ["nip", "nama", "jenis", "unit_kode", "unit_nama", "unit_induk_kode", "jabatan",
               "kepala_unit", "atasan_nip", "tmt_jabatan", "email", "domisili",
               "tugas_memenuhi_kriteria", "tugas_luar_kantor", "waktu", "hukuman_disiplin",
               "dikecualikan", "keadaan_khusus_mulai", "keadaan_khusus_sampai"]
    rows: list[dict[str, str]] = []
    heads: dict[str, str] = {}
    logins: dict[str, str] = {}

    def name() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def yn(value: bool) -> str:
        return "ya" if value else "tidak"

    for code, unit_name, parent, staff, _public in UNITS:
        head_nip = _nip(rng, used)
        heads[code] = head_nip
        rows.append({
            "nip": head_nip, "nama": name(), "jenis": "PNS", "unit_kode": code, "unit_nama": unit_name,
            "unit_induk_kode": parent or "", "jabatan": HEAD_TITLES.get(code, f"Kepala {unit_name}"),
            "kepala_unit": "ya", "atasan_nip": heads.get(parent or "", ""),
            "tmt_jabatan": (today - dt.timedelta(days=rng.randint(400, 2000))).isoformat(),
            "email": "", "domisili": f"Jl. Merdeka No. {rng.randint(1, 200)}, Lembah Hijau",
            "tugas_memenuhi_kriteria": "tidak", "tugas_luar_kantor": "tidak", "waktu": "tidak",
            "hukuman_disiplin": "tidak", "dikecualikan": "tidak",
            "keadaan_khusus_mulai": "", "keadaan_khusus_sampai": "",
        })
        for i in range(staff - 1):
            title = STAFF_POSITIONS[code][i % len(STAFF_POSITIONS[code])]
            eligible, field, time = POSITIONS[title]
            pppk = rng.random() < 0.15
            new_in_position = rng.random() < 0.06
            start = today - dt.timedelta(days=rng.randint(20, 150) if new_in_position else rng.randint(200, 3000))
            nip = _nip(rng, used, recent=pppk)
            rows.append({
                "nip": nip, "nama": name(), "jenis": "PPPK" if pppk else "PNS", "unit_kode": code,
                "unit_nama": "", "unit_induk_kode": "", "jabatan": title, "kepala_unit": "tidak",
                "atasan_nip": heads[code], "tmt_jabatan": start.isoformat(), "email": "",
                "domisili": f"Perum Griya Asri Blok {rng.choice('ABCDE')}{rng.randint(1, 30)}, Lembah Hijau",
                "tugas_memenuhi_kriteria": yn(eligible), "tugas_luar_kantor": yn(field), "waktu": time,
                "hukuman_disiplin": "tidak", "dikecualikan": "tidak",
                "keadaan_khusus_mulai": "", "keadaan_khusus_sampai": "",
            })
    # A few special cases the rules must see.
    staff_rows = [r for r in rows if r["kepala_unit"] == "tidak"]
    for r in rng.sample(staff_rows, 3):
        r["hukuman_disiplin"] = "ya"
    for r in rng.sample([r for r in staff_rows if r["hukuman_disiplin"] == "tidak"], 2):
        r["dikecualikan"] = "ya"
        r["domisili"] = "Penugasan pada Polri"
    special = next(r for r in staff_rows if r["unit_kode"] == "BAPPEDA" and r["hukuman_disiplin"] == "tidak")
    special["keadaan_khusus_mulai"] = today.isoformat()
    special["keadaan_khusus_sampai"] = (today + dt.timedelta(days=60)).isoformat()

    # The demo logins.
    hr = next(r for r in staff_rows if r["unit_kode"] == "BKPSDM" and r["jabatan"] == "Analis SDM Aparatur")
    employee = next(r for r in staff_rows if r["unit_kode"] == "DISKOMINFO" and r["jabatan"] == "Pranata Komputer"
                    and r["hukuman_disiplin"] == "tidak" and r["dikecualikan"] == "tidak")
    chosen = {"hr": hr, "ppk": next(r for r in rows if r["nip"] == heads["SETDA"]),
              "head": next(r for r in rows if r["nip"] == heads["DISKOMINFO"]), "employee": employee}
    employee["tmt_jabatan"] = (today - dt.timedelta(days=900)).isoformat()
    for _label, email, key in DEMO_LOGINS:
        chosen[key]["email"] = email
        logins[key] = chosen[key]["nip"]

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8"), logins


def demo_exists() -> bool:
    from fleksi.organisation.models import Agency

    return Agency.objects.filter(code=AGENCY_CODE).exists()


def load_demo(progress: Callable[[str], None] | None = None) -> bool:
    """Load the demo agency unless it exists. Returns True when it was created now."""
    from fleksi.accounts.models import User
    from fleksi.organisation.importing import employees_import
    from fleksi.organisation.models import Agency, AgencyRole, AgencyRoleKind

    say = progress or (lambda _msg: None)
    if demo_exists():
        return False
    today = clock.today()
    data, logins = build_employees_csv(today)
    with transaction.atomic():
        agency = Agency.objects.create(code=AGENCY_CODE, name=AGENCY_NAME)
        say("Mengimpor pegawai demo…")
        report = employees_import(actor=None, agency=agency, data=data, filename="pegawai-demo.csv", progress=say)
        say(f"{report.employees_created} pegawai dan {report.units_created} unit dimuat.")
        # Everyone of the demo agency can log in with the demo password (one hash, shared).
        User.objects.filter(employee__agency=agency).update(password=make_password(PASSWORD))
        AgencyRole.objects.create(user=User.objects.get(username=logins["hr"]), agency=agency, role=AgencyRoleKind.HR_ADMIN)
        AgencyRole.objects.create(user=User.objects.get(username=logins["ppk"]), agency=agency, role=AgencyRoleKind.PPK)
        monitor, _ = User.objects.get_or_create(username=MONITOR[0], defaults={"email": MONITOR[1], "is_national_monitor": True})
        monitor.set_password(PASSWORD)
        monitor.save()
        admin, _ = User.objects.get_or_create(username=SYSADMIN[0], defaults={"email": SYSADMIN[1]})
        admin.is_superuser = admin.is_staff = True
        admin.set_password(PASSWORD)
        admin.save()
        from fleksi.demo.requests import load_demo_requests

        load_demo_requests(agency, today, say)
        from fleksi.demo.attendance import load_demo_attendance

        load_demo_attendance(agency, today, say)
        from fleksi.demo.performance import load_demo_performance

        load_demo_performance(agency, today, say)
        from fleksi.demo.monitoring import load_demo_monitoring

        load_demo_monitoring(agency, today, User.objects.get(username=logins["hr"]), say)
    return True



def demo_reset(progress: Callable[[str], None] | None = None) -> bool:
    """Remove the demo agency, its people and the demo accounts (nothing of any other
    agency). Returns True when there was a demo to remove."""
    from fleksi.organisation.models import Agency

    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return False
    (progress or (lambda _msg: None))("Menghapus instansi demo…")
    remove_agency(agency, extra_usernames=[MONITOR[0], SYSADMIN[0]])
    return True


def remove_agency(agency, extra_usernames: list[str] = ()) -> None:  # type: ignore[assignment]
    """Delete a demo or synthetic agency with everything of it, each table in one DELETE
    (no cascade collected row by row), from the leaves up, plus its people's accounts."""
    from fleksi.accounts.models import User
    from fleksi.attendance.models import (
        AttendanceSettings,
        CheckIn,
        CheckInKey,
        Correction,
        DailyRecord,
        DayRollup,
        LeaveDay,
        MonthLock,
        WeekRollup,
    )
    from fleksi.organisation.models import AgencyRole, Employee, OrgUnit, Position
    from fleksi.performance.models import Assessment, AssessmentRollup, LogEntry, PlannedOutput
    from fleksi.requests.models import FlexRequest
    from fleksi.schedules.models import ArrangementDay

    with transaction.atomic():
        user_ids = list(User.objects.filter(employee__agency=agency).values_list("pk", flat=True))
        user_ids += list(AgencyRole.objects.filter(agency=agency).values_list("user_id", flat=True))
        for model in (
            CheckIn, CheckInKey, DailyRecord, DayRollup, WeekRollup, Correction, LeaveDay, MonthLock,
            AttendanceSettings,
        ):
            model.objects.filter(agency=agency).delete()
        ArrangementDay.objects.filter(agency=agency).delete()
        LogEntry.objects.filter(agency=agency).delete()  # protects the planned outputs
        Assessment.objects.filter(agency=agency).delete()
        AssessmentRollup.objects.filter(agency=agency).delete()  # with its assessments (docs/decisions/198)
        PlannedOutput.objects.filter(agency=agency).delete()
        FlexRequest.objects.filter(agency=agency).delete()
        OrgUnit.objects.filter(agency=agency).update(head=None, parent=None)
        Employee.objects.filter(agency=agency).update(supervisor=None)
        Employee.objects.filter(agency=agency).delete()
        OrgUnit.objects.filter(agency=agency).delete()
        Position.objects.filter(agency=agency).delete()
        agency.delete()
        User.objects.filter(pk__in=user_ids).delete()
        User.objects.filter(username__in=list(extra_usernames)).delete()


def logins_text() -> str:
    lines = ["", "Akun demo (kata sandi untuk semua: " + PASSWORD + "):"]
    for label, email, _key in DEMO_LOGINS:
        lines.append(f"  {label:<28} {email}")
    lines.append(f"  {'Pemantau nasional':<28} {MONITOR[0]}")
    lines.append(f"  {'Admin sistem':<28} {SYSADMIN[0]}")
    lines.append("  Setiap pegawai demo juga dapat masuk dengan NIP-nya.")
    lines.append("")
    return "\n".join(lines)
