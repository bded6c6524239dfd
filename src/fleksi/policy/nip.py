"""NIP (Nomor Induk Pegawai) of PNS and NI PPPK: parsing and validation.

Layout of a PNS NIP (18 digits), see REGULATION.md "NIP":

=======  ==========================================
digits   meaning
=======  ==========================================
1-8      date of birth ``YYYYMMDD``
9-14     year and month of first appointment (CPNS), ``YYYYMM``
15       sex: 1 male, 2 female
16-18    serial number ``001``-``999``
=======  ==========================================

A NI PPPK has another layout; only its length and the birth date (digits 1-8) are checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

NipKind = Literal["PNS", "PPPK"]
Sex = Literal["L", "P"]

MIN_APPOINTMENT_AGE = 18

# "1.98503E+17", "1,98503E+17", "1.98503152010012e17" ...: what Excel shows for a long number.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d{1,17}[.,]0*$|^\d+[.,]\d+$")


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What a valid NIP says. ``appointment`` and ``sex`` are ``None`` for PPPK."""

    nip: str
    kind: NipKind
    birth_date: dt.date
    appointment: tuple[int, int] | None
    sex: Sex | None


class NipError(ValueError):
    """An invalid NIP, with a stable ``code`` and messages in Indonesian and English."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        self.code = code
        self.message_id = message_id
        self.message_en = message_en
        super().__init__(message_en)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id


_RETYPE_ID = (
    "digit NIP sudah hilang dan tidak dapat dipulihkan: format kolom nip sebagai Teks di "
    "Excel, ketik ulang NIP lengkap 18 digit, lalu simpan ulang"
)
_RETYPE_EN = (
    "the NIP's digits are lost and cannot be recovered: format the nip column as Text in "
    "Excel, type the full 18-digit NIP again and save the file again"
)


def _scientific_error(shown: str) -> NipError:
    return NipError(
        "NIP_SCIENTIFIC",
        f"NIP tersimpan sebagai angka ilmiah ({shown}); {_RETYPE_ID}",
        f"NIP was stored as a number in scientific notation ({shown}); {_RETYPE_EN}",
    )


def _lost_digits_error(shown: str) -> NipError:
    return NipError(
        "NIP_LOST_DIGITS",
        f"NIP {shown} tersimpan sebagai angka; {_RETYPE_ID}",
        f"NIP {shown} was stored as a number; {_RETYPE_EN}",
    )


def _pppk_hint(error: NipError) -> NipError:
    """A number that fails as a NIP but passes as a NI PPPK: say so."""
    return NipError(
        error.code,
        f"{error.message_id}; nomor ini cocok dengan NI PPPK: isi jenis = PPPK jika pegawai "
        "ini PPPK",
        f"{error.message_en}; the number matches an NI PPPK: set jenis to PPPK if the "
        "employee is PPPK",
    )


def _to_text(value: object) -> str:
    """Turn a cell value into the NIP text, detecting what Excel does to long numbers."""
    if isinstance(value, bool):
        raise NipError(
            "NIP_NOT_DIGITS",
            f"NIP '{value}' bukan 18 digit angka",
            f"NIP '{value}' is not 18 digits",
        )
    if isinstance(value, int):
        text = str(value)
        if len(text) != 18:
            raise _lost_digits_error(text)
        return text
    if isinstance(value, float):
        # A float cannot hold 18 digits exactly (only ~15-17 significant digits).
        raise _scientific_error(f"{value:.5E}")
    if value is None:
        return ""
    text = str(value).strip()
    if _SCIENTIFIC.match(text):
        raise _scientific_error(text)
    if _DECIMAL.match(text):
        raise _lost_digits_error(text)
    return text


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_nip(
    value: object, kind_hint: str | None = None, *, today: dt.date | None = None
) -> NipInfo:
    """Validate a NIP (PNS, the default) or a NI PPPK (``kind_hint='PPPK'``).

    ``value`` is normally a ``str``; an ``int`` of exactly 18 digits (as read from an XLSX
    cell) is accepted. A ``float`` or a text in scientific notation raises ``NipError`` with
    code ``NIP_SCIENTIFIC`` (the digits are lost). Surrounding spaces are ignored.

    ``today`` is the caller's date (the core never reads the clock): a birth date or month
    of appointment after it is invalid. Without ``today`` that check is skipped. A number
    that fails as a PNS NIP but passes as a NI PPPK says so in its message.
    """
    text = _to_text(value)
    if not text:
        raise NipError("NIP_EMPTY", "NIP kosong", "NIP is empty")
    if not (text.isascii() and text.isdigit()):
        raise NipError(
            "NIP_NOT_DIGITS",
            f"NIP '{text}' harus berisi angka saja (18 digit, tanpa spasi atau tanda baca)",
            f"NIP '{text}' must contain digits only (18 digits, no spaces or punctuation)",
        )
    if len(text) != 18:
        raise NipError(
            "NIP_LENGTH",
            f"NIP '{text}' terdiri dari {len(text)} digit; seharusnya 18 digit",
            f"NIP '{text}' has {len(text)} digits; it must have 18",
        )
    birth = _real_date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    if birth is None:
        raise NipError(
            "NIP_BIRTH_DATE",
            f"NIP '{text}': digit 1-8 ({text[0:8]}) bukan tanggal lahir yang sah (TTTTBBHH)",
            f"NIP '{text}': digits 1-8 ({text[0:8]}) are not a valid date of birth (YYYYMMDD)",
        )
    if today is not None and birth > today:
        raise NipError(
            "NIP_BIRTH_FUTURE",
            f"NIP '{text}': tanggal lahir {birth.isoformat()} (digit 1-8) belum terjadi",
            f"NIP '{text}': the date of birth {birth.isoformat()} (digits 1-8) is in the future",
        )
    kind = (kind_hint or "PNS").strip().upper()
    if kind == "PPPK":
        return NipInfo(nip=text, kind="PPPK", birth_date=birth, appointment=None, sex=None)
    try:
        return _pns(text, birth, today)
    except NipError as error:
        raise _pppk_hint(error) from None


def _pns(text: str, birth: dt.date, today: dt.date | None) -> NipInfo:
    """The PNS part of a NIP (digits 9-18), after a valid birth date."""
    year, month = int(text[8:12]), int(text[12:14])
    if not (1 <= month <= 12) or year < 1:
        raise NipError(
            "NIP_APPOINTMENT_DATE",
            f"NIP '{text}': digit 9-14 ({text[8:14]}) bukan bulan pengangkatan yang sah (TTTTBB)",
            f"NIP '{text}': digits 9-14 ({text[8:14]}) are not a valid month of appointment "
            "(YYYYMM)",
        )
    if (year, month) < (birth.year, birth.month):
        raise NipError(
            "NIP_APPOINTMENT_BEFORE_BIRTH",
            f"NIP '{text}': bulan pengangkatan {year:04d}-{month:02d} sebelum tanggal lahir "
            f"{birth.isoformat()}",
            f"NIP '{text}': month of appointment {year:04d}-{month:02d} is before the date of "
            f"birth {birth.isoformat()}",
        )
    if today is not None and (year, month) > (today.year, today.month):
        raise NipError(
            "NIP_APPOINTMENT_FUTURE",
            f"NIP '{text}': bulan pengangkatan {year:04d}-{month:02d} (digit 9-14) belum terjadi",
            f"NIP '{text}': the month of appointment {year:04d}-{month:02d} (digits 9-14) is in "
            "the future",
        )
    if (year, month) < (birth.year + MIN_APPOINTMENT_AGE, birth.month):
        raise NipError(
            "NIP_APPOINTMENT_UNDER_18",
            f"NIP '{text}': diangkat {year:04d}-{month:02d} sebelum berusia 18 tahun "
            f"(lahir {birth.isoformat()})",
            f"NIP '{text}': appointed {year:04d}-{month:02d} before the age of 18 "
            f"(born {birth.isoformat()})",
        )
    sex_digit = text[14]
    if sex_digit not in "12":
        raise NipError(
            "NIP_SEX",
            f"NIP '{text}': digit ke-15 ({sex_digit}) harus 1 (laki-laki) atau 2 (perempuan)",
            f"NIP '{text}': digit 15 ({sex_digit}) must be 1 (male) or 2 (female)",
        )
    if text[15:18] == "000":
        raise NipError(
            "NIP_SERIAL",
            f"NIP '{text}': nomor urut (digit 16-18) harus 001 sampai 999, bukan 000",
            f"NIP '{text}': the serial number (digits 16-18) must be 001 to 999, not 000",
        )
    return NipInfo(
        nip=text,
        kind="PNS",
        birth_date=birth,
        appointment=(year, month),
        sex="L" if sex_digit == "1" else "P",
    )
