"""The shape every figure takes: a table of cells, each knowing how many employees it counts,
so that the national view can hide the small ones (docs/decisions/171) in the page, the CSV,
the API and the reports alike."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

SMALL_CELL = 5  # a cell counting fewer employees than this is hidden in the national view
SUPPRESSED = "< 5"


@dataclass
class Cell:
    value: Any  # int, float, str or None
    people: int | None = None  # the employees this cell counts (None: not about people)

    def shown(self, *, suppress: bool) -> Any:
        if suppress and self.people is not None and 0 < self.people < SMALL_CELL:
            return SUPPRESSED
        if suppress and self.people == 0 and self.value not in (0, None):
            return SUPPRESSED
        return self.value


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = "bar"  # "bar", "line" or "" (no chart)
    chart_columns: list[int] = field(default_factory=list)  # columns drawn (default: all numbers)
    note: str = ""
    total_row: bool = False  # the last row is the total of the rows above (add_total)
    total_column: int | None = None  # this column is the total of the columns before it

    def add(self, label: str, *cells: Cell) -> None:
        self.rows.append([Cell(label), *cells])

    def add_total(self, label: str, *cells: Cell) -> None:
        """The total row (last): its columns are sums of the rows above, so a single hidden
        cell in a column would be recoverable by subtraction (see ``hidden``)."""
        self.add(label, *cells)
        self.total_row = True

    def hidden(self) -> set[tuple[int, int]]:
        """The (row, column) cells the national view hides: those counting 1-4 employees
        (``Cell.shown``), and complementary ones (docs/decisions/171): while a column with a
        shown total has exactly one hidden cell above it, the smallest shown number of that
        column is hidden too (or the total itself if there is none); the same along a row
        with a shown ``total_column``."""
        rows = self.rows
        hidden = {
            (r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
            if c and cell.shown(suppress=True) == SUPPRESSED
        }

        def complete(cells: list[tuple[int, int]], total: tuple[int, int]) -> bool:
            if total in hidden or not _number(rows[total[0]][total[1]].value):
                return False
            inside = [cell for cell in cells if cell in hidden]
            if len(inside) != 1:
                return False
            shown = [cell for cell in cells if cell not in hidden and _number(rows[cell[0]][cell[1]].value)]
            hidden.add(min(shown, key=lambda cell: (rows[cell[0]][cell[1]].value, cell)) if shown else total)
            return True

        changed = bool(hidden)
        while changed:
            changed = False
            if self.total_row and len(rows) > 1:
                last = len(rows) - 1
                for c in range(1, len(rows[last])):
                    above = [(r, c) for r in range(last) if c < len(rows[r])]
                    changed |= complete(above, (last, c))
            if self.total_column is not None:
                t = self.total_column
                for r, row in enumerate(rows):
                    if t < len(row):
                        changed |= complete([(r, c) for c in range(1, t)], (r, t))
        return hidden

    def shown_rows(self, *, suppress: bool) -> list[list[Any]]:
        if not suppress:
            return [[cell.value for cell in row] for row in self.rows]
        hidden = self.hidden()
        return [
            [SUPPRESSED if (r, c) in hidden else cell.shown(suppress=True) for c, cell in enumerate(row)]
            for r, row in enumerate(self.rows)
        ]

    def as_dict(self, *, suppress: bool) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": self.shown_rows(suppress=suppress),
        }

    def csv(self, *, suppress: bool) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.shown_rows(suppress=suppress):
            writer.writerow(["" if v is None else v for v in row])
        return out.getvalue()


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def pct(part: int | float | None, whole: int | float | None) -> float | None:
    if not whole or part is None:
        return None
    return round(100.0 * float(part) / float(whole), 1)


def rnd(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
