from __future__ import annotations

import datetime as dt

import pytest

from fleksi.policy.nip import NipError, parse_nip

from .factories import NIP_A, NIP_B


def test_valid_pns_nip() -> None:
    info = parse_nip(NIP_A)
    assert info.nip == NIP_A
    assert info.kind == "PNS"
    assert info.birth_date == dt.date(1990, 1, 1)
    assert info.appointment == (2015, 3)
    assert info.sex == "L"
    assert parse_nip(NIP_B).sex == "P"


def test_spaces_stripped_and_int_accepted() -> None:
    assert parse_nip(f"  {NIP_A} ").nip == NIP_A
    assert parse_nip(int(NIP_A)).nip == NIP_A  # an XLSX number cell with 18 digits


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "NIP_EMPTY"),
        ("   ", "NIP_EMPTY"),
        ("19900101201503100", "NIP_LENGTH"),  # 17 digits
        ("1990010120150310011", "NIP_LENGTH"),  # 19 digits
        ("19900101 201503 1 001", "NIP_NOT_DIGITS"),
        ("1990010120150310O1", "NIP_NOT_DIGITS"),
        ("199002302015031001", "NIP_BIRTH_DATE"),  # 30 February
        ("199013012015031001", "NIP_BIRTH_DATE"),
        ("199001012015131001", "NIP_APPOINTMENT_DATE"),  # month 13
        ("199001012015001001", "NIP_APPOINTMENT_DATE"),  # month 0
        ("199001011989121001", "NIP_APPOINTMENT_BEFORE_BIRTH"),
        ("199006012008051001", "NIP_APPOINTMENT_UNDER_18"),  # 17 years 11 months
        ("199001012015033001", "NIP_SEX"),
        ("199001012015030001", "NIP_SEX"),
        ("199001012015031000", "NIP_SERIAL"),
    ],
)
def test_invalid_pns_nip(value: str, code: str) -> None:
    with pytest.raises(NipError) as caught:
        parse_nip(value)
    assert caught.value.code == code
    assert caught.value.message_id and caught.value.message_en


def test_appointment_at_exactly_18_is_valid() -> None:
    assert parse_nip("199006012008061001").appointment == (2008, 6)


@pytest.mark.parametrize("value", ["1.98503E+17", "1,98503E+17", "1.98503e17", " 1.98503E+17 "])
def test_scientific_notation_text(value: str) -> None:
    with pytest.raises(NipError) as caught:
        parse_nip(value)
    assert caught.value.code == "NIP_SCIENTIFIC"
    assert caught.value.message_id == (
        f"NIP tersimpan sebagai angka ilmiah ({value.strip()}); digit NIP sudah hilang dan "
        "tidak dapat dipulihkan: format kolom nip sebagai Teks di Excel, ketik ulang NIP "
        "lengkap 18 digit, lalu simpan ulang"
    )


def test_float_from_excel() -> None:
    with pytest.raises(NipError) as caught:
        parse_nip(198503152010012001.0)
    assert caught.value.code == "NIP_SCIENTIFIC"
    assert "(1.98503E+17)" in caught.value.message_id


def test_int_that_lost_digits() -> None:
    with pytest.raises(NipError) as caught:
        parse_nip(19850315201001200)
    assert caught.value.code == "NIP_LOST_DIGITS"


def test_pppk_only_needs_length_and_birth_date() -> None:
    info = parse_nip("199001012021210001", "PPPK")
    assert info.kind == "PPPK"
    assert info.birth_date == dt.date(1990, 1, 1)
    assert info.appointment is None
    with pytest.raises(NipError) as caught:
        parse_nip("199013012021210001", "PPPK")
    assert caught.value.code == "NIP_BIRTH_DATE"
    with pytest.raises(NipError):
        parse_nip("19900101202121000", "PPPK")
