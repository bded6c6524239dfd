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

    def add(self, label: str, *cells: Cell) -> None:
        self.rows.append([Cell(label), *cells])

    def shown_rows(self, *, suppress: bool) -> list[list[Any]]:
        return [[cell.shown(suppress=suppress) for cell in row] for row in self.rows]

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


def pct(part: int | float | None, whole: int | float | None) -> float | None:
    if not whole or part is None:
        return None
    return round(100.0 * float(part) / float(whole), 1)


def rnd(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
