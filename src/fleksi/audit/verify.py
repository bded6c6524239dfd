"""Checking the audit trail's hash chain: ``fleksi audit verify``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from . import chain
from .models import AuditChainHead, AuditEvent

FIELDS = (
    "id", "seq", "at", "actor_id", "actor_key", "agency_id", "action", "object_type",
    "object_id", "data", "prev_hash", "hash",
)


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold."""

    event_id: int | None
    seq: int | None
    kind: str  # edited | inserted | deleted | truncated
    message: str


@dataclass(frozen=True)
class Verdict:
    rows: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_chain_verify() -> Verdict:
    """Walk the rows in ``seq`` order: each row's hash must match its fields, its
    ``prev_hash`` the row before it, its ``seq`` one more than the one before; the last row
    must be the head's. Stops at the first break (everything after it is suspect anyway)."""
    unchained = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if unchained is not None:
        return Verdict(0, Break(unchained, None, "inserted", f"baris #{unchained} berada di luar rantai (tanpa nomor urut)"))
    user_ids = set(get_user_model().objects.values_list("pk", flat=True))
    prev, prev_pk, expected, rows = chain.GENESIS, None, 1, 0
    for row in AuditEvent.objects.order_by("seq").values_list(*FIELDS).iterator(chunk_size=2000):
        r = dict(zip(FIELDS, row, strict=True))
        pk, seq = r["id"], r["seq"]
        rows += 1
        digest = chain.row_hash(
            seq=seq, at=r["at"], actor_key=r["actor_key"], agency_id=r["agency_id"],
            action=r["action"], object_type=r["object_type"], object_id=r["object_id"],
            data=r["data"], prev_hash=r["prev_hash"],
        )
        if digest != r["hash"]:
            return Verdict(rows, Break(pk, seq, "edited", f"baris #{pk} (urutan {seq}) diubah: isinya tidak cocok dengan hash-nya"))
        actor_ok = (
            r["actor_id"] == r["actor_key"]
            or (r["actor_id"] is None and r["actor_key"] not in user_ids)
        )
        if not actor_ok:
            return Verdict(rows, Break(pk, seq, "edited", f"baris #{pk} (urutan {seq}) diubah: pelakunya tidak cocok dengan yang tercatat"))
        if seq > expected:
            return Verdict(rows, Break(pk, seq, "deleted", f"baris sebelum #{pk} (urutan {expected} sampai {seq - 1}) dihapus"))
        if seq < expected or r["prev_hash"] != prev:
            before = f"baris sebelumnya #{prev_pk}" if prev_pk else "awal rantai"
            message = (
                f"baris #{pk} (urutan {seq}) tidak tersambung ke {before}: ada baris yang "
                "disisipkan, diganti atau ditukar di antaranya"
            )
            return Verdict(rows, Break(pk, seq, "inserted", message))
        prev, prev_pk, expected = r["hash"], pk, seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
    if head_seq != expected - 1 or head_hash != prev:
        if head_seq > expected - 1:
            message = f"baris terakhir dihapus: rantai mencatat {head_seq} baris, yang ada {expected - 1}"
            return Verdict(rows, Break(None, expected, "deleted", message))
        message = f"kepala rantai tidak cocok dengan baris terakhir (urutan {expected - 1}): baris ditambahkan di luar aplikasi"
        return Verdict(rows, Break(None, expected - 1, "inserted", message))
    return Verdict(rows, None)
