"""API shapes of performance (issue 9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from .models import Assessment, LogComment, LogEntry, LogEvidence, PlannedOutput
from .selectors import OutputProgress, PeriodView, UnitPeriod


class LogIn(Schema):
    date: dt.date
    planned_output_id: int | None = None
    description: str
    quantity: Decimal = Decimal(1)
    minutes: int
    evidence_url: str | None = None


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class CommentOut(Schema):
    id: int
    author: str
    by_employee: bool
    body: str
    created_at: dt.datetime


class LogOut(Schema):
    id: int
    employee_id: int
    date: dt.date
    planned_output_id: int | None
    description: str
    quantity: Decimal
    minutes: int
    evidence_url: str | None
    evidence: list[EvidenceOut]
    comments: list[CommentOut]
    created_at: dt.datetime
    updated_at: dt.datetime


def evidence_out(e: LogEvidence) -> EvidenceOut:
    return EvidenceOut(
        id=e.pk, name=e.original_name, content_type=e.content_type, size=e.size,
        url=reverse("performance:evidence", args=[e.pk]),
    )


def comment_out(c: LogComment) -> CommentOut:
    return CommentOut(id=c.pk, author=c.author_name, by_employee=c.by_employee, body=c.body, created_at=c.created_at)


def log_out(e: LogEntry) -> LogOut:
    return LogOut(
        id=e.pk, employee_id=e.employee_id, date=e.date, planned_output_id=e.planned_output_id,
        description=e.description, quantity=e.quantity, minutes=e.minutes,
        evidence_url=e.evidence_url or None,
        evidence=[evidence_out(x) for x in e.evidence.all()],
        comments=[comment_out(c) for c in e.comments.all()],
        created_at=e.created_at, updated_at=e.updated_at,
    )


class CommentIn(Schema):
    body: str


class OutputIn(Schema):
    description: str
    target_quantity: Decimal
    unit: str
    due_date: dt.date
    skp_code: str = ""
    skp_text: str = ""


class OutputOut(Schema):
    id: int
    employee_id: int
    source: str
    state: str
    description: str
    target_quantity: Decimal
    unit: str
    start_date: dt.date
    end_date: dt.date
    due_date: dt.date | None
    skp_code: str
    skp_text: str
    realised: Decimal | None = None
    on_time: bool | None = None


def output_out(o: PlannedOutput, progress: OutputProgress | None = None) -> OutputOut:
    return OutputOut(
        id=o.pk, employee_id=o.employee_id, source=o.source, state=o.state, description=o.description,
        target_quantity=o.target_quantity, unit=o.unit, start_date=o.start_date, end_date=o.end_date,
        due_date=o.due_date, skp_code=o.skp_code, skp_text=o.skp_text,
        realised=progress.realised if progress else None, on_time=progress.on_time if progress else None,
    )


class AssessmentIn(Schema):
    output_ratings: dict[str, str] = {}
    behaviour_ratings: dict[str, str] = {}
    feedback: str = ""


class ResponseIn(Schema):
    response: str


class AssessmentOut(Schema):
    id: int
    employee_id: int
    period: str
    cadence: str = Field(description="monthly (period TTTT-BB) atau quarterly (period TTTT-TWn)")
    version: int
    state: str
    output_ratings: dict[str, str]
    behaviour_ratings: dict[str, str]
    work_result: str
    behaviour: str
    predikat: str
    predikat_label: str
    feedback: str
    assessor: str
    finalised_at: dt.datetime | None
    response: str
    responded_at: dt.datetime | None


def assessment_out(a: Assessment) -> AssessmentOut:
    from fleksi.policy.rating import Predikat

    return AssessmentOut(
        id=a.pk, employee_id=a.employee_id, period=a.period_key, cadence=a.cadence, version=a.version, state=a.state,
        output_ratings=dict(a.output_ratings), behaviour_ratings=dict(a.behaviour_ratings),
        work_result=a.work_result, behaviour=a.behaviour, predikat=a.predikat,
        predikat_label=Predikat(a.predikat).label_id if a.predikat else "",
        feedback=a.feedback, assessor=a.assessor_name, finalised_at=a.finalised_at,
        response=a.response, responded_at=a.responded_at,
    )


class AssessmentEnvelope(Schema):
    employee_id: int
    period: str
    assessment: AssessmentOut | None
    versions: list[AssessmentOut]


class PeriodOut(Schema):
    employee_id: int
    name: str
    nip: str
    period: str
    cadence: str = Field(description="monthly (period TTTT-BB) atau quarterly (period TTTT-TWn)")
    start: dt.date
    end: dt.date
    previous_period: str
    next_period: str
    outputs: list[OutputOut]
    proposed: list[OutputOut]
    logs: list[LogOut]
    flexible_days: list[dt.date]
    missing_days: list[dt.date]
    assessment: AssessmentOut | None


def period_out(v: PeriodView) -> PeriodOut:
    return PeriodOut(
        employee_id=v.employee.pk, name=v.employee.name, nip=v.employee.nip, period=v.period,
        cadence=v.cadence, start=v.start, end=v.end, previous_period=v.previous_period, next_period=v.next_period,
        outputs=[output_out(p.output, p) for p in v.outputs],
        proposed=[output_out(o) for o in v.proposed],
        logs=[log_out(e) for e in v.entries],
        flexible_days=v.flexible_days, missing_days=v.missing_days,
        assessment=assessment_out(v.assessment) if v.assessment else None,
    )


class UnitRowOut(Schema):
    employee_id: int
    name: str
    nip: str
    unit: str
    outputs: int
    outputs_done: int
    target: Decimal
    realised: Decimal
    entries: int
    minutes: int
    flexible_days: int
    missing_days: list[dt.date]
    proposed: int
    assessment_state: str
    predikat: str


class UnitPeriodOut(Schema):
    unit_id: int
    unit: str
    period: str
    cadence: str = Field(description="monthly (period TTTT-BB) atau quarterly (period TTTT-TWn)")
    start: dt.date
    end: dt.date
    previous_period: str
    next_period: str
    rows: list[UnitRowOut]


def unit_period_out(v: UnitPeriod) -> UnitPeriodOut:
    rows: list[Any] = [
        UnitRowOut(
            employee_id=r.employee_id, name=r.name, nip=r.nip, unit=r.unit_name, outputs=r.outputs,
            outputs_done=r.outputs_done, target=r.target, realised=r.realised, entries=r.entries,
            minutes=r.minutes, flexible_days=r.flexible_days, missing_days=r.missing_days,
            proposed=r.proposed, assessment_state=r.assessment_state, predikat=r.predikat,
        )
        for r in v.rows
    ]
    return UnitPeriodOut(
        unit_id=v.unit.pk, unit=v.unit.name, period=v.period, cadence=v.cadence, start=v.start, end=v.end,
        previous_period=v.previous_period, next_period=v.next_period, rows=rows,
    )
