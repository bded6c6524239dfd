"""Writers racing on PostgreSQL queue up on the head row: one chain, no fork, no gap."""

from __future__ import annotations

import pytest
from django.db import transaction

from fleksi.audit.models import AuditEvent
from fleksi.audit.services import audit_record
from fleksi.audit.verify import audit_chain_verify
from tests.workflow.helpers import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, EACH = 8, 10


def test_concurrent_writers_do_not_fork_the_chain():
    audit_record(actor=None, action="uji.awal")  # the head row exists before the race

    def write(n: int) -> None:
        for i in range(EACH):
            with transaction.atomic():
                audit_record(actor=None, action="uji.balap", data={"t": n, "i": i})

    results = race([lambda n=n: write(n) for n in range(THREADS)], join_timeout=120)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    total = 1 + THREADS * EACH
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total  # no fork
    assert audit_chain_verify().ok
