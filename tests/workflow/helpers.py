"""Small helpers for the request workflow tests (no fixture world here: see conftest)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from fleksi.accounts.models import User
from fleksi.audit.models import AuditEvent
from fleksi.notifications.models import Notification
from fleksi.requests import decisions as request_decisions
from fleksi.requests import services as request_services
from fleksi.requests.inputs import OutputInput, RequestInput
from fleksi.requests.models import Evidence, FlexRequest, PlannedOutput, RequestTransition
from fleksi.schedules.models import ArrangementDay

TODAY = dt.date(2026, 11, 18)  # a Wednesday
W48 = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5)]  # Mon..Fri of 2026-W48
W49 = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)]


def race(calls: list[Callable[[], object]], *, join_timeout: float = 60) -> list[object]:
    """Run ``calls`` at once, each in its own thread (and so its own database connection),
    all released by one barrier. Each call's result, or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return results


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
    request = request_services.request_create(actor=user, data=request_data(*dates, **overrides))
    return request_services.request_submit(actor=user, request_id=request.pk)


def approved(employee: Any, approver: Any, *dates: dt.date, **overrides: Any) -> FlexRequest:
    request = submitted(employee, *dates, **overrides)
    return request_decisions.request_approve(actor=fresh(approver.user), request_id=request.pk)


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


# The page names of the workflow and the app (URL namespace) that serves each; the paths under
# /kerja-fleksibel/ are unchanged since the split of the arrangements app.
_NAMESPACES = {
    **dict.fromkeys(
        ["my_requests", "request_new", "request_check", "request_detail", "request_edit", "request_check_existing", "request_cancel", "evidence_open", "request_approve", "request_reject", "request_return", "request_revoke", "inbox", "inbox_bulk_approve"],
        "requests",
    ),
    **dict.fromkeys(["team_calendar", "calendar_feed", "ical_feed"], "schedules"),
    **dict.fromkeys(
        ["settings_home", "agency_settings", "agency_settings_general", "agency_policy", "flex_day_add", "flex_day_remove", "office_add", "office_edit", "place_add", "place_edit"],
        "scheme",
    ),
    **dict.fromkeys(["notifications", "notification_bell", "notification_read"], "notifications"),
}


def page(name: str) -> str:
    """The URL name of a workflow page, e.g. ``page("inbox")`` -> ``"requests:inbox"``."""
    return f"{_NAMESPACES[name]}:{name}"
