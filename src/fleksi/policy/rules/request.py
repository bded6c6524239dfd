"""Completeness of a flexible-work request (PermenPANRB 4/2025 Pasal 30).

A keadaan khusus request states its reason with supporting evidence, its work plan and the
outputs expected for the period. A request on task grounds holds the work plan and outputs,
and a reason unless the agency turned ``task_request_reason_required`` off.
"""

from __future__ import annotations

from fleksi.policy.codes import Numbers, RuleCode, Texts, declare
from fleksi.policy.enums import Confidence, Granularity
from fleksi.policy.model import Finding, RequestFacts
from fleksi.policy.rules.base import P4, Env


def _request_reason_missing(n: Numbers) -> Texts:
    if n.get("missing") == "evidence":
        return (
            "Pengajuan dengan keadaan khusus belum dilengkapi bukti pendukung.",
            "The request for special circumstances has no supporting evidence.",
        )
    return ("Pengajuan belum memuat alasan.", "The request states no reason.")

@declare(
    RuleCode.REQUEST_REASON_MISSING,
    granularity=Granularity.REQUEST,
    basis=f"{P4} Pasal 30",
    confidence=Confidence.H,
    confidence_note="H (keadaan khusus) / M (alasan pengajuan atas dasar tugas)",
    title_id="Pengajuan tanpa alasan (atau tanpa bukti keadaan khusus)",
    title_en="Request without a reason (or without evidence of the special circumstances)",
    message=_request_reason_missing,
    setting="task_request_reason_required",
    default="true",
)
def request_reason_missing(
    request: RequestFacts, env: Env, *, nip: str | None = None, unit: str | None = None
) -> Finding | None:
    """A keadaan khusus request states its reason "disertai bukti dukung"; a request on
    task grounds states a reason unless the agency does not require one."""
    special = request.special_circumstances
    if not request.reason.strip() and (special or env.policy.task_request_reason_required):
        missing = "reason"
    elif special and request.evidence_count <= 0:
        missing = "evidence"
    else:
        return None
    return env.finding(
        RuleCode.REQUEST_REASON_MISSING, nip=nip, unit=unit, date=None, week=None, missing=missing
    )


def _request_workplan_missing(n: Numbers) -> Texts:
    missing = n.get("missing")
    if missing == "outputs":
        return (
            "Pengajuan belum memuat target keluaran (output) selama periode.",
            "The request lists no planned outputs for the period.",
        )
    if missing == "plan":
        return ("Pengajuan belum memuat rencana kerja.", "The request holds no work plan.")
    return (
        "Pengajuan belum memuat rencana kerja dan target keluaran (output) selama periode.",
        "The request holds neither a work plan nor the planned outputs for the period.",
    )

@declare(
    RuleCode.REQUEST_WORKPLAN_MISSING,
    granularity=Granularity.REQUEST,
    basis=f"{P4} Pasal 30",
    confidence=Confidence.H,
    confidence_note="H (keadaan khusus) / M (pengajuan atas dasar tugas)",
    title_id="Pengajuan tanpa rencana kerja dan target keluaran",
    title_en="Request without a work plan and planned outputs",
    message=_request_workplan_missing,
)
def request_workplan_missing(
    request: RequestFacts, env: Env, *, nip: str | None = None, unit: str | None = None
) -> Finding | None:
    """A request holds a work plan and the outputs expected for the period ("rencana kerja
    dan keluaran"): the outputs the period is assessed on."""
    has_plan = bool(request.work_plan.strip())
    has_outputs = any(output.strip() for output in request.planned_outputs)
    if has_plan and has_outputs:
        return None
    missing = "both" if not (has_plan or has_outputs) else ("plan" if has_outputs else "outputs")
    return env.finding(
        RuleCode.REQUEST_WORKPLAN_MISSING,
        nip=nip,
        unit=unit,
        date=None,
        week=None,
        missing=missing,
    )
