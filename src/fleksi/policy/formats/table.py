"""A common reader for tabular files (CSV and XLSX) and the cell converters of FORMATS.md.

``load_table`` turns the bytes of a ``.csv`` or ``.xlsx`` file into a header and raw rows;
``CellReader`` converts raw cells (``str`` from CSV; ``str``, numbers, ``bool``, ``date``,
``datetime`` or ``time`` from XLSX) into typed values, collecting every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from fleksi.policy.formats.xlsx import DEFAULT_LIMITS, Limits, XlsxRejected, read_first_sheet
from fleksi.policy.problems import Problem

__all__ = ["CellReader", "Limits", "ReadResult", "Table", "load_table"]

T = TypeVar("T")

YES = frozenset({"ya", "y", "true", "1"})
NO = frozenset({"tidak", "t", "false", "0"})

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")

_XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(slots=True)
class ReadResult(Generic[T]):
    """Rows read from a file. A non-empty ``problems`` means: reject the whole file."""

    rows: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class Table:
    """A file's header (normalised names) and its non-empty data rows with their lines."""

    file: str
    headers: list[str]
    rows: list[tuple[int, Sequence[object]]]
    index: dict[str, int] = field(default_factory=dict)

    def col(self, name: str) -> int | None:
        return self.index.get(name)


def normalise_header(name: object) -> str:
    if name is None:
        return ""
    return "_".join(str(name).strip().lower().split())


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(_XLSX_EXTENSIONS) or data[:4] == _ZIP_MAGIC


def _file_problem(file: str, message_id: str, message_en: str, line: int = 0) -> Problem:
    return Problem(file, line, "", message_id, message_en)


def _csv_rows(
    data: bytes, file: str, problems: list[Problem], limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            _file_problem(
                file,
                "file bukan teks UTF-8 (byte tidak sah pada baris ini); simpan ulang sebagai "
                '"CSV UTF-8"',
                "the file is not UTF-8 text (invalid byte on this line); save it again as "
                '"CSV UTF-8"',
                line,
            )
        )
        return
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to an Indonesian locale save "CSV" with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                problems.append(
                    _file_problem(
                        file,
                        f"baris ini berisi {len(row):,} nilai, lebih dari batas "
                        f"{limits.max_columns:,} kolom",
                        f"this row has {len(row):,} values, more than the limit of "
                        f"{limits.max_columns:,} columns",
                        previous + 1,
                    )
                )
                return
            yield previous + 1, row
            previous = reader.line_num
    except csv.Error as exc:
        problems.append(
            _file_problem(
                file,
                f"CSV tidak dapat dibaca: {exc}",
                f"the CSV cannot be read: {exc}",
                previous + 1,
            )
        )


def _xlsx_rows(
    data: bytes, file: str, problems: list[Problem], limits: Limits
) -> Iterator[tuple[int, Sequence[object]]]:
    """The first sheet, bounded before it is parsed (``xlsx.check_xlsx``), read by calamine."""
    try:
        rows = read_first_sheet(data, limits)
    except XlsxRejected as refused:
        problems.append(_file_problem(file, refused.message_id, refused.message_en))
        return
    yield from rows


def _csv_bounds(data: bytes, file: str, limits: Limits) -> Problem | None:
    """A CSV is bounded too: its size and its number of lines, before it is parsed."""
    if len(data) > limits.max_file_bytes:
        return _file_problem(
            file,
            f"file ditolak sebelum dibaca: ukuran {len(data) / 1e6:.1f} MB, lebih dari batas "
            f"{limits.max_file_bytes / 1e6:.1f} MB; pecah menjadi beberapa file",
            f"the file is refused before it is read: it is {len(data) / 1e6:.1f} MB, more "
            f"than the limit of {limits.max_file_bytes / 1e6:.1f} MB; split it into several files",
        )
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > limits.max_rows:
        return _file_problem(
            file,
            f"file ditolak sebelum dibaca: {lines:,} baris, lebih dari batas "
            f"{limits.max_rows:,} baris; pecah menjadi beberapa file",
            f"the file is refused before it is read: {lines:,} lines, more than the limit of "
            f"{limits.max_rows:,} lines; split it into several files",
        )
    return None


def _is_blank(row: Iterable[object]) -> bool:
    for value in row:
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True


def load_table(
    data: bytes,
    filename: str,
    *,
    known: Iterable[str],
    required: Iterable[str],
    limits: Limits | None = None,
) -> tuple[Table | None, list[Problem], list[Problem]]:
    """Read the header and rows of a CSV or XLSX file.

    Returns ``(table, problems, warnings)``. ``table`` is ``None`` when the file cannot be
    read, is refused by ``limits`` (checked before anything is parsed) or a required column
    is missing (then ``problems`` says why).
    """
    limits = limits or DEFAULT_LIMITS
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not data.strip():
        problems.append(
            _file_problem(
                filename,
                "file kosong: tidak ada baris judul kolom maupun data",
                "the file is empty: no header row and no data",
                1,
            )
        )
        return None, problems, warnings
    if data[:4] == _OLE_MAGIC:
        problems.append(
            _file_problem(
                filename,
                "format .xls (Excel 97-2003) tidak didukung; simpan sebagai .xlsx atau CSV UTF-8",
                "the .xls format (Excel 97-2003) is not supported; save as .xlsx or CSV UTF-8",
            )
        )
        return None, problems, warnings
    xlsx = is_xlsx(data, filename)
    if xlsx and data[:4] != _ZIP_MAGIC:
        problems.append(
            _file_problem(
                filename,
                "bukan file XLSX: isinya bukan arsip Excel (mungkin CSV atau teks yang diberi "
                "nama .xlsx); simpan dari Excel sebagai .xlsx, atau ubah nama file menjadi .csv",
                "not an XLSX file: its content is not an Excel archive (perhaps a CSV or text "
                "file named .xlsx); save it from Excel as .xlsx, or rename the file to .csv",
            )
        )
        return None, problems, warnings
    if not xlsx:
        refused = _csv_bounds(data, filename, limits)
        if refused is not None:
            return None, [refused], warnings
    raw: Iterator[tuple[int, Sequence[object]]] = (
        _xlsx_rows(data, filename, problems, limits)
        if xlsx
        else _csv_rows(data, filename, problems, limits)
    )

    header: Sequence[object] | None = None
    rows: list[tuple[int, Sequence[object]]] = []
    for line, row in raw:
        if header is None:
            if line != 1 or _is_blank(row):
                break
            header = row
            continue
        if not _is_blank(row):
            rows.append((line, row))
    if problems:
        return None, problems, warnings
    if header is None:
        problems.append(
            _file_problem(
                filename,
                "baris pertama (judul kolom) kosong atau file kosong",
                "the first row (column names) is empty or the file is empty",
                1,
            )
        )
        return None, problems, warnings

    headers = [normalise_header(h) for h in header]
    header_fields = len(headers)
    while headers and not headers[-1]:
        headers.pop()
    known_set = set(known)
    index: dict[str, int] = {}
    for position, name in enumerate(headers):
        if not name:
            warnings.append(
                Problem(
                    filename,
                    1,
                    f"#{position + 1}",
                    f"kolom ke-{position + 1} tidak bernama dan diabaikan",
                    f"column {position + 1} has no name and is ignored",
                )
            )
        elif name in index:
            problems.append(
                Problem(
                    filename,
                    1,
                    name,
                    f"kolom '{name}' muncul dua kali (kolom ke-{index[name] + 1} dan "
                    f"ke-{position + 1})",
                    f"column '{name}' appears twice (columns {index[name] + 1} and {position + 1})",
                )
            )
        else:
            index[name] = position
            if name not in known_set:
                warnings.append(
                    Problem(
                        filename,
                        1,
                        name,
                        f"kolom '{name}' tidak dikenal dan diabaikan",
                        f"unknown column '{name}' is ignored",
                    )
                )
    for name in required:
        if name not in index:
            problems.append(
                Problem(
                    filename,
                    1,
                    name,
                    f"kolom wajib '{name}' tidak ada",
                    f"required column '{name}' is missing",
                )
            )
    if problems:
        return None, problems, warnings
    width = len(headers)
    _values_right_of_header(rows, width, header_fields, xlsx, filename, problems, warnings)
    if problems:
        return None, problems, warnings
    padded = [
        (line, row if len(row) >= width else [*row, *([None] * (width - len(row)))])
        for line, row in rows
    ]
    return Table(filename, headers, padded, index), problems, warnings


def _values_right_of_header(
    rows: Sequence[tuple[int, Sequence[object]]],
    width: int,
    header_fields: int,
    xlsx: bool,
    filename: str,
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    """Values in columns that have no name in the header are never silently dropped.

    In a CSV, a row with more values than the header has fields almost always means an
    unquoted comma (or semicolon) inside a value, which shifts or cuts the row: a problem.
    A value under an empty header cell (or, in an XLSX, right of the header) is a column
    without a name: ignored with a warning, like an unknown column.
    """
    unnamed: set[int] = set()
    for line, row in rows:
        if len(row) <= width:
            continue
        extra = [i for i in range(width, len(row)) if not _is_blank((row[i],))]
        if not extra:
            continue
        if not xlsx and extra[-1] >= header_fields:
            problems.append(
                Problem(
                    filename,
                    line,
                    "",
                    f"baris ini berisi {extra[-1] + 1} nilai, padahal judul kolom hanya "
                    f"{header_fields}; nilai yang mengandung koma atau titik koma harus diapit "
                    'tanda kutip ("Jl. Merdeka, No 1")',
                    f"this row has {extra[-1] + 1} values but the header has only "
                    f"{header_fields} columns; a value containing a comma or semicolon must be "
                    'in quotes ("Jl. Merdeka, No 1")',
                )
            )
            continue
        unnamed.update(extra)
    for position in sorted(unnamed):
        warnings.append(
            Problem(
                filename,
                1,
                f"#{position + 1}",
                f"kolom ke-{position + 1} tidak bernama dan diabaikan",
                f"column {position + 1} has no name and is ignored",
            )
        )


class CellReader:
    """Converts raw cells to typed values; every problem goes to ``problems``."""

    __slots__ = ("file", "problems")

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, line: int, column: str, message_id: str, message_en: str) -> None:
        self.problems.append(Problem(self.file, line, column, message_id, message_en))

    @staticmethod
    def text(raw: object) -> str:
        if raw is None:
            return ""
        if isinstance(raw, str):
            return raw.strip()
        if isinstance(raw, bool):
            return "ya" if raw else "tidak"
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            if raw.time() == dt.time():
                return raw.date().isoformat()
            return raw.isoformat(sep=" ")
        return str(raw).strip()

    def required_text(self, line: int, column: str, raw: object) -> str:
        value = self.text(raw)
        if not value:
            self.problem(line, column, f"{column} wajib diisi", f"{column} is required")
        return value

    def yes_no(self, line: int, column: str, raw: object, default: bool = False) -> bool:
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        value = self.text(raw).lower()
        if not value:
            return default
        if value in YES:
            return True
        if value in NO:
            return False
        self.problem(
            line,
            column,
            f"nilai '{value}' tidak dikenal; isi ya atau tidak",
            f"unknown value '{value}'; use ya (yes) or tidak (no)",
        )
        return default

    def date(self, line: int, column: str, raw: object) -> dt.date | None:
        if raw is None:
            return None
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        value = self.text(raw)
        if not value:
            return None
        match = _DATE.match(value)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.problem(
            line,
            column,
            f"tanggal '{value}' tidak sah; gunakan format TTTT-BB-HH, misalnya 2026-03-02",
            f"invalid date '{value}'; use the format YYYY-MM-DD, e.g. 2026-03-02",
        )
        return None

    def time(self, line: int, column: str, raw: object) -> dt.time | None:
        if raw is None:
            return None
        if isinstance(raw, dt.datetime):
            return raw.time().replace(second=0, microsecond=0)
        if isinstance(raw, dt.time):
            return raw.replace(second=0, microsecond=0)
        if isinstance(raw, float) and 0 <= raw < 1:
            # An Excel time stored as a fraction of a day.
            minutes = round(raw * 24 * 60)
            return dt.time(minutes // 60 % 24, minutes % 60)
        value = self.text(raw)
        if not value:
            return None
        match = _TIME.match(value)
        if match:
            hour, minute = int(match[1]), int(match[2])
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        self.problem(
            line,
            column,
            f"jam '{value}' tidak sah; gunakan format JJ:MM (24 jam), misalnya 07:30",
            f"invalid time '{value}'; use the format HH:MM (24 h), e.g. 07:30",
        )
        return None

    def choice(
        self, line: int, column: str, raw: object, allowed: Sequence[str], default: str
    ) -> str | None:
        value = self.text(raw).lower()
        if not value:
            return default
        if value in allowed:
            return value
        self.problem(
            line,
            column,
            f"nilai '{value}' tidak dikenal; pilih salah satu: {', '.join(allowed)}",
            f"unknown value '{value}'; use one of: {', '.join(allowed)}",
        )
        return None
