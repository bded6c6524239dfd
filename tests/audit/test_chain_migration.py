"""The migration chains the rows written before the chain existed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fleksi.audit.verify import audit_chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0004_chain_seq_unique")]


def test_existing_rows_are_back_filled_in_order_and_verify():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event = old.get_model("audit", "AuditEvent")
    User = old.get_model("accounts", "User")
    user = User.objects.create(username="lama")
    for i in range(5):
        Event.objects.create(actor_id=user.pk if i % 2 else None, action=f"lama.{i}",
                             data={"i": i, "tanggal": "2026-12-01"})
    Event.objects.filter(action="lama.0").update(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from fleksi.audit.models import AuditChainHead, AuditEvent

    seqs = list(AuditEvent.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]
    assert AuditChainHead.objects.get(pk=1).seq == 5
    assert audit_chain_verify().ok
    AuditEvent.objects.filter(seq=3).update(action="lama.x")
    assert audit_chain_verify().broken.seq == 3
