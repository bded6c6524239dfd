"""The Enums the law names, defined once: the policy core and the Django models share them.

Every member carries an Indonesian label (``label_id``) and an English one (``label_en``).
``Enum.choices()`` gives ``[(value, label_id), ...]`` for a Django field's ``choices=``, and
``Enum.text_choices()`` gives ``[(NAME, (value, label_id)), ...]`` for Django's functional API::

    LocationKind = models.TextChoices("LocationKind", policy.LocationKind.text_choices())
    kind = models.CharField(max_length=12, choices=policy.LocationKind.choices())
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Choice(StrEnum):
    """A ``StrEnum`` whose members are ``NAME = value, label_id, label_en``."""

    label_id: str
    label_en: str

    def __new__(cls, value: str, label_id: str = "", label_en: str = "") -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_id = label_id or value
        member.label_en = label_en or label_id or value
        return member

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, Indonesian label), ...]`` in declaration order (Django ``choices=``)."""
        return [(member.value, member.label_id) for member in cls]

    @classmethod
    def text_choices(cls) -> list[tuple[str, tuple[str, str]]]:
        """``[(NAME, (value, label)), ...]`` for ``models.TextChoices(name, ...)``."""
        return [(member.name, (member.value, member.label_id)) for member in cls]


class EmployeeKind(Choice):
    """ASN: PNS (permanent) or PPPK (contract); ``employees.csv`` column ``jenis``."""

    PNS = "PNS", "PNS", "PNS (civil servant)"
    PPPK = "PPPK", "PPPK", "PPPK (contract civil servant)"


class TimeFlexibility(Choice):
    """Time flexibility an employee's tasks allow (``employees.csv`` column ``waktu``)."""

    NONE = "tidak", "Tidak ada", "None"
    DYNAMIC = "dinamis", "Kerja dinamis", "Dynamic hours"
    SHIFT = "sif", "Sif", "Shifts"


class LocationKind(Choice):
    """Where a working day is spent (PermenPANRB 4/2025 Pasal 12 ayat (1))."""

    OFFICE = "kantor", "Kantor penempatan", "Placement office"
    OTHER_OFFICE = "kantor_lain", "Kantor lain", "Another office"
    HOME = "rumah", "Rumah / domisili terdaftar", "Home (registered domicile)"
    OTHER_LOCATION = "lokasi_lain", "Lokasi lain", "Another location"

    @property
    def away(self) -> bool:
        """True for every kind that counts as location flexibility (all but the office)."""
        return self is not LocationKind.OFFICE


class TimeKind(Choice):
    """How the hours of a day are arranged (``plan.csv`` column ``waktu``)."""

    REGULAR = "reguler", "Jam kerja reguler", "Regular hours"
    DYNAMIC = "dinamis", "Kerja dinamis", "Dynamic hours"
    SHIFT = "sif", "Sif", "Shift"


class Severity(Choice):
    ERROR = "error", "Galat", "Error"
    WARNING = "warning", "Peringatan", "Warning"
    INFO = "info", "Informasi", "Information"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Confidence(Choice):
    """How sure the sources are (REGULATION.md): H enforce; M/L agency setting."""

    H = "H", "Tinggi", "High"
    M = "M", "Sedang", "Medium"
    L = "L", "Rendah", "Low"


class Granularity(Choice):
    """What one finding of a rule is about (FORMATS.md "Granularity")."""

    DAY = "day", "per pegawai per tanggal", "one per nip and date"
    WEEK = "week", "per pegawai per minggu ISO", "one per nip and ISO week"
    UNIT = "unit", "per unit per tanggal", "one per unit and date"
    REQUEST = "request", "per pengajuan", "one per request"


AWAY_KINDS: frozenset[LocationKind] = frozenset(k for k in LocationKind if k.away)
