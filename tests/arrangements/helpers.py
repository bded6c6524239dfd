"""Small helpers for the request workflow tests (no fixture world here: see conftest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fleksi.accounts.models import User
from fleksi.arrangements import services
from fleksi.arrangements.inputs import OutputInput, RequestInput
from fleksi.arrangements.models import (
    ArrangementDay,
    Evidence,
    FlexRequest,
    Notification,
    PlannedOutput,
    RequestTransition,
)
from fleksi.audit.models import AuditEvent

TODAY = dt.date(2026, 11, 18)  # a Wednesday
W48 = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5)]  # Mon..Fri of 2026-W48
W49 = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)]


def fresh(user: User) -> User:
    """The same user as a new object: no scope cached from an earlier call."""
    return User.objects.get(pk=user.pk)


def request_data(*dates: dt.date, **overrides: Any) -> RequestInput:
    """A complete request to work from home on ``dates`` (default: Monday of 2026-W48)."""
    dates = dates or (W48[0],)
    values: dict[str, Any] = {
        "start_date": min(dates),
        "end_date": max(dates),
        "location_kind": "rumah",
        "schedule_mode": "dates",
        "dates": tuple(dates),
        "reason": "Menyusun laporan evaluasi yang butuh waktu fokus.",
        "work_plan": "Menulis bab 1-3 laporan evaluasi.",
        "outputs": (OutputInput(description="Draf laporan evaluasi"),),
    }
    values.update(overrides)
    return RequestInput(**values)


def submitted(employee: Any, *dates: dt.date, **overrides: Any) -> FlexRequest:
    user = fresh(employee.user)
    request = services.request_create(actor=user, data=request_data(*dates, **overrides))
    return services.request_submit(actor=user, request_id=request.pk)


def approved(employee: Any, approver: Any, *dates: dt.date, **overrides: Any) -> FlexRequest:
    request = submitted(employee, *dates, **overrides)
    return services.request_approve(actor=fresh(approver.user), request_id=request.pk)


def counts() -> dict[str, int]:
    """Row counts of every table a request service writes."""
    return {
        "requests": FlexRequest.objects.count(),
        "outputs": PlannedOutput.objects.count(),
        "transitions": RequestTransition.objects.count(),
        "days": ArrangementDay.objects.count(),
        "active_days": ArrangementDay.objects.filter(active=True).count(),
        "evidence": Evidence.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def states() -> dict[int, str]:
    return dict(FlexRequest.objects.values_list("pk", "state"))
