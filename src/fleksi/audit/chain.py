"""The hash chain of the audit trail: the canonical form of a row and its SHA-256.

Each row stores ``prev_hash`` (the ``hash`` of the row before it in ``seq`` order, or
``GENESIS`` for the first) and ``hash`` = SHA-256 over the canonical serialisation of its own
fields, ``prev_hash`` included. Editing a field changes the row's hash; deleting or inserting a
row breaks the next row's ``prev_hash`` (and the ``seq`` run); deleting the last rows is seen
against the chain's head (``AuditChainHead``), which every append updates under a row lock.

The canonical form is ``v1`` and must never change (old rows would no longer verify): compact
JSON with sorted keys, UTC timestamps with microseconds, ``data`` as it is stored (JSON). It is
plain Python (no models) so the back-fill migration uses the very same function.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64
VERSION = "v1"


def normalise_data(data: dict[str, Any] | None) -> Any:
    """``data`` as the database gives it back (dates and decimals become strings)."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _timestamp(at: dt.datetime) -> str:
    if at.tzinfo is None:  # SQLite without USE_TZ never happens here; be explicit anyway
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    seq: int,
    at: dt.datetime,
    actor_key: int | None,
    agency_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
    prev_hash: str,
) -> bytes:
    fields = {
        "v": VERSION,
        "seq": seq,
        "at": _timestamp(at),
        "actor": actor_key,
        "agency": agency_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "prev": prev_hash,
    }
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode("utf-8")


def row_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()
