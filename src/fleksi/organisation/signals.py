"""Signals organisation sends to the apps above it (which organisation does not import).

``employees_moved``: employees changed unit, sent in the writer's transaction after the
change with ``agency_id`` and ``moves``, a list of (employee id, unit id before, unit id
after). Performance recomputes its assessment rollup's rows of both units (docs/decisions/198).

``employees_deleting``: employees are about to be deleted (the admin), sent in the deleter's
transaction with ``employee_ids``. A receiver reads what its rollups will need to recompute
while the rows still exist and returns a callable; the deleter calls each one after the
delete, in the same transaction, so no dashboard keeps counting a deleted employee
(docs/decisions/203).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal

employees_moved = Signal()
employees_deleting = Signal()


def delete_employees(employee_ids: list[int], delete: Callable[[], Any]) -> None:
    """Run ``delete`` (the admin's delete of these employees) between ``employees_deleting``
    and its receivers' recomputations, in one transaction."""
    with transaction.atomic():
        responses: list[Any] = [
            response for _receiver, response in employees_deleting.send(sender=None, employee_ids=list(employee_ids))
        ]
        after: list[Callable[[], Any]] = [response for response in responses if callable(response)]
        delete()
        for recompute in after:
            recompute()
