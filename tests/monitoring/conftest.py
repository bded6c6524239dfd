"""The small known world of the monitoring tests (tests/monitoring/world.py)."""

from __future__ import annotations

import pytest

from tests.workflow.fixtures import fixed_clock  # noqa: F401  (the demo test fixes the clock)

from .world import FROM, MON, TO, build_world

__all__ = ["FROM", "MON", "TO"]


@pytest.fixture
def mworld(db):
    return build_world()
