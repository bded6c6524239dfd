"""What the page and the API share: the summary as JSON and one table as CSV, with the
national view's small cells hidden (tables.Cell.shown)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode

from .population import Population
from .tables import Section, Table


def summary_dict(pop: Population, sections: list[Section]) -> dict[str, Any]:
    return {
        "scope": str(pop.kind),
        "id": pop.unit.pk if pop.unit else (pop.agency.pk if pop.agency else None),
        "label": pop.label,
        "from": pop.start.isoformat(),
        "to": pop.end.isoformat(),
        "suppressed_below": 5 if pop.national else None,
        "sections": [
            {"key": s.key, "title": s.title, "tables": [t.as_dict(suppress=pop.national) for t in s.tables]}
            for s in sections
        ],
    }


def find_table(sections: list[Section], key: str) -> Table:
    for section in sections:
        for table in section.tables:
            if table.key == key:
                return table
    raise ApplicationError(ErrorCode.NOT_FOUND, _("Tabel tidak ditemukan."))


def csv_response(table: Table, pop: Population) -> HttpResponse:
    response = HttpResponse(table.csv(suppress=pop.national), content_type="text/csv; charset=utf-8")
    name = f"pemantauan-{pop.kind}-{table.key}-{pop.start:%Y%m%d}-{pop.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
