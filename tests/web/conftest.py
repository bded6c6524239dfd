"""The workflow fixtures: a fixed clock and a small two-agency world."""

from tests.workflow.fixtures import fixed_clock, world  # noqa: F401
