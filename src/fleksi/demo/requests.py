"""Demo history of the flexible-work workflow, made through the real services.

Registered in ``fleksi.demo.EXTRA_LOADERS`` when this module is imported; ``load_demo``
calls it inside its transaction with the new demo agency. It adds offices and permitted
places, a coverage policy, and requests in every state across several units for the current
and the next week, so that the inbox, the team calendar and the notifications show real work.

The current week's history is made "as of Monday 07:00": the clock is moved for the time of
those calls only, so the services validate and date them as they would have then.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from fleksi.core import clock
from fleksi.organisation import services as org_services
from fleksi.requests import decisions as request_decisions
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.requests.inputs import OutputInput, RequestInput
from fleksi.scheme import services as scheme_services
from fleksi.scheme.facts import agency_calendar

Say = Callable[[str], None]

OFFICES = [
    ("Kantor Bupati Lembah Hijau (Pusat Pemerintahan)", "Jl. Merdeka No. 1, Lembah Hijau"),
    ("Mal Pelayanan Publik Lembah Hijau", "Jl. Pahlawan No. 17, Lembah Hijau"),
    ("UPT Pelayanan Lembah Utara", "Jl. Raya Utara Km 4, Lembah Utara"),
]
PLACES = [
    ("Perpustakaan Daerah Lembah Hijau", "Jl. Pendidikan No. 9, Lembah Hijau"),
    ("Ruang Kerja Bersama Diskominfo", "Gedung Diskominfo Lt. 2, Lembah Hijau"),
]
POLICY = {"min_office_share": {"*": 0.5, "DISDUKCAPIL": 0.8, "RSUD": 0.8}}
UNITS = ["DISKOMINFO", "BAPPEDA", "BKPSDM", "BPKAD", "SETDA-HUK", "SETDA-ORG"]
REASONS = [
    "Menyusun dokumen yang membutuhkan waktu kerja tanpa gangguan.",
    "Mengolah data dan menulis laporan triwulan.",
    "Menyelesaikan telaah kebijakan sesuai target SKP.",
    "Mengurangi waktu perjalanan; pekerjaan dapat dilakukan secara daring.",
]
PLANS = [
    "Senin: pengolahan data; Selasa: penulisan draf; rapat daring pukul 10.00.",
    "Menyusun draf, berkoordinasi melalui aplikasi pesan dinas, melapor di akhir hari.",
    "Telaah dokumen dan penyusunan matriks rekomendasi.",
]
OUTPUTS = [
    "Draf laporan",
    "Matriks telaah kebijakan",
    "Rekap data",
    "Notulensi rapat daring",
    "Bahan paparan",
]
PDF = b"%PDF-1.4\n% demo: surat keterangan\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@contextmanager
def _as_of(moment: dt.datetime) -> Iterator[None]:
    original = clock.now
    clock.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.now = original  # type: ignore[assignment]


def _working_days(calendar: Any, monday: dt.date) -> list[dt.date]:
    return [
        monday + dt.timedelta(days=i)
        for i in range(5)
        if calendar.is_working_day(monday + dt.timedelta(days=i))
    ]


def load_demo_requests(agency: Any, today: dt.date, say: Say) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fleksi.accounts.models import User
    from fleksi.core.errors import ApplicationError
    from fleksi.organisation.models import AgencyRole, AgencyRoleKind, Employee, OrgUnit

    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    hr = User.objects.filter(
        agency_roles__agency=agency, agency_roles__role=AgencyRoleKind.HR_ADMIN
    ).first()
    if hr is None:
        hr = User.objects.filter(
            pk__in=AgencyRole.objects.filter(agency=agency).values("user_id")
        ).first()
    if hr is None:
        say("Tidak ada admin SDM demo: riwayat pengajuan dilewati.")
        return
    say("Menyiapkan kantor, lokasi dan kebijakan kerja fleksibel…")
    offices = [
        org_services.office_save(actor=hr, agency_id=agency.pk, name=n, address=a) for n, a in OFFICES
    ]
    places = [
        org_services.place_save(actor=hr, agency_id=agency.pk, name=n, address=a) for n, a in PLACES
    ]
    scheme_services.agency_policy_update(actor=hr, agency_id=agency.pk, data=POLICY)

    calendar = agency_calendar(agency)
    monday = today - dt.timedelta(days=today.weekday())
    this_week = _working_days(calendar, monday)
    next_week = _working_days(calendar, monday + dt.timedelta(days=7))
    zone = ZoneInfo(agency.time_zone)
    history_moment = dt.datetime.combine(monday, dt.time(7, 0), tzinfo=zone)
    counts: dict[str, int] = {}

    units = {
        u.code: u
        for u in OrgUnit.objects.filter(agency=agency, code__in=UNITS).select_related("head__user")
    }
    staff: dict[str, list[Employee]] = {}
    cutoff = today - dt.timedelta(days=200)
    for employee in (
        Employee.objects.filter(
            agency=agency, unit__code__in=UNITS, is_active=True, disciplinary=False, excluded=False
        )
        .exclude(headed_units__isnull=False)
        .select_related("unit", "position", "user", "agency")
        .order_by("nip")
    ):
        if (
            employee.tasks_eligible
            and employee.user_id
            and (employee.position_start is None or employee.position_start <= cutoff)
        ):
            staff.setdefault(employee.unit.code, []).append(employee)
    demo_login = (
        Employee.objects.filter(agency=agency, email="pegawai@lembahhijau.go.id")
        .select_related("user")
        .first()
    )

    def data(dates: list[dt.date], **extra: Any) -> RequestInput:
        values: dict[str, Any] = {
            "start_date": min(dates),
            "end_date": max(dates),
            "location_kind": "rumah",
            "schedule_mode": "dates",
            "dates": tuple(sorted(dates)),
            "reason": rng.choice(REASONS),
            "work_plan": rng.choice(PLANS),
            "outputs": (OutputInput(description=rng.choice(OUTPUTS)),),
        }
        values.update(extra)
        return RequestInput(**values)

    def location() -> dict[str, Any]:
        roll = rng.random()
        if roll < 0.15:
            return {"location_kind": "kantor_lain", "office_id": rng.choice(offices).pk}
        if roll < 0.25:
            return {"location_kind": "lokasi_lain", "place_id": rng.choice(places).pk}
        return {"location_kind": "rumah"}

    def make(employee: Employee, dates: list[dt.date], final: str, head: Any, **extra: Any) -> None:
        """One request taken to ``final`` through the services; a refusal is reported, not fatal."""
        user = employee.user
        try:
            request = request_services.request_create(actor=user, data=data(dates, **extra))
            if extra.get("is_special"):
                request_evidence.evidence_add(
                    actor=user,
                    request_id=request.pk,
                    upload=SimpleUploadedFile("surat-keterangan.pdf", PDF),
                )
            if final != "draft":
                request_services.request_submit(actor=user, request_id=request.pk)
            if final in ("approved", "cancelled", "revoked"):
                request_decisions.request_approve(
                    actor=head, request_id=request.pk, note="Disetujui; jaga ketersediaan daring."
                )
            if final == "rejected":
                request_decisions.request_reject(
                    actor=head,
                    request_id=request.pk,
                    reason="Pekan ini ada pelayanan lapangan; mohon di kantor.",
                )
            if final == "returned":
                request_decisions.request_return(
                    actor=head, request_id=request.pk, reason="Lengkapi target keluaran per hari."
                )
            if final == "cancelled":
                request_services.request_cancel(
                    actor=user, request_id=request.pk, reason="Jadwal rapat berubah."
                )
            if final == "revoked":
                request_decisions.request_revoke(
                    actor=head,
                    request_id=request.pk,
                    reason="Ada audit mendadak; seluruh staf di kantor.",
                )
        except ApplicationError as error:
            codes = (
                ", ".join((error.details or {}).get("errors", []))
                if isinstance(error.details, dict)
                else ""
            )
            say(f"  (lewati pengajuan {employee.name}: {error.message} {codes})")
            return
        counts[final] = counts.get(final, 0) + 1

    say("Membuat riwayat pengajuan kerja fleksibel…")
    plans: list[tuple[Employee, Any, list[dt.date], list[dt.date]]] = []
    for code in UNITS:
        unit = units.get(code)
        people = [e for e in staff.get(code, []) if demo_login is None or e.pk != demo_login.pk]
        if unit is None or unit.head is None or unit.head.user is None or not people:
            continue
        rng.shuffle(people)
        for index, employee in enumerate(people[: max(3, len(people) * 2 // 5)]):
            now_days = (
                sorted(rng.sample(this_week, min(len(this_week), 1 + index % 2)))
                if this_week
                else []
            )
            later = (
                sorted(rng.sample(next_week, min(len(next_week), 1 + (index + 1) % 2)))
                if next_week
                else []
            )
            plans.append((employee, unit.head.user, now_days, later))

    # This week's arrangements, decided on Monday morning.
    with _as_of(history_moment if today > monday else clock.now()):
        for employee, head, now_days, _later in plans:
            if now_days:
                make(employee, now_days, "approved", head, **location())

    # Next week: every state, most of them approved, several waiting in the inbox.
    cycle = ["approved"] * 5 + ["submitted"] * 3 + ["returned", "rejected", "cancelled", "revoked"]
    for index, (employee, head, _now, later) in enumerate(plans):
        if later:
            make(employee, later, cycle[index % len(cycle)], head, **location())

    kominfo = units.get("DISKOMINFO")
    if (
        demo_login is not None
        and demo_login.user is not None
        and kominfo is not None
        and kominfo.head
        and next_week
    ):
        head = kominfo.head.user
        demo_login = Employee.objects.select_related("unit", "position", "user", "agency").get(
            pk=demo_login.pk
        )
        make(
            demo_login,
            [next_week[min(1, len(next_week) - 1)]],
            "approved",
            head,
            location_kind="rumah",
        )
        make(
            demo_login,
            [next_week[-1]],
            "draft",
            head,
            location_kind="lokasi_lain",
            place_id=places[0].pk,
        )

    # Keadaan khusus with evidence (the cap does not apply within its period) and dynamic hours.
    bappeda = units.get("BAPPEDA")
    if bappeda is not None and bappeda.head is not None and next_week:
        special = (
            Employee.objects.filter(
                unit=bappeda, special_start__isnull=False, disciplinary=False, excluded=False
            )
            .select_related("unit", "position", "user", "agency")
            .first()
        )
        if special is not None and special.user is not None and special.tasks_eligible:
            make(
                special,
                next_week[:4],
                "submitted",
                bappeda.head.user,
                is_special=True,
                special_description="Merawat orang tua pascaoperasi (surat keterangan dokter terlampir).",
            )
        dynamic = next(
            (
                e
                for e in staff.get("BAPPEDA", [])
                if e.time_flexibility == "dinamis" and not any(e is p[0] for p in plans)
            ),
            None,
        )
        if dynamic is not None:
            # Friday's break is 90 minutes (Perpres 21/2023): end half an hour later.
            hours = {
                str(d.weekday()): ("06:30", "15:30" if d.weekday() == 4 else "15:00")
                for d in next_week
            }
            make(
                dynamic,
                next_week,
                "approved",
                bappeda.head.user,
                location_kind="kantor",
                time_kind="dinamis",
                hours=hours,
            )
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    say(f"Pengajuan demo: {summary or 'tidak ada'}.")
