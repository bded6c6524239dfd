"""Schemathesis against /api/v1/openapi.json, as an HR admin and as an employee (Bearer tokens):
a few generated requests per operation, and not one answer may be a server error (5xx).

Bounded so that it stays well under two minutes: ``FUZZ_EXAMPLES`` examples per operation and
role (default 3), derandomised (the same examples every run, so CI does not flake); set
``FUZZ_EXAMPLES=100`` for a longer hunt. Marked ``api_fuzz`` (deselect with ``-m "not api_fuzz"``).
"""

from __future__ import annotations

import itertools
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from fleksi.accounts.services import api_token_create
from tests.workflow import fixtures as workflow_fixtures

pytestmark = [pytest.mark.api_fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
_turn = itertools.count()

world = workflow_fixtures.world
fixed_clock = workflow_fixtures.fixed_clock


def _schema() -> schemathesis.BaseSchema:
    from fleksi.config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()  # the schema route reads no database


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app: like Django's test client, do not let its request
    signals close the test's connection (on PostgreSQL it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    """An HR admin's and an employee's token (the generated requests alternate between them)."""
    return [api_token_create(actor=u, user=u, name="schemathesis").plaintext for u in (world.hr, world.e1.user)]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, tokens):
    token = tokens[next(_turn) % len(tokens)]  # the roles take turns: every operation gets both
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
