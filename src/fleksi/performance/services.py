"""Every write of performance: planned outputs the employee adds and the head agrees to, the
daily log and its evidence, feedback, and the assessment (draft, finalise, respond). One
transaction each, permission checked, audited; notifications through fleksi.notifications.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock, files
from fleksi.core.errors import (
    ApplicationError,
    ErrorCode,
    not_found,
    permission_denied,
    validation_error,
)
from fleksi.notifications.services import Recipient, notify
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import scope_for
from fleksi.organisation.selectors import agency_for_manager
from fleksi.policy import rating

from . import log_rollup
from . import rollup as assessment_rollup
from .models import (
    Assessment,
    AssessmentState,
    LogComment,
    LogEntry,
    LogEvidence,
    OutputSource,
    OutputState,
    PerformanceSettings,
    PlannedOutput,
)
from .output_sums import refresh_output_sums
from .periods import Cadence, Period, Schedule, parse_key
from .selectors import (
    cadence_effective_from,
    can_assess,
    employee_in_scope,
    log_get,
    period_for,
    period_locked,
    period_outputs,
    schedule_of,
    today_of,
)

EVIDENCE_MAX_FILES = 10
MAX_TEXT = 2000


def evidence_max_bytes() -> int:
    return int(getattr(settings, "FLEKSI_PERFORMANCE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def _own_employee(actor: Any) -> Employee:
    scope = scope_for(actor)
    if scope.employee_id is None:
        raise permission_denied(_("Akun ini tidak terhubung dengan data pegawai."))
    return employee_in_scope(scope, None)


def _audit(actor: Any, action: str, obj: Any, agency_id: int, **data: Any) -> None:
    audit_record(
        actor=actor, action=f"performance.{action}", object_type=type(obj).__name__.lower(),
        object_id=obj.pk, agency_id=agency_id, data=data,
    )


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise validation_error(field, _("Isi dengan angka.")) from None
    if not number.is_finite() or abs(number) >= Decimal("100000000"):
        raise validation_error(field, _("Isi dengan angka."))
    return number.quantize(Decimal("0.01"))


def _text(value: Any, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise validation_error(field, _("Wajib diisi."))
    if len(text) > limit:
        raise validation_error(field, _("Paling panjang %(n)s karakter.") % {"n": limit})
    return text


def _url(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(text) > 500:
        raise validation_error("evidence_url", _("Tautan bukti dukung harus alamat http(s) yang sah."))
    return text


def _employee_recipient(employee: Employee) -> list[Recipient]:
    if employee.user is None:
        return []
    return [Recipient(user=employee.user, email=employee.user.email or "")]


def _heads_of(employee: Employee) -> list[Recipient]:
    """The heads of the units above the employee (nearest first), not the employee."""
    path_ids = [int(p) for p in employee.unit.path.strip("/").split("/") if p.isdigit()]
    heads = (
        Employee.objects.filter(headed_units__pk__in=path_ids, is_active=True)
        .exclude(pk=employee.pk).select_related("user").distinct()
    )
    return [Recipient(user=h.user, email=h.user.email or "") for h in heads if h.user is not None]


def period_url(employee_id: int, period: str) -> str:
    return reverse("performance:period", args=[employee_id, period])


def _day_url(employee: Employee, day: dt.date) -> str:
    """The page of the employee's period holding ``day`` (its month or quarter)."""
    return period_url(employee.pk, schedule_of(employee.agency).period_of(day).key)


# ---------------------------------------------------------------------------------------
# Planned outputs


@dataclass(frozen=True)
class OutputInput:
    description: str
    target_quantity: Any
    unit: str
    due_date: dt.date
    skp_code: str = ""
    skp_text: str = ""


def output_propose(*, actor: Any, data: OutputInput) -> PlannedOutput:
    """The employee adds an output to their plan; the head agrees (or not) before it counts."""
    employee = _own_employee(actor)
    target = _decimal(data.target_quantity, "target_quantity")
    if target <= 0:
        raise validation_error("target_quantity", _("Target harus lebih dari nol."))
    description = _text(data.description, "description", limit=500)
    unit = _text(data.unit, "unit", limit=50)
    today = today_of(employee)
    if period_locked(employee_id=employee.pk, day=data.due_date):
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode ini sudah dinilai final."))
    with transaction.atomic():
        output = PlannedOutput.objects.create(
            agency_id=employee.agency_id, employee=employee, source=OutputSource.EMPLOYEE,
            state=OutputState.PROPOSED, description=description, target_quantity=target, unit=unit,
            start_date=schedule_of(employee.agency).period_of(min(today, data.due_date)).start, end_date=data.due_date,
            due_date=data.due_date, skp_code=_text(data.skp_code, "skp_code", required=False, limit=50),
            skp_text=_text(data.skp_text, "skp_text", required=False, limit=500), created_by=actor,
        )
        _audit(actor, "output_propose", output, employee.agency_id, description=description)
        notify(
            recipients=_heads_of(employee), kind="performance_output_proposed",
            texts=lambda: (_("Keluaran baru menunggu persetujuan"),
                           _("%(name)s menambahkan keluaran: %(d)s") % {"name": employee.name, "d": description}),
            url=_day_url(employee, data.due_date),
        )
    return output


def output_decide(*, actor: Any, output_id: int, agree: bool) -> PlannedOutput:
    """The head agrees to (or declines) an output the employee added."""
    scope = scope_for(actor)
    with transaction.atomic():
        output = (
            PlannedOutput.objects.select_for_update(of=("self",))
            .select_related("employee__unit", "employee__user", "employee__agency__performance_settings")
            .filter(pk=output_id).first()
        )
        if output is None or not scope.employees(Employee.objects.filter(pk=output.employee_id)).exists():
            raise not_found(_("Keluaran"))
        if not can_assess(scope, output.employee):
            raise permission_denied(_("Hanya pimpinan unit pegawai ini yang dapat menyetujui keluaran."))
        if output.state != OutputState.PROPOSED:
            raise ApplicationError(ErrorCode.INVALID_STATE, _("Keluaran ini sudah diputuskan."))
        output.state = OutputState.AGREED if agree else OutputState.DECLINED
        output.decided_by = actor
        output.decided_at = clock.now()
        output.save(update_fields=["state", "decided_by", "decided_at"])
        _audit(actor, "output_decide", output, output.agency_id, state=output.state)
        employee = output.employee
        notify(
            recipients=_employee_recipient(employee), kind="performance_output_decided",
            texts=lambda: (_("Keluaran disepakati") if agree else _("Keluaran tidak disepakati"), output.description),
            url=_day_url(employee, output.due_date or output.end_date),
        )
    return output


# ---------------------------------------------------------------------------------------
# The daily log


@dataclass(frozen=True)
class LogInput:
    date: dt.date
    description: str
    quantity: Any
    minutes: int
    planned_output_id: int | None = None
    evidence_url: str | None = None


def _check_log(employee: Employee, data: LogInput) -> tuple[Decimal, str, PlannedOutput | None, str]:
    quantity = _decimal(data.quantity, "quantity")
    if quantity < 0:
        raise validation_error("quantity", _("Realisasi tidak boleh kurang dari nol."))
    if data.date > today_of(employee):
        raise validation_error("date", _("Laporan harian tidak dapat dibuat untuk tanggal yang akan datang."))
    if data.date.year < 2000:
        raise validation_error("date", _("Tanggal tidak sah."))
    try:
        minutes = int(data.minutes)
    except (TypeError, ValueError):
        raise validation_error("minutes", _("Isi dengan jumlah menit.")) from None
    if not (1 <= minutes <= 24 * 60):
        raise validation_error("minutes", _("Waktu harus antara 1 dan 1440 menit."))
    description = _text(data.description, "description")
    output = None
    if data.planned_output_id is not None:
        output = PlannedOutput.objects.filter(pk=data.planned_output_id, employee_id=employee.pk).first()
        if output is None:
            raise validation_error("planned_output_id", _("Keluaran rencana ini bukan milik Anda atau tidak ada."))
        if output.state != OutputState.AGREED:
            raise validation_error("planned_output_id", _("Keluaran ini belum disepakati pimpinan."))
    if period_locked(employee_id=employee.pk, day=data.date):
        raise ApplicationError(
            ErrorCode.INVALID_STATE,
            _("Periode ini sudah dinilai pimpinan: laporan harian tidak dapat diubah lagi."),
        )
    return quantity, description, output, _url(data.evidence_url)


def log_create(*, actor: Any, data: LogInput) -> LogEntry:
    """A log entry of the actor's own employee (never another's)."""
    employee = _own_employee(actor)
    quantity, description, output, url = _check_log(employee, data)
    with transaction.atomic():
        entry = LogEntry.objects.create(
            agency_id=employee.agency_id, employee=employee, date=data.date, planned_output=output,
            description=description, quantity=quantity, minutes=int(data.minutes), evidence_url=url,
            created_by=actor,
        )
        log_rollup.log_changed(employee_id=employee.pk, dates=[entry.date])
        _audit(actor, "log_create", entry, employee.agency_id, date=str(data.date))
        refresh_output_sums([entry.planned_output_id])
    return entry


def _own_entry(actor: Any, entry_id: int) -> LogEntry:
    entry = log_get(actor=actor, entry_id=entry_id)
    if entry.employee_id != scope_for(actor).employee_id:
        raise permission_denied(_("Hanya penulisnya yang dapat mengubah laporan harian."))
    return entry


def log_update(*, actor: Any, entry_id: int, data: LogInput) -> LogEntry:
    entry = _own_entry(actor, entry_id)
    if period_locked(employee_id=entry.employee_id, day=entry.date):
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode ini sudah dinilai pimpinan: laporan harian tidak dapat diubah lagi."))
    quantity, description, output, url = _check_log(entry.employee, data)
    with transaction.atomic():
        was = entry.date
        before = entry.planned_output_id
        entry.date, entry.description, entry.quantity = data.date, description, quantity
        entry.minutes, entry.planned_output, entry.evidence_url = int(data.minutes), output, url
        entry.save()
        log_rollup.log_changed(employee_id=entry.employee_id, dates=[was, entry.date])
        _audit(actor, "log_update", entry, entry.agency_id, date=str(data.date))
        refresh_output_sums([before, entry.planned_output_id])  # moved: the old output too
    return entry


def log_delete(*, actor: Any, entry_id: int) -> None:
    entry = _own_entry(actor, entry_id)
    if period_locked(employee_id=entry.employee_id, day=entry.date):
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode ini sudah dinilai pimpinan: laporan harian tidak dapat diubah lagi."))
    with transaction.atomic():
        _audit(actor, "log_delete", entry, entry.agency_id, date=str(entry.date))
        files = [(evidence.file.storage, evidence.file.name) for evidence in entry.evidence.all() if evidence.file]
        output_id = entry.planned_output_id
        entry.delete()
        log_rollup.log_changed(employee_id=entry.employee_id, dates=[entry.date])
        refresh_output_sums([output_id])
        # The files go once the deletion is committed: a rolled-back delete keeps its evidence.
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def evidence_add(*, actor: Any, entry_id: int, upload: UploadedFile) -> LogEvidence:
    """Attach a file (PDF, image, office document, by its content and matching its
    extension; size-limited) to the actor's own entry. Stored under MEDIA_ROOT with a random
    name; nothing is stored when the file is refused."""
    limit = evidence_max_bytes()
    original = os.path.basename(upload.name or "bukti")[:255] or "bukti"
    try:
        checked = files.check_upload(upload, max_bytes=limit, extension_must_agree=True, name=original)
    except files.UploadRefused as refused:
        raise validation_error("file", {
            files.UploadRefused.TOO_BIG: _("Berkas paling besar %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            files.UploadRefused.EMPTY: _("Berkas kosong."),
            files.UploadRefused.EXTENSION: _("Jenis berkas tidak diterima: PDF, gambar JPEG/PNG atau dokumen perkantoran."),
            files.UploadRefused.CONTENT: _("Isi berkas tidak sesuai dengan ekstensinya (%(ext)s).")
            % {"ext": files.extension_of(original)},
        }[refused.reason]) from None
    content_type, extension, total = checked.content_type, checked.extension, checked.size
    entry = _own_entry(actor, entry_id)
    if period_locked(employee_id=entry.employee_id, day=entry.date):
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode ini sudah dinilai pimpinan: laporan harian tidak dapat diubah lagi."))
    with transaction.atomic():
        if entry.evidence.count() >= EVIDENCE_MAX_FILES:
            raise validation_error("file", _("Paling banyak %(n)d berkas bukti.") % {"n": EVIDENCE_MAX_FILES})
        evidence = LogEvidence(
            entry=entry, original_name=original, content_type=content_type, size=total,
            sha256=checked.sha256, uploaded_by=actor,
        )
        evidence.file.save(secrets.token_hex(16) + extension, upload, save=False)
        stored = evidence.file.name
        try:
            evidence.save()
            _audit(actor, "evidence_add", evidence, entry.agency_id, entry=entry.pk, sha256=evidence.sha256, size=total)
        except Exception:
            evidence.file.storage.delete(stored)
            raise
    return evidence


def evidence_open(*, actor: Any, evidence_id: int) -> tuple[LogEvidence, BinaryIO]:
    """The file for whoever may see its entry (own, head subtree, HR agency); else 404."""
    evidence = LogEvidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise not_found(_("Bukti dukung"))
    entry = log_get(actor=actor, entry_id=evidence.entry_id)
    handle = evidence.file.open("rb")
    _audit(actor, "evidence_open", evidence, entry.agency_id, entry=entry.pk)
    return evidence, handle  # type: ignore[return-value]


def comment_add(*, actor: Any, entry_id: int, body: str) -> LogComment:
    """The head's feedback on an entry (the employee is notified) or the employee's reply
    (the heads who commented, else the unit heads, are notified)."""
    entry = log_get(actor=actor, entry_id=entry_id)
    scope = scope_for(actor)
    text = _text(body, "body")
    employee = entry.employee
    own = scope.employee_id == employee.pk
    if not own and not can_assess(scope, employee):
        raise permission_denied(_("Hanya pimpinan unit dan pegawai ini yang dapat memberi umpan balik."))
    name = getattr(getattr(actor, "employee", None), "name", "") or actor.get_username()
    with transaction.atomic():
        comment = LogComment.objects.create(entry=entry, author=actor, author_name=name[:200], by_employee=own, body=text)
        _audit(actor, "comment_add", comment, entry.agency_id, entry=entry.pk)
        url = _day_url(employee, entry.date) + f"#log-{entry.pk}"
        if own:
            commenters = {c.author_id for c in entry.comments.all() if not c.by_employee and c.author_id}
            from django.contrib.auth import get_user_model

            users = list(get_user_model().objects.filter(pk__in=commenters, is_active=True))
            recipients = [Recipient(user=u, email=u.email or "") for u in users] or _heads_of(employee)
            notify(recipients=recipients, kind="performance_reply",
                   texts=lambda: (_("Tanggapan atas umpan balik"), _("%(name)s: %(body)s") % {"name": employee.name, "body": text[:300]}),
                   url=url)
        else:
            notify(recipients=_employee_recipient(employee), kind="performance_feedback",
                   texts=lambda: (_("Umpan balik atas laporan harian"), _("%(name)s: %(body)s") % {"name": name, "body": text[:300]}),
                   url=url)
    return comment


# ---------------------------------------------------------------------------------------
# Assessment


@dataclass(frozen=True)
class AssessmentInput:
    output_ratings: dict[str, str]
    behaviour_ratings: dict[str, str]
    feedback: str = ""


def _ratings(raw: dict[str, Any], allowed: set[str], field: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if str(key) not in allowed:
            raise validation_error(field, _("Butir penilaian tidak dikenal: %(k)s.") % {"k": str(key)[:50]})
        if value in (None, ""):
            continue
        try:
            out[str(key)] = rating.Expectation(value).value
        except ValueError:
            raise validation_error(field, _("Nilai harus below, meets atau above.")) from None
    return out


def _compute(a: Assessment) -> None:
    a.work_result = rating.aggregate(rating.Expectation(v) for v in a.output_ratings.values()).value if a.output_ratings else ""
    behaviours = [rating.Expectation(v) for v in a.behaviour_ratings.values()]
    a.behaviour = rating.aggregate(behaviours).value if behaviours else ""
    a.predikat = (
        rating.predikat(work_result=rating.Expectation(a.work_result), behaviour=rating.Expectation(a.behaviour)).value
        if a.work_result and a.behaviour else ""
    )


def _period_of(employee: Employee, period: str) -> Period:
    return period_for(employee.agency, period, today=today_of(employee))


def _assessable(actor: Any, employee_id: int, period: str) -> tuple[Employee, Period]:
    parse_key(period)
    scope = scope_for(actor)
    employee = employee_in_scope(scope, employee_id)
    if not can_assess(scope, employee):
        raise permission_denied(_("Hanya pimpinan unit pegawai ini (atau Plt/Plh-nya) yang dapat menilai."))
    return employee, _period_of(employee, period)


def assessment_save(*, actor: Any, employee_id: int, period: str, data: AssessmentInput) -> Assessment:
    """Save the head's draft: per-output and per-BerAKHLAK ratings and feedback. After a
    final version, saving starts a new version (a correction); the final stays as it was."""
    employee, p = _assessable(actor, employee_id, period)
    start, end = p.start, p.end
    outputs = period_outputs(agency_id=employee.agency_id, employee_ids=[employee.pk], start=start, end=end)
    output_keys = {str(o.pk) for o in outputs if o.state == OutputState.AGREED}
    output_ratings = _ratings(data.output_ratings, output_keys, "output_ratings")
    behaviour_ratings = _ratings(data.behaviour_ratings, {v.value for v in rating.BehaviourValue}, "behaviour_ratings")
    feedback = _text(data.feedback, "feedback", required=False, limit=5000)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()  # serialise versions
        # A new assessment and a cadence change of the agency are serialised on its settings
        # row: a change that was committed meanwhile is seen here (decision 190).
        PerformanceSettings.objects.get_or_create(agency_id=employee.agency_id)
        current = PerformanceSettings.objects.select_for_update().get(agency_id=employee.agency_id)
        if current.schedule.period_of(start) != p:
            raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode penilaian instansi baru saja berubah: muat ulang halaman."))
        latest = Assessment.objects.filter(employee_id=employee.pk, period=start).order_by("-version").first()
        if latest is not None and latest.cadence != p.cadence:  # decision 190 keeps this from happening
            raise ApplicationError(ErrorCode.INVALID_STATE, _("Periode ini sudah dinilai dengan periode penilaian lain."))
        if latest is None or latest.state == AssessmentState.FINAL:
            a = Assessment(agency_id=employee.agency_id, employee=employee, period=start, cadence=p.cadence,
                           version=(latest.version + 1) if latest else 1)
        else:
            a = latest
        a.output_ratings, a.behaviour_ratings, a.feedback = output_ratings, behaviour_ratings, feedback
        a.assessor = actor
        a.assessor_name = (getattr(getattr(actor, "employee", None), "name", "") or actor.get_username())[:200]
        _compute(a)
        a.save()
        _audit(actor, "assessment_save", a, employee.agency_id, period=p.key, version=a.version)
    return a


def assessment_finalise(*, actor: Any, employee_id: int, period: str) -> Assessment:
    """Finalise the draft: every agreed output of the period and all seven BerAKHLAK values
    rated; the predikat from the PermenPANRB 6/2022 matrix. Immutable afterwards."""
    employee, p = _assessable(actor, employee_id, period)
    start, end = p.start, p.end
    outputs = period_outputs(agency_id=employee.agency_id, employee_ids=[employee.pk], start=start, end=end)
    with transaction.atomic():
        # The employee's row lock first (the order assessment_save takes): a unit move waits
        # for this transaction, and the unit read here is the one the rollup row is under.
        unit_id = Employee.objects.select_for_update().filter(pk=employee.pk).values_list("unit_id", flat=True).first()
        a = (
            Assessment.objects.select_for_update()
            .filter(employee_id=employee.pk, period=start, cadence=p.cadence, state=AssessmentState.DRAFT).first()
        )
        if a is None:
            raise ApplicationError(ErrorCode.INVALID_STATE, _("Belum ada draf penilaian untuk periode ini."))
        unrated = [o.description for o in outputs if o.state == OutputState.AGREED and str(o.pk) not in a.output_ratings]
        if unrated:
            raise ApplicationError(
                ErrorCode.VALIDATION, _("Masih ada keluaran yang belum dinilai: %(list)s.") % {"list": "; ".join(unrated)[:500]},
                {"fields": {"output_ratings": _("Nilai setiap keluaran.")}, "unrated": unrated},
            )
        if not a.output_ratings:
            raise ApplicationError(ErrorCode.VALIDATION, _("Periode ini tidak punya keluaran yang dinilai."),
                                   {"fields": {"output_ratings": _("Nilai setiap keluaran.")}})
        missing = [v.label_id for v in rating.BehaviourValue if v.value not in a.behaviour_ratings]
        if missing:
            raise ApplicationError(
                ErrorCode.VALIDATION, _("Perilaku kerja yang belum dinilai: %(list)s.") % {"list": ", ".join(missing)},
                {"fields": {"behaviour_ratings": _("Nilai ketujuh nilai BerAKHLAK.")}, "unrated": missing},
            )
        _compute(a)
        a.state = AssessmentState.FINAL
        a.finalised_at = clock.now()
        a.save()
        assessment_rollup.refresh(a.agency_id, [(unit_id, a.period, a.cadence)])  # docs/decisions/198
        _audit(actor, "assessment_finalise", a, employee.agency_id, period=p.key,
               version=a.version, predikat=a.predikat, work_result=a.work_result, behaviour=a.behaviour)
        label = rating.Predikat(a.predikat)
        notify(recipients=_employee_recipient(employee), kind="performance_assessed",
               texts=lambda: (_("Penilaian kinerja %(p)s: %(r)s") % {"p": p.short_label, "r": _(label.label_id)},
                              _("Pimpinan telah menilai kinerja Anda. Anda dapat menanggapinya.")),
               url=period_url(employee.pk, p.key))
    return a


def assessment_respond(*, actor: Any, employee_id: int, period: str, response: str) -> Assessment:
    """The employee's response to the final assessment (the head's part stays unchanged)."""
    parse_key(period)
    scope = scope_for(actor)
    employee = employee_in_scope(scope, employee_id)
    if scope.employee_id != employee.pk:
        raise permission_denied(_("Hanya pegawai yang dinilai yang dapat menanggapi."))
    p = _period_of(employee, period)
    text = _text(response, "response", limit=5000)
    with transaction.atomic():
        a = (
            Assessment.objects.select_for_update()
            .filter(employee_id=employee.pk, period=p.start, cadence=p.cadence, state=AssessmentState.FINAL)
            .order_by("-version").first()
        )
        if a is None:
            raise ApplicationError(ErrorCode.INVALID_STATE, _("Belum ada penilaian final untuk ditanggapi."))
        a.response, a.responded_at = text, clock.now()
        a.save(update_fields=["response", "responded_at", "updated_at"])
        _audit(actor, "assessment_respond", a, employee.agency_id, period=p.key, version=a.version)
        if a.assessor is not None:
            user = a.assessor
            notify(recipients=[Recipient(user=user, email=user.email or "")], kind="performance_response",
                   texts=lambda: (_("Tanggapan atas penilaian kinerja"), _("%(name)s menanggapi penilaian.") % {"name": employee.name}),
                   url=period_url(employee.pk, p.key))
    return a


# ---------------------------------------------------------------------------------------
# The agency's performance settings (HR, /kinerja/sdm/; docs/decisions/190)


@dataclass(frozen=True)
class SettingsResult:
    settings: PerformanceSettings
    cadence_from: dt.date | None  # the first day of a changed cadence, None when unchanged


def settings_update(
    *, actor: Any, agency_id: int, log_required_before_check_out: bool, cadence: str
) -> SettingsResult:
    """HR sets the check-out rule (at once) and the assessment cadence (from the date
    ``cadence_effective_from`` gives: an assessed period keeps its cadence). Audited."""
    try:
        wanted = Cadence(cadence).value
    except ValueError:
        raise validation_error("cadence", _("Pilih bulanan atau triwulanan.")) from None
    with transaction.atomic():
        agency = agency_for_manager(actor=actor, agency_id=agency_id)
        PerformanceSettings.objects.get_or_create(agency_id=agency.pk)
        row = PerformanceSettings.objects.select_for_update().get(agency_id=agency.pk)
        old_schedule = row.schedule
        old = {"log_required_before_check_out": row.log_required_before_check_out, "cadence": old_schedule.latest}
        cadence_from = None
        if wanted != old_schedule.latest:
            cadence_from = cadence_effective_from(agency_id=agency.pk, today=clock.today(agency.time_zone))
            kept = [c for c in old_schedule.changes if c[0] < cadence_from]
            if Schedule(tuple(kept)).cadence_on(cadence_from) != wanted:
                kept.append((cadence_from, wanted))
            else:
                cadence_from = None  # a pending change taken back
            row.cadence_history = [{"from": day.isoformat(), "cadence": value} for day, value in kept]
        row.log_required_before_check_out = bool(log_required_before_check_out)
        row.save()
        new = {"log_required_before_check_out": row.log_required_before_check_out, "cadence": row.schedule.latest}
        if old != new:
            audit_record(
                actor=actor, action="performance.settings_update", object_type="performancesettings",
                object_id=row.pk, agency_id=agency.pk,
                data={"old": old, "new": new, "cadence_from": cadence_from.isoformat() if cadence_from else None,
                      "cadence_history": row.cadence_history},
            )
    return SettingsResult(row, cadence_from)
