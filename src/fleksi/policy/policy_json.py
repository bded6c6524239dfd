"""Parsing of policy.json values into ``Policy`` arguments, collecting every problem.

The values are not judged here (``Policy.problems()`` does that); this module only turns JSON
into typed keyword arguments, so it needs nothing of ``settings``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType

from fleksi.policy.codes import RuleCode
from fleksi.policy.enums import LocationKind, Severity
from fleksi.policy.problems import Problem

# The keys of policy.json (FORMATS.md, extended with optional keys only); each is a field
# of ``Policy`` of the same name.
POLICY_KEYS: tuple[str, ...] = (
    "max_location_days_per_week",
    "new_in_position_months",
    "min_office_share",
    "min_office_headcount",
    "national_flex_days_count_toward_cap",
    "extra_non_working_days",
    "ramadan",
    "dynamic_start_window",
    "agency_enabled",
    "disabled_units",
    "allowed_location_kinds",
    "service_units",
    "severity",
    "task_request_reason_required",
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, key: str, message_id: str, message_en: str) -> None:
        self.problems.append(Problem("policy.json", 0, key, message_id, message_en))

    def type_error(self, key: str, value: object, expected_id: str, expected_en: str) -> None:
        self.add(
            key,
            f"{key}: nilai {value!r} tidak sah; seharusnya {expected_id}",
            f"{key}: invalid value {value!r}; expected {expected_en}",
        )

    def date(self, key: str, value: object) -> dt.date | None:
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.type_error(key, value, "tanggal TTTT-BB-HH", "a date YYYY-MM-DD")
        return None

    def time(self, key: str, value: object) -> dt.time | None:
        if isinstance(value, str):
            match = _TIME.match(value)
            if match and int(match[1]) < 24 and int(match[2]) < 60:
                return dt.time(int(match[1]), int(match[2]))
        self.type_error(key, value, "jam JJ:MM", "a time HH:MM")
        return None

    def strings(self, key: str, value: object) -> frozenset[str] | None:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return frozenset(str(v) for v in value)
        self.type_error(key, value, "daftar teks", "a list of strings")
        return None


def policy_kwargs(data: Mapping[str, object]) -> tuple[dict[str, object], list[Problem]]:
    """Turn policy.json data into keyword arguments of ``Policy`` (values not yet judged)."""
    out = _Collector()
    kwargs: dict[str, object] = {}
    if not isinstance(data, Mapping):
        out.add(
            "",
            "policy.json harus berisi satu objek JSON ({...})",
            "policy.json must hold one JSON object ({...})",
        )
        return kwargs, out.problems
    for key in data:
        if key not in POLICY_KEYS:
            out.add(
                str(key),
                f"kunci '{key}' tidak dikenal; kunci yang dikenal: {', '.join(POLICY_KEYS)}",
                f"unknown key '{key}'; known keys: {', '.join(POLICY_KEYS)}",
            )

    for key in ("max_location_days_per_week", "new_in_position_months"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int):
                out.type_error(key, value, "bilangan bulat", "an integer")
            else:
                kwargs[key] = value

    for key in (
        "national_flex_days_count_toward_cap",
        "agency_enabled",
        "task_request_reason_required",
    ):
        if key in data:
            value = data[key]
            if isinstance(value, bool):
                kwargs[key] = value
            else:
                out.type_error(key, value, "true atau false", "true or false")

    if "min_office_share" in data:
        value = data["min_office_share"]
        if isinstance(value, Mapping):
            shares: dict[str, float] = {"*": 0.0}
            for unit, share in value.items():
                if isinstance(share, bool) or not isinstance(share, int | float):
                    out.type_error(
                        "min_office_share", share, "angka 0 sampai 1", "a number from 0 to 1"
                    )
                else:
                    shares[str(unit)] = float(share)
            kwargs["min_office_share"] = MappingProxyType(shares)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            kwargs["min_office_share"] = MappingProxyType({"*": float(value)})
        else:
            out.type_error(
                "min_office_share",
                value,
                'objek {"*": 0.0, "KODE-UNIT": 0.5}',
                'an object {"*": 0.0, "UNIT-CODE": 0.5}',
            )

    if "min_office_headcount" in data:
        value = data["min_office_headcount"]
        if isinstance(value, Mapping):
            counts: dict[str, int] = {}
            for unit, count in value.items():
                if isinstance(count, bool) or not isinstance(count, int):
                    out.type_error(
                        "min_office_headcount", count, "bilangan bulat", "a whole number"
                    )
                else:
                    counts[str(unit)] = count
            kwargs["min_office_headcount"] = MappingProxyType(counts)
        else:
            out.type_error(
                "min_office_headcount",
                value,
                'objek {"KODE-UNIT": 2}',
                'an object {"UNIT-CODE": 2}',
            )

    if "extra_non_working_days" in data:
        value = data["extra_non_working_days"]
        if isinstance(value, list):
            days = [out.date("extra_non_working_days", v) for v in value]
            kwargs["extra_non_working_days"] = frozenset(d for d in days if d is not None)
        else:
            out.type_error("extra_non_working_days", value, "daftar tanggal", "a list of dates")

    if "ramadan" in data:
        value = data["ramadan"]
        if value is None:
            kwargs["ramadan"] = None
        elif isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value):
            periods: list[tuple[dt.date, dt.date]] = []
            for start_raw, end_raw in value:
                start, end = out.date("ramadan", start_raw), out.date("ramadan", end_raw)
                if start is not None and end is not None:
                    periods.append((start, end))
            kwargs["ramadan"] = tuple(sorted(periods))
        else:
            out.type_error(
                "ramadan",
                value,
                'daftar periode [["TTTT-BB-HH", "TTTT-BB-HH"], ...]',
                'a list of periods [["YYYY-MM-DD", "YYYY-MM-DD"], ...]',
            )

    if "dynamic_start_window" in data:
        value = data["dynamic_start_window"]
        if value is None:
            kwargs["dynamic_start_window"] = None
        elif isinstance(value, list) and len(value) == 2:
            earliest = out.time("dynamic_start_window", value[0])
            latest = out.time("dynamic_start_window", value[1])
            if earliest is not None and latest is not None:
                kwargs["dynamic_start_window"] = (earliest, latest)
        else:
            out.type_error(
                "dynamic_start_window", value, '["JJ:MM", "JJ:MM"]', '["HH:MM", "HH:MM"]'
            )

    for key in ("disabled_units", "service_units"):
        if key in data:
            units = out.strings(key, data[key])
            if units is not None:
                kwargs[key] = units

    if "allowed_location_kinds" in data:
        kinds = out.strings("allowed_location_kinds", data["allowed_location_kinds"])
        if kinds is not None:
            known = {k.value: k for k in LocationKind}
            unknown = sorted(k for k in kinds if k not in known)
            if unknown:
                out.type_error(
                    "allowed_location_kinds",
                    unknown,
                    "kantor_lain, rumah dan/atau lokasi_lain",
                    "kantor_lain, rumah and/or lokasi_lain",
                )
            else:
                kwargs["allowed_location_kinds"] = frozenset(known[k] for k in kinds)

    if "severity" in data:
        value = data["severity"]
        if isinstance(value, Mapping):
            severities: dict[RuleCode, Severity] = {}
            codes = {c.value: c for c in RuleCode}
            levels = {s.value: s for s in Severity}
            for code, level in value.items():
                if not isinstance(code, str) or code not in codes:
                    out.type_error("severity", code, "kode aturan", "a rule code")
                elif not isinstance(level, str) or level not in levels:
                    out.type_error(
                        "severity", level, "error, warning atau info", "error, warning or info"
                    )
                else:
                    severities[codes[code]] = levels[level]
            kwargs["severity"] = MappingProxyType(severities)
        else:
            out.type_error(
                "severity", value, 'objek {"KODE": "warning"}', 'an object {"CODE": "warning"}'
            )
    return kwargs, out.problems

