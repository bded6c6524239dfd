"""XLSX reading: bound the upload, then let python-calamine read the first sheet.

Nothing of an upload is parsed before it is bounded (``Limits``): the file size; for each
zip member its declared size, its compression ratio and, while it is decompressed once, its
real size (a zip may lie about sizes); the total decompressed size; and in every worksheet
the columns and rows it addresses (its ``<dimension>`` and every cell reference), so that a
reference like ``ZZZZZ1`` or ``A9999999`` is refused instead of expanded into a grid. Only
then does calamine (Rust) read the values. A refusal is an ``XlsxRejected`` with Indonesian
and English texts; the readers turn it into a ``Problem`` about the whole file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_EXCEL_COLUMNS = 16_384  # XFD
MAX_EXCEL_ROWS = 1_048_576
_CHUNK = 1 << 20
_TAIL = 256  # bytes kept between chunks so that no reference is cut in two


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds of one uploaded file (the Django side may pass its settings)."""

    max_file_bytes: int = 32 * 1024 * 1024
    max_unzipped_bytes: int = 256 * 1024 * 1024
    max_compression_ratio: float = 200.0  # per zip member of more than ``ratio_floor`` bytes
    ratio_floor: int = 1024 * 1024
    max_columns: int = MAX_EXCEL_COLUMNS
    max_rows: int = 200_000
    max_cells: int = 20_000_000  # rows x columns of the grid the sheet spans


DEFAULT_LIMITS = Limits()


class XlsxRejected(Exception):
    """The file is refused before it is parsed; ``message_id``/``message_en`` say why."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


def column_number(letters: bytes | str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    number = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + ch - 64
    return number


def _too_big(what_id: str, what_en: str) -> XlsxRejected:
    return XlsxRejected(
        f"file XLSX ditolak sebelum dibaca: {what_id}; simpan ulang hanya lembar data yang "
        "diperlukan (atau pecah menjadi beberapa file), atau gunakan CSV UTF-8",
        f"the XLSX file is refused before it is read: {what_en}; save only the data sheet "
        "needed (or split it into several files), or use CSV UTF-8",
    )


# Patterns start with a literal so that the search is fast (about 0.02 s for 46 MB).
_DIMENSION = re.compile(rb'dimension ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_WIDE_REF = re.compile(rb'r="[A-Z]{2,}[0-9]')  # column AA or further
_ANY_REF = re.compile(rb'r="([A-Z]*)([0-9]+)"')  # cells (letters) and rows (digits only)


class _SheetBounds:
    """Streams one worksheet's XML and refuses it as soon as it addresses too much."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        digits = len(str(limits.max_rows))
        self._deep = re.compile(rb'r="[A-Z]*([0-9]{%d,})"' % digits)  # rows >= 10**(digits-1)
        self.max_column = 0
        self.max_row = 0
        self.rows = 0
        self.cells_in_row = 0
        self.max_cells_in_row = 0
        self.wide = False
        self.sequential = False

    def _column(self, letters: bytes) -> None:
        column = column_number(letters)
        if column > self.limits.max_columns:
            raise _too_big(
                f"lembar kerja memakai kolom {letters.decode()} (kolom ke-{column:,}), lebih dari "
                f"batas {self.limits.max_columns:,} kolom",
                f"a worksheet uses column {letters.decode()} (column {column:,}), more than the "
                f"limit of {self.limits.max_columns:,} columns",
            )
        self.max_column = max(self.max_column, column)

    def _row(self, number: int) -> None:
        if number > self.limits.max_rows:
            raise _too_big(
                f"lembar kerja memakai baris ke-{number:,}, lebih dari batas "
                f"{self.limits.max_rows:,} baris",
                f"a worksheet uses row {number:,}, more than the limit of "
                f"{self.limits.max_rows:,} rows",
            )
        self.max_row = max(self.max_row, number)

    def feed(self, text: bytes, fresh: int) -> None:
        """Look at ``text``: the last ``fresh`` bytes are new, the rest was seen before."""
        if self.max_row == 0 and self.rows == 0:
            for match in _DIMENSION.finditer(text):  # at the top of the sheet
                for letters, digits in ((match[1], match[2]), (match[3], match[4])):
                    if letters:
                        self._column(letters)
                        self._row(int(digits))
        for digits in self._deep.findall(text):
            self._row(int(digits))
        if not self.wide and _WIDE_REF.search(text):
            self.wide = True  # from now on every reference is looked at
        if self.wide:
            for letters, digits in _ANY_REF.findall(text):
                if letters:
                    self._column(letters)
                self._row(int(digits))
        chunk = text[len(text) - fresh :]
        cells = chunk.count(b"<c ") + chunk.count(b"<c>")
        if cells - chunk.count(b'<c r="') > 1:  # (one may be cut at the chunk's end)
            self.sequential = True  # cells without a reference sit one after the other
        if self.sequential:
            pieces = chunk.split(b"<row")
            self.cells_in_row += pieces[0].count(b"<c ") + pieces[0].count(b"<c>")
            for piece in pieces[1:]:
                self.max_cells_in_row = max(self.max_cells_in_row, self.cells_in_row)
                self.cells_in_row = piece.count(b"<c ") + piece.count(b"<c>")
        self.rows += chunk.count(b"<row ") + chunk.count(b"<row>")
        if self.rows > self.limits.max_rows:
            self._row(self.rows)
        self._check_grid()

    def _check_grid(self) -> None:
        columns = max(self.max_column, self.max_cells_in_row, self.cells_in_row)
        if columns > self.limits.max_columns:
            self._column(_letters(columns))
        rows = max(self.max_row, self.rows)
        if rows * columns > self.limits.max_cells:
            raise _too_big(
                f"lembar kerja mencakup {rows:,} baris x {columns:,} kolom, lebih dari batas "
                f"{self.limits.max_cells:,} sel",
                f"a worksheet spans {rows:,} rows x {columns:,} columns, more than the limit "
                f"of {self.limits.max_cells:,} cells",
            )


def _letters(column: int) -> bytes:
    out = b""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = bytes([65 + rest]) + out
    return out


def _chunks(stream: io.BufferedIOBase) -> Iterator[tuple[bytes, int]]:
    """``(text, fresh)``: the member's bytes in chunks of which the last ``fresh`` are new,
    overlapping by ``_TAIL`` bytes (a reference or ``<!DOCTYPE`` cut at a boundary is still
    seen whole)."""
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return
        yield tail + chunk, len(chunk)
        tail = chunk[-_TAIL:]


def check_xlsx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse (``XlsxRejected``) a file that is too big, a zip bomb, declares a DTD, or
    addresses more columns, rows or cells than ``limits`` allow. Reads every member once,
    in bounded chunks: memory stays bounded whatever the file claims."""
    if len(data) > limits.max_file_bytes:
        raise _too_big(
            f"ukuran file {len(data) / 1e6:.1f} MB, lebih dari batas "
            f"{limits.max_file_bytes / 1e6:.1f} MB",
            f"the file is {len(data) / 1e6:.1f} MB, more than the limit of "
            f"{limits.max_file_bytes / 1e6:.1f} MB",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _damaged() from exc
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        _check_unzipped(declared, limits)
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > limits.ratio_floor and ratio > limits.max_compression_ratio:
                raise _too_big(
                    f"bagian {member.filename} dimampatkan {ratio:,.0f} kali (batas "
                    f"{limits.max_compression_ratio:,.0f} kali): ciri bom zip",
                    f"part {member.filename} is compressed {ratio:,.0f} times (limit "
                    f"{limits.max_compression_ratio:,.0f}): the mark of a zip bomb",
                )
        total = 0
        for member in members:
            if member.is_dir():
                continue
            sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(
                ".xml"
            )
            bounds = _SheetBounds(limits) if sheet else None
            try:
                with archive.open(member) as stream:
                    for text, fresh in _chunks(stream):  # type: ignore[arg-type]
                        total += fresh
                        _check_unzipped(total, limits)
                        if b"<!DOCTYPE" in text or b"<!doctype" in text:
                            raise XlsxRejected(
                                "file XLSX ditolak: berisi deklarasi DTD (<!DOCTYPE>), yang "
                                "tidak pernah ada di file Excel; simpan ulang dari Excel "
                                "sebagai .xlsx",
                                "the XLSX file is refused: it declares a DTD (<!DOCTYPE>), "
                                "which Excel files never do; save it again from Excel as .xlsx",
                            )
                        if bounds is not None:
                            bounds.feed(text, fresh)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                raise _damaged() from exc


def _check_unzipped(total: int, limits: Limits) -> None:
    if total > limits.max_unzipped_bytes:
        raise _too_big(
            f"isi file setelah diekstrak lebih dari {limits.max_unzipped_bytes / 1e6:.0f} MB",
            f"its content unzipped is more than {limits.max_unzipped_bytes / 1e6:.0f} MB",
        )


def _damaged() -> XlsxRejected:
    return XlsxRejected(
        "file XLSX rusak atau tidak dapat dibaca; buka di Excel lalu simpan ulang sebagai "
        ".xlsx (Excel Workbook) atau CSV UTF-8",
        "the XLSX file is damaged or cannot be read; open it in Excel and save it again as "
        ".xlsx (Excel Workbook) or CSV UTF-8",
    )


def read_first_sheet(
    data: bytes, limits: Limits = DEFAULT_LIMITS
) -> list[tuple[int, list[object]]]:
    """``(line, values)`` of every row of the first sheet, after ``check_xlsx``.

    Values are calamine's: ``str`` ("" for an empty cell), ``float``, ``bool``,
    ``datetime.date``/``datetime``/``time``/``timedelta``. Raises ``XlsxRejected``.
    """
    check_xlsx(data, limits)
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            if not workbook.sheet_names:
                return []
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise _damaged() from exc
    return [(line, list[object](row)) for line, row in enumerate(rows, start=1)]
