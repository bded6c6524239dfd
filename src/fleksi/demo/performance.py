"""Demo history of output-based performance (issue 9), made through the real services.

For the Diskominfo unit: two months of planned outputs (added by the employees and agreed by
the head on the first working day), a daily log on (almost) every working day of the last
month and of this month so far (a few days left without a log; some outputs finished after
their due date), feedback with a reply, and last month assessed, finalised and answered.
Each call runs "as of" its own day, so the services validate and date it as they would have.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.core.errors import ApplicationError
from fleksi.demo.requests import PDF, _as_of
from fleksi.performance import services
from fleksi.performance.selectors import schedule_of
from fleksi.performance.sync import mirror_request_outputs
from fleksi.policy.rating import BehaviourValue, Expectation
from fleksi.scheme.facts import agency_calendar

Say = Callable[[str], None]
UNIT = "DISKOMINFO"
STAFF = 6
OUTPUTS = [
    ("Konten informasi layanan publik", 8, "konten", "Meningkatnya keterbukaan informasi publik"),
    ("Laporan pemantauan jaringan", 2, "laporan", "Tersedianya layanan jaringan yang andal"),
    ("Dokumentasi aplikasi layanan", 1, "dokumen", "Terselenggaranya SPBE"),
    ("Rekap aduan SP4N-LAPOR!", 4, "rekap", "Tertanganinya aduan masyarakat"),
]
ACTIVITIES = [
    "Menyusun draf {o}",
    "Melengkapi data untuk {o}",
    "Memperbaiki {o} sesuai masukan",
    "Rapat daring membahas {o}",
]


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def load_demo_performance(agency: Any, today: dt.date, say: Say) -> None:
    from fleksi.organisation.models import Employee, OrgUnit

    rng = random.Random(2027)  # noqa: S311 - demo data, not secrets
    unit = OrgUnit.objects.filter(agency=agency, code=UNIT).select_related("head__user").first()
    if unit is None or unit.head is None or unit.head.user is None:
        say("Unit Diskominfo tanpa pimpinan: riwayat kinerja dilewati.")
        return
    head = unit.head.user
    people = list(
        Employee.objects.filter(agency=agency, unit=unit, is_active=True, user__isnull=False)
        .exclude(pk=unit.head.pk).select_related("user").order_by("nip")
    )
    demo_login = next((e for e in people if e.email == "pegawai@lembahhijau.go.id"), None)
    staff = ([demo_login] if demo_login else []) + [e for e in people if e is not demo_login][: STAFF - (1 if demo_login else 0)]
    calendar = agency_calendar(agency)
    zone = ZoneInfo(agency.time_zone)

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)

    say("Membuat laporan harian dan penilaian kinerja demo…")
    last, this = _month_start(today, 1), _month_start(today)
    entries = 0
    for month in (last, this):
        end = min(_month_end(month), today - dt.timedelta(days=1)) if month == this else _month_end(month)
        days = [month + dt.timedelta(days=i) for i in range((end - month).days + 1)]
        working = [d for d in days if calendar.is_working_day(d)]
        if not working:
            continue
        first = working[0]
        mid = working[min(len(working) - 1, len(working) // 2)]
        for index, employee in enumerate(staff):
            picks = [OUTPUTS[(index + k) % len(OUTPUTS)] for k in range(2)]
            outputs = []
            with _as_of(at(first, 8)):
                for k, (description, target, unit_name, skp) in enumerate(picks):
                    output = services.output_propose(actor=employee.user, data=services.OutputInput(
                        description=description, target_quantity=target, unit=unit_name,
                        due_date=mid if k == 0 else _month_end(month), skp_text=skp,
                    ))
                    services.output_decide(actor=head, output_id=output.pk, agree=True)
                    outputs.append(output)
            late = index % 3 == 2  # every third employee finishes the first output late
            done = {o.pk: 0 for o in outputs}
            for n, day in enumerate(working[:-1] if month == this else working):
                if rng.random() < 0.08:
                    continue  # a few days without a log
                output = outputs[0] if (day <= mid and not late) or (late and n % 3 == 0) else outputs[n % 2]
                quantity = 1 if done[output.pk] < output.target_quantity + 1 else 0
                if late and output is outputs[0] and day <= mid:
                    quantity = 0
                done[output.pk] += quantity
                with _as_of(at(day, 15)):
                    try:
                        entry = services.log_create(actor=employee.user, data=services.LogInput(
                            date=day, description=rng.choice(ACTIVITIES).format(o=output.description.lower()),
                            quantity=quantity, minutes=rng.choice([90, 120, 180, 240]), planned_output_id=output.pk,
                            evidence_url=None,
                        ))
                    except ApplicationError as error:
                        say(f"  (lewati laporan {employee.name} {day}: {error.message})")
                        continue
                    entries += 1
                    if n == 3:
                        services.evidence_add(actor=employee.user, entry_id=entry.pk, upload=SimpleUploadedFile("bukti.pdf", PDF))
                        services.comment_add(actor=head, entry_id=entry.pk, body="Terima kasih, mohon lampirkan juga tautan publikasinya.")
                        services.comment_add(actor=employee.user, entry_id=entry.pk, body="Baik, segera saya tambahkan.")
        if month == last:
            key = schedule_of(agency).period_of(month).key  # the agency's cadence (monthly for the demo)
            with _as_of(at(_month_end(month) + dt.timedelta(days=3), 9)):
                # The approved requests' outputs of the month join the assessment when it is
                # first read; mirror them now, so that every output the head must rate is rated.
                mirror_request_outputs(
                    agency_id=agency.pk, employee_ids=[e.pk for e in staff], start=month, end=_month_end(month)
                )
                for index, employee in enumerate(staff):
                    view_outputs = [o for o in employee.planned_outputs.filter(start_date__lte=_month_end(month), end_date__gte=month)]
                    levels = [Expectation.MEETS, Expectation.ABOVE, Expectation.MEETS, Expectation.BELOW]
                    work = {str(o.pk): levels[(index + i) % len(levels)].value for i, o in enumerate(view_outputs)}
                    behaviour = {v.value: (Expectation.ABOVE if (index + i) % 4 == 0 else Expectation.MEETS).value for i, v in enumerate(BehaviourValue)}
                    services.assessment_save(actor=head, employee_id=employee.pk, period=key, data=services.AssessmentInput(
                        output_ratings=work, behaviour_ratings=behaviour,
                        feedback="Target bulan ini tercapai; pertahankan ketepatan waktu." if index % 3 != 2 else "Keluaran pertama terlambat; rencanakan lebih awal.",
                    ))
                    services.assessment_finalise(actor=head, employee_id=employee.pk, period=key)
                if staff:
                    services.assessment_respond(actor=staff[0].user, employee_id=staff[0].pk, period=key, response="Terima kasih atas umpan baliknya.")
    say(f"Kinerja demo: {entries} laporan harian, {len(staff)} pegawai dinilai untuk {last:%m/%Y}.")
