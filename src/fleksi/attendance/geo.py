"""Distances and the rounding of coordinates (pure functions)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

EARTH_RADIUS_M = 6_371_008.8
COORDINATE_PLACES = Decimal("0.0001")  # about 11 m of latitude: UU PDP 27/2022, data minimised


def round_coordinate(value: float) -> Decimal:
    return Decimal(str(value)).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
