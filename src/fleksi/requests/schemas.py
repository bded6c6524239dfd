"""API shapes of the requests and the inbox (unchanged since the split)."""


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from fleksi.scheme.findings import FindingView

from .checking import CheckOutcome
from .inputs import OutputInput, RequestInput


class OutputIn(Schema):
    description: str = Field(..., max_length=500, description="Uraian keluaran")
    target_quantity: Decimal = Field(Decimal(1), description="Target (lebih dari 0)")
    unit: str = Field("dokumen", max_length=50, description="Satuan")
    due_date: dt.date | None = None


class RequestIn(Schema):
    """A request as the employee writes it. ``weekdays``: 0=Senin..6=Minggu (pattern mode);
    ``dates``: specific dates (dates mode, within start..end); ``hours``: per weekday
    ("0".."6") a pair ["HH:MM", "HH:MM"] for dynamic hours or a shift."""

    start_date: dt.date
    end_date: dt.date
    location_kind: str = Field("kantor", description="kantor, kantor_lain, rumah, lokasi_lain")
    office_id: int | None = Field(None, description="Untuk kantor_lain: kantor milik instansi")
    place_id: int | None = Field(None, description="Untuk lokasi_lain: lokasi dari daftar instansi")
    place_description: str = ""
    schedule_mode: str = Field(
        "dates", description="dates (tanggal tertentu) atau pattern (pola mingguan)"
    )
    weekdays: list[int] = []
    dates: list[dt.date] = []
    time_kind: str = Field("reguler", description="reguler, dinamis, sif")
    hours: dict[str, list[str]] = {}
    is_special: bool = Field(False, description="Keadaan khusus (butuh bukti)")
    special_description: str = ""
    reason: str = ""
    work_plan: str = ""
    outputs: list[OutputIn] = []
    employee_id: int | None = Field(None, description="Hanya pegawai sendiri; pegawai lain = 404")

    def to_input(self) -> RequestInput:
        return RequestInput(
            start_date=self.start_date,
            end_date=self.end_date,
            location_kind=self.location_kind,
            office_id=self.office_id,
            place_id=self.place_id,
            place_description=self.place_description,
            schedule_mode=self.schedule_mode,
            weekdays=tuple(self.weekdays),
            dates=tuple(self.dates),
            time_kind=self.time_kind,
            hours={k: (v[0], v[1]) if len(v) == 2 else ("", "") for k, v in self.hours.items()},
            is_special=self.is_special,
            special_description=self.special_description,
            reason=self.reason,
            work_plan=self.work_plan,
            outputs=tuple(
                OutputInput(
                    description=o.description,
                    target_quantity=o.target_quantity,
                    unit=o.unit,
                    due_date=o.due_date,
                )
                for o in self.outputs
            ),
        )


class FindingOut(Schema):
    code: str = Field(..., description="Kode aturan (REGULATION.md)")
    severity: str = Field(..., description="error, warning, info")
    basis: str = Field(..., description="Dasar hukum")
    title: str
    message: str
    date: dt.date | None
    week: str | None
    numbers: dict[str, Any]


def finding_out(f: FindingView) -> FindingOut:
    return FindingOut(
        code=f.code,
        severity=f.severity,
        basis=f.basis,
        title=f.title,
        message=f.message,
        date=f.date,
        week=f.week,
        numbers=dict(f.numbers),
    )


class CheckOut(Schema):
    findings: list[FindingOut]
    has_errors: bool
    dates: list[dt.date]


def check_out(outcome: CheckOutcome) -> CheckOut:
    return CheckOut(
        findings=[finding_out(f) for f in outcome.findings],
        has_errors=outcome.has_errors,
        dates=outcome.dates,
    )


class OutputOut(Schema):
    id: int
    description: str
    target_quantity: Decimal
    unit: str
    due_date: dt.date | None


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class TransitionOut(Schema):
    at: dt.datetime
    actor: str | None
    from_state: str
    to_state: str
    note: str


class RequestOut(Schema):
    id: int
    agency_id: int
    employee_id: int
    employee_name: str
    employee_nip: str
    unit_id: int
    unit_name: str
    state: str
    state_label: str
    approval_step: str
    location_kind: str
    office_id: int | None
    office_name: str | None
    place_id: int | None
    place_name: str | None
    place_description: str
    schedule_mode: str
    start_date: dt.date
    end_date: dt.date
    weekdays: list[int]
    dates: list[dt.date]
    time_kind: str
    hours: dict[str, list[str]]
    is_special: bool
    special_description: str
    reason: str
    work_plan: str
    outputs: list[OutputOut]
    findings: list[FindingOut]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_note: str
    can_decide: bool = Field(
        ..., description="Pengguna dapat menyetujui/menolak/mengembalikan sekarang"
    )


class RequestDetailOut(RequestOut):
    evidence: list[EvidenceOut]
    transitions: list[TransitionOut]


class DecisionIn(Schema):
    note: str = Field("", max_length=2000, description="Catatan persetujuan (opsional)")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000, description="Alasan (wajib)")


class CancelIn(Schema):
    reason: str = Field("", max_length=2000)


class BulkIn(Schema):
    request_ids: list[int] = Field(..., max_length=200)


class BulkOut(Schema):
    request_id: int
    ok: bool
    code: str
    message: str
