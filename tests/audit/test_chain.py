"""The audit trail is a hash chain: `fleksi audit verify` finds an edited, inserted or deleted
row, names the first broken one and exits non-zero."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fleksi import cli
from fleksi.audit import chain
from fleksi.audit.models import AuditChainHead, AuditEvent
from fleksi.audit.services import audit_record
from fleksi.audit.verify import audit_chain_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    user = UserFactory()
    events = [
        audit_record(actor=user, action="uji.satu", object_type="x", object_id=1, agency_id=7,
                     data={"d": dt.date(2026, 12, 1), "n": Decimal("1.50"), "nama": "Sitï"}),
        audit_record(actor=None, action="uji.dua", data={"daftar": [1, 2, 3]}),
        audit_record(actor=user, action="uji.tiga"),
        audit_record(actor=user, action="uji.empat", object_id="abc"),
    ]
    return user, events


def broken():
    verdict = audit_chain_verify()
    assert not verdict.ok
    return verdict.broken


def test_appends_form_an_intact_chain(rows, capsys):
    _, events = rows
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (4, events[-1].hash)
    assert audit_chain_verify().ok
    assert cli.main(["audit", "verify"]) == 0
    assert "utuh: 4 baris" in capsys.readouterr().out


def test_an_empty_trail_verifies():
    assert audit_chain_verify().ok


def test_an_edited_field_is_named(rows, capsys):
    _, events = rows
    AuditEvent.objects.filter(pk=events[1].pk).update(data={"daftar": [1, 2]})
    b = broken()
    assert (b.event_id, b.kind) == (events[1].pk, "edited")
    assert cli.main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "RUSAK" in err and f"#{events[1].pk}" in err
    with pytest.raises(CommandError):
        call_command("audit_verify")


@pytest.mark.parametrize("field, value", [
    ("action", "uji.lain"), ("object_id", "2"), ("agency_id", 8),
    ("at", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
])
def test_every_field_is_covered(rows, field, value):
    _, events = rows
    AuditEvent.objects.filter(pk=events[0].pk).update(**{field: value})
    assert (broken().event_id, broken().kind) == (events[0].pk, "edited")


def test_a_changed_actor_is_seen_but_a_deleted_user_is_not_tampering(rows):
    user, events = rows
    other = UserFactory()
    AuditEvent.objects.filter(pk=events[2].pk).update(actor=other)
    assert (broken().event_id, broken().kind) == (events[2].pk, "edited")
    AuditEvent.objects.filter(pk=events[2].pk).update(actor=user)
    assert audit_chain_verify().ok
    user.delete()  # SET_NULL on every row of the user: legitimate, the chain holds
    assert AuditEvent.objects.filter(actor__isnull=True).count() == 4
    assert audit_chain_verify().ok


def test_setting_the_actor_to_nobody_while_the_user_exists_is_seen(rows):
    _, events = rows
    AuditEvent.objects.filter(pk=events[0].pk).update(actor=None)
    assert (broken().event_id, broken().kind) == (events[0].pk, "edited")


def test_a_deleted_row_is_named_by_the_row_after_it(rows):
    _, events = rows
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    b = broken()
    assert (b.event_id, b.kind) == (events[2].pk, "deleted")
    assert "urutan 2" in b.message


def test_deleted_last_rows_are_seen_against_the_head(rows):
    _, events = rows
    AuditEvent.objects.filter(pk__in=[events[2].pk, events[3].pk]).delete()
    b = broken()
    assert b.kind == "deleted" and "4 baris" in b.message


def forged(seq, prev_hash, **over):
    fields = dict(seq=seq, at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), actor_key=None,
                  agency_id=None, action="palsu", object_type="", object_id="", data={},
                  prev_hash=prev_hash)
    fields.update(over)
    return AuditEvent.objects.create(hash=chain.row_hash(**fields), **fields)


def test_a_row_inserted_in_the_middle_is_seen(rows):
    _, events = rows
    # the attacker replaces row 2 with a row that hashes correctly and links to row 1
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    fake = forged(2, events[0].hash)
    b = broken()
    assert (b.event_id, b.kind) == (events[2].pk, "inserted")
    assert f"#{fake.pk}" in b.message


def test_a_row_appended_outside_the_app_is_seen(rows):
    _, events = rows
    forged(5, events[3].hash)
    b = broken()
    assert b.kind == "inserted" and "kepala rantai" in b.message


def test_a_row_without_a_place_in_the_chain_is_seen(rows):
    _, events = rows
    AuditEvent.objects.filter(pk=events[3].pk).update(seq=99)
    b = broken()
    assert (b.event_id, b.kind) == (events[3].pk, "edited")


def test_a_swapped_order_is_seen(rows):
    _, events = rows
    AuditEvent.objects.filter(pk=events[1].pk).update(seq=1000)
    AuditEvent.objects.filter(pk=events[2].pk).update(seq=2)
    AuditEvent.objects.filter(pk=events[1].pk).update(seq=3)
    assert broken().event_id == events[2].pk


def test_recording_inside_a_rolled_back_transaction_leaves_no_gap(rows):
    from django.db import transaction

    user, _ = rows
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=user, action="uji.batal")
        raise RuntimeError
    audit_record(actor=user, action="uji.lima")
    assert audit_chain_verify().ok
    assert AuditChainHead.objects.get().seq == 5
