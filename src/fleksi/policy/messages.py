"""Indonesian and English texts of findings, made from the finding's numbers.

Each rule declares its message function ``numbers -> (Indonesian, English)`` beside it
(``@declare(..., message=...)``); this module holds the shared wording helpers and
``render``. The numbers are the same in both languages, e.g. ``{"days": 3, "max": 2,
"week": "2026-W10"}`` gives "3 hari kerja di luar kantor pada minggu 2026-W10; paling
banyak 2.".
"""

from __future__ import annotations

from fleksi.policy.codes import Numbers, RuleCode, Texts, rule

__all__ = ["LOCATION_NAMES_EN", "LOCATION_NAMES_ID", "Numbers", "Texts", "render"]

LOCATION_NAMES_ID = {
    "kantor": "kantor",
    "kantor_lain": "kantor lain",
    "rumah": "rumah",
    "lokasi_lain": "lokasi lain",
}
LOCATION_NAMES_EN = {
    "kantor": "the office",
    "kantor_lain": "another office",
    "rumah": "home",
    "lokasi_lain": "another location",
}


def duration_id(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if rest == 0:
        return f"{hours} jam"
    if hours == 0:
        return f"{rest} menit"
    return f"{hours} jam {rest} menit"


def duration_en(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if rest == 0:
        return f"{hours} h"
    if hours == 0:
        return f"{rest} min"
    return f"{hours} h {rest} min"


def render(code: RuleCode, numbers: Numbers) -> Texts:
    """The (Indonesian, English) message of a finding."""
    return rule(code).message(numbers)
