from tests.workflow.fixtures import fixed_clock, world  # noqa: F401
