"""The outputs planned in approved requests, mirrored as the period's planned outputs.

Requests sit below performance in the layers, so an approval cannot call into performance;
instead, every read of a period first mirrors what the requests' selector reports: the ids of
the approved outputs (one light query) against the mirrored ones the caller already read, and
only when some are new their rows and one bulk insert (idempotent under the unique
``request_output_id``). docs/decisions/140.
"""

from __future__ import annotations

import datetime as dt

from fleksi.requests.selectors import approved_outputs

from .models import OutputSource, OutputState, PlannedOutput


def mirror_request_outputs(
    *, agency_id: int, employee_ids: list[int], start: dt.date, end: dt.date,
    known: set[int] | None = None,
) -> int:
    """Mirror the approved requests' outputs of these employees overlapping the dates.
    ``known``: the request-output ids already mirrored (read by the caller), else looked up."""
    if not employee_ids:
        return 0
    if known is None:
        known = {
            pk
            for pk in PlannedOutput.objects.filter(
                employee_id__in=employee_ids, request_output_id__isnull=False,
                start_date__lte=end, end_date__gte=start,
            ).values_list("request_output_id", flat=True)
            if pk is not None
        }
    fresh = approved_outputs(employee_ids=employee_ids, start=start, end=end, exclude_ids=known, only_ids=True)
    if not fresh:
        return 0
    rows = approved_outputs(employee_ids=employee_ids, start=start, end=end, exclude_ids=known)
    new = [
        PlannedOutput(
            agency_id=agency_id,
            employee_id=r["request__employee_id"],
            source=OutputSource.REQUEST,
            request_output_id=r["id"],
            request_id=r["request_id"],
            state=OutputState.AGREED,
            description=r["description"][:500],
            target_quantity=r["target_quantity"] if r["target_quantity"] and r["target_quantity"] > 0 else 1,
            unit=r["unit"] or "dokumen",
            start_date=r["request__start_date"],
            end_date=r["request__end_date"],
            due_date=r["due_date"] or r["request__end_date"],
        )
        for r in rows
    ]
    PlannedOutput.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
