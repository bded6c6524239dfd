"""The blank ``employees.csv`` / ``.xlsx`` offered on the import page: every column of
FORMATS.md, one example row, and (XLSX, second sheet) what each column means and allows.

Cells are always written as text where they could be read as a formula: a value starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a string cell in the XLSX and
gets a leading apostrophe in the CSV (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from fleksi.policy.formats import EMPLOYEE_COLUMNS

Lang = Literal["id", "en"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# column -> (example, (required, meaning, allowed values) in Indonesian, the same in English)
_DOCS: dict[str, tuple[str, tuple[str, str, str], tuple[str, str, str]]] = {
    "nip": (
        "199001012015031001",
        ("wajib", "NIP 18 digit (PNS) atau NI PPPK", "18 digit; format kolom sebagai Teks"),
        ("required", "18-digit NIP (PNS) or NI PPPK", "18 digits; format the column as Text"),
    ),
    "nama": (
        "Budi Santoso",
        ("wajib", "nama lengkap", "teks"),
        ("required", "full name", "text"),
    ),
    "jenis": (
        "PNS",
        ("tidak", "jenis pegawai", "PNS (bawaan) atau PPPK"),
        ("no", "kind of employee", "PNS (default) or PPPK"),
    ),
    "unit_kode": (
        "BIRO-UMUM",
        ("wajib", "kode unit organisasi", "huruf, angka, '-', '_' atau '.'"),
        ("required", "code of the organisational unit", "letters, digits, '-', '_' or '.'"),
    ),
    "unit_nama": (
        "Biro Umum",
        (
            "untuk unit baru",
            "nama unit; wajib pada baris pertama unit yang belum ada, unit yang sudah ada "
            "tetap bernama sama bila kosong",
            "teks",
        ),
        (
            "for a new unit",
            "name of the unit; required on the first row of a unit that does not exist yet, "
            "an existing unit keeps its name when empty",
            "text",
        ),
    ),
    "unit_induk_kode": (
        "",
        (
            "tidak",
            "kode unit induk (membentuk pohon unit)",
            "kode unit di berkas atau yang sudah ada",
        ),
        ("no", "code of the parent unit (builds the tree)", "a unit code in the file or stored"),
    ),
    "jabatan": (
        "Analis Kebijakan",
        ("wajib", "nama jabatan", "teks"),
        ("required", "position title", "text"),
    ),
    "kepala_unit": (
        "tidak",
        ("tidak", "ya bila pegawai ini kepala unit (menyetujui pengajuan)", "ya / tidak"),
        ("no", "ya if this employee heads the unit (approves its requests)", "ya / tidak"),
    ),
    "atasan_nip": (
        "",
        ("tidak", "NIP atasan langsung", "NIP di berkas ini atau yang sudah terdaftar"),
        ("no", "NIP of the direct supervisor", "a NIP in this file or already stored"),
    ),
    "tmt_jabatan": (
        "2024-01-02",
        ("tidak", "TMT pada jabatan sekarang", "tanggal YYYY-MM-DD"),
        ("no", "start date in the current position", "date YYYY-MM-DD"),
    ),
    "email": (
        "budi.santoso@instansi.go.id",
        ("tidak", "untuk notifikasi dan masuk", "alamat email"),
        ("no", "for notifications and login", "email address"),
    ),
    "domisili": (
        "Jl. Merdeka No. 1, Jakarta Pusat",
        ("tidak", "alamat domisili terdaftar (syarat hari kerja di rumah)", "teks"),
        ("no", "registered home address (a home day needs one)", "text"),
    ),
    "tugas_memenuhi_kriteria": (
        "ya",
        (
            "tidak",
            "ya bila tugas jabatan memenuhi lima kriteria fleksibilitas lokasi",
            "ya / tidak (bawaan tidak)",
        ),
        (
            "no",
            "ya if the position's tasks meet the five criteria for location flexibility",
            "ya / tidak (default tidak)",
        ),
    ),
    "tugas_luar_kantor": (
        "tidak",
        ("tidak", "ya bila tugas harus dikerjakan di luar kantor", "ya / tidak"),
        ("no", "ya if the tasks must be done outside the office", "ya / tidak"),
    ),
    "waktu": (
        "tidak",
        ("tidak", "fleksibilitas waktu yang diizinkan", "tidak (bawaan), dinamis, sif"),
        ("no", "time flexibility allowed", "tidak (default), dinamis, sif"),
    ),
    "hukuman_disiplin": (
        "tidak",
        ("tidak", "ya selama menjalani atau diproses hukuman disiplin", "ya / tidak"),
        ("no", "ya while serving or being processed for a sanction", "ya / tidak"),
    ),
    "dikecualikan": (
        "tidak",
        ("tidak", "ya bagi kelompok yang dikecualikan Pasal 38", "ya / tidak"),
        ("no", "ya for groups excluded by Pasal 38", "ya / tidak"),
    ),
    "keadaan_khusus_mulai": (
        "",
        ("tidak", "awal keadaan khusus yang disetujui", "tanggal YYYY-MM-DD, bersama _sampai"),
        ("no", "start of an approved keadaan khusus", "date YYYY-MM-DD, with _sampai"),
    ),
    "keadaan_khusus_sampai": (
        "",
        ("tidak", "akhir keadaan khusus (inklusif)", "tanggal YYYY-MM-DD, bersama _mulai"),
        ("no", "end of the keadaan khusus (inclusive)", "date YYYY-MM-DD, with _mulai"),
    ),
}

_TEXT = {
    "id": {
        "data": "pegawai",
        "help": "petunjuk",
        "header": ("kolom", "wajib", "arti", "nilai yang diizinkan", "contoh"),
        "notes": (
            "Baris pertama lembar 'pegawai' berisi nama kolom (urutan bebas); hapus baris "
            "contoh sebelum mengimpor.",
            "Kolom pilihan yang dihapus dari berkas tidak mengubah data yang tersimpan; sel "
            "kosong pada kolom yang ada berarti nilai itu dikosongkan.",
            "ya/tidak juga menerima y/t, true/false, 1/0. Tanggal YYYY-MM-DD.",
        ),
    },
    "en": {
        "data": "pegawai",
        "help": "instructions",
        "header": ("column", "required", "meaning", "allowed values", "example"),
        "notes": (
            "The first row of the 'pegawai' sheet holds the column names (any order); delete "
            "the example row before importing.",
            "An optional column removed from the file leaves the stored data unchanged; an "
            "empty cell in a column that is there clears that value.",
            "ya/tidak also accept y/t, true/false, 1/0. Dates are YYYY-MM-DD.",
        ),
    },
}


def example_row() -> list[str]:
    return [_DOCS[c][0] for c in EMPLOYEE_COLUMNS]


def help_rows(lang: Lang = "id") -> list[list[str]]:
    """One row per column: name, required, meaning, allowed values, example."""
    rows = []
    for column in EMPLOYEE_COLUMNS:
        example, texts_id, texts_en = _DOCS[column]
        required, meaning, allowed = texts_en if lang == "en" else texts_id
        rows.append([column, required, meaning, allowed, example])
    return rows


def csv_safe(value: str) -> str:
    """A cell value a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def template_csv(rows: Sequence[Sequence[str]] | None = None) -> bytes:
    """Header plus the example row (or ``rows``), UTF-8 with a BOM so that Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EMPLOYEE_COLUMNS)
    for row in rows if rows is not None else [example_row()]:
        writer.writerow([csv_safe(str(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(lang: Lang = "id", rows: Sequence[Sequence[str]] | None = None) -> bytes:
    """Sheet 1 'pegawai': header plus the example row (or ``rows``), every column as text;
    sheet 2: what each column means and allows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    texts = _TEXT[lang]
    workbook = Workbook()
    data = workbook.active
    assert isinstance(data, Worksheet)
    data.title = str(texts["data"])
    _append_text(data, 1, EMPLOYEE_COLUMNS)
    for number, row in enumerate(rows if rows is not None else [example_row()], start=2):
        _append_text(data, number, row)
    for index, column in enumerate(EMPLOYEE_COLUMNS, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(12, len(column) + 2)
        # Text format for the whole column: Excel keeps 18-digit NIPs and leading zeros.
        data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"

    sheet = workbook.create_sheet(str(texts["help"]))
    _append_text(sheet, 1, texts["header"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    helps = help_rows(lang)
    for number, row in enumerate(helps, start=2):
        _append_text(sheet, number, row)
    for number, note in enumerate(texts["notes"], start=len(helps) + 3):
        _append_text(sheet, number, [note])
    for letter, width in zip("ABCDE", (26, 16, 60, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append_text(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    """Write a row of string cells (empty values stay empty): never a formula."""
    for index, value in enumerate(values, start=1):
        text = "" if value is None else str(value)
        if not text:
            continue
        cell = sheet.cell(row=row, column=index)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
