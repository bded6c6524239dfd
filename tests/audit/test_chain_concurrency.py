"""Writers racing on PostgreSQL queue up on the head row: one chain, no fork, no gap."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from fleksi.audit.models import AuditEvent
from fleksi.audit.services import audit_record
from fleksi.audit.verify import audit_chain_verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, EACH = 8, 10


def test_concurrent_writers_do_not_fork_the_chain():
    audit_record(actor=None, action="uji.awal")  # the head row exists before the race
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(EACH):
                with transaction.atomic():
                    audit_record(actor=None, action="uji.balap", data={"t": n, "i": i})
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    total = 1 + THREADS * EACH
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total  # no fork
    assert audit_chain_verify().ok
