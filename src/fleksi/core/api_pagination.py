"""The API's limit/offset pagination, bounded: an unbounded ``?offset=2**63`` reaches the
database as an out-of-range integer (a 500); bounded, it is a 422 like any bad input."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
