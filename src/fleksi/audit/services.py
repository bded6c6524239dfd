"""Writing the audit trail. Called inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .models import AuditChainHead, AuditEvent


def _head_locked() -> AuditChainHead:
    # PostgreSQL checks foreign keys at commit (Django makes them DEFERRABLE INITIALLY
    # DEFERRED). Left deferred, a transaction would take the rows' key-share locks only after
    # it holds the chain's head, and wait there for a writer that locked those rows FOR UPDATE
    # and now waits for the head: a deadlock (two request forms of one employee at once).
    # Checking them now takes every row lock before the head, so writers only queue.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a database flushed by tests (the migration creates the row)
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": chain.GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: object = "",
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    The head row is locked for the rest of the caller's transaction (PostgreSQL row lock;
    SQLite's writers are serialised by BEGIN IMMEDIATE), so the next writer reads this row's
    hash only after it is committed: the chain never forks. Keep audit writes near the end of
    a transaction: every audited transaction queues on this one row from here to its commit."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    fields: dict[str, Any] = {
        "actor_key": user.pk if user is not None else None,
        "agency_id": agency_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "data": chain.normalise_data(data),
    }
    with transaction.atomic(savepoint=False):  # the caller's transaction, or a new one
        head = _head_locked()
        at = timezone.now()
        seq = head.seq + 1
        digest = chain.row_hash(seq=seq, at=at, prev_hash=head.hash, **fields)
        event = AuditEvent.objects.create(
            actor=user, at=at, seq=seq, prev_hash=head.hash, hash=digest, **fields
        )
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event
