"""Completeness of a flexible-work request (PermenPANRB 4/2025 Pasal 30)."""

from __future__ import annotations

from fleksi.policy.model import Finding, RequestFacts, RuleCode
from fleksi.policy.rules.base import Env


def request_reason_missing(
    request: RequestFacts, env: Env, *, nip: str | None = None, unit: str | None = None
) -> Finding | None:
    """A request states its reason; for keadaan khusus with supporting evidence."""
    if not request.reason.strip():
        missing = "reason"
    elif request.special_circumstances and request.evidence_count <= 0:
        missing = "evidence"
    else:
        return None
    return env.finding(
        RuleCode.REQUEST_REASON_MISSING, nip=nip, unit=unit, date=None, week=None, missing=missing
    )


def request_workplan_missing(
    request: RequestFacts, env: Env, *, nip: str | None = None, unit: str | None = None
) -> Finding | None:
    """A request holds a work plan and the outputs expected for the period."""
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
