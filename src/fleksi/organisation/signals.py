"""Signals organisation sends to the apps above it (which organisation does not import).

``employees_moved``: employees changed unit, sent in the writer's transaction after the
change with ``agency_id`` and ``moves``, a list of (employee id, unit id before, unit id
after). Performance recomputes its assessment rollup's rows of both units (docs/decisions/198).
"""

from __future__ import annotations

from django.dispatch import Signal

employees_moved = Signal()
