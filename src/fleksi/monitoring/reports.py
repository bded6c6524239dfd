"""The evaluation report (laporan pemantauan dan evaluasi) as PDF (fpdf2, pure Python) and
XLSX (openpyxl in write-only mode, streamed row by row): the cover, every dashboard section
with its charts and tables, findings with their legal basis, the before/after table, and the
evaluator's conclusions and recommendations."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fleksi.core.humanize import date_range_text as date_range

from .models import EvaluationReport
from .population import Population, ScopeKind
from .selectors import summary
from .tables import Section, Table

Progress = Callable[[int], None]


def report_population(report: EvaluationReport) -> Population:
    unit = report.unit
    return Population(
        ScopeKind.UNIT if unit is not None else ScopeKind.AGENCY,
        [report.agency_id], unit.path if unit is not None else None, report.agency, unit,
        report.start, report.end,
    )


def _cover_lines(report: EvaluationReport) -> list[tuple[str, str]]:
    who = report.created_by
    name = (who.get_full_name() or who.get_username()) if who is not None else "-"
    return [
        (_("Instansi"), report.agency.name),
        (_("Unit"), report.unit.name if report.unit else _("Seluruh instansi")),
        (_("Periode"), date_range(report.start, report.end)),
        (_("Dibuat oleh"), name),
        (_("Dibuat pada"), timezone.localtime(report.created_at).strftime("%d-%m-%Y %H:%M")),
    ]


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    return text.encode("latin-1", "replace").decode("latin-1")


# ---------------------------------------------------------------- PDF


def render_pdf(report: EvaluationReport, progress: Progress) -> bytes:
    from fpdf import FPDF

    sections = summary(report_population(report))
    progress(50)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_text(_("Laporan pemantauan dan evaluasi kerja fleksibel")))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 18)
    pdf.multi_cell(0, 10, _text(_("Laporan Pemantauan dan Evaluasi Kerja Fleksibel")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(0, 6, _text(_("PermenPANRB 4/2025 Pasal 35 ayat (1)")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for label, value in _cover_lines(report):
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(40, 8, _text(label))
        pdf.set_font("helvetica", "", 12)
        pdf.multi_cell(0, 8, _text(value), new_x="LMARGIN", new_y="NEXT")
    for index, section in enumerate(sections):
        _pdf_section(pdf, section)
        progress(50 + int(40 * (index + 1) / len(sections)))
    pdf.add_page()
    for title, body in ((_("Kesimpulan"), report.conclusions), (_("Rekomendasi"), report.recommendations)):
        pdf.set_font("helvetica", "B", 14)
        pdf.multi_cell(0, 9, _text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 11)
        pdf.multi_cell(0, 6, _text(body or "-"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def _pdf_section(pdf: Any, section: Section) -> None:
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(0, 9, _text(section.title), new_x="LMARGIN", new_y="NEXT")
    for table in section.tables:
        pdf.ln(2)
        pdf.set_font("helvetica", "B", 11)
        pdf.multi_cell(0, 7, _text(table.title), new_x="LMARGIN", new_y="NEXT")
        if table.note:
            pdf.set_font("helvetica", "I", 9)
            pdf.multi_cell(0, 5, _text(table.note), new_x="LMARGIN", new_y="NEXT")
        _pdf_chart(pdf, table)
        _pdf_table(pdf, table)


def _pdf_table(pdf: Any, table: Table) -> None:
    rows = table.shown_rows(suppress=False)
    if not rows:
        pdf.set_font("helvetica", "I", 9)
        pdf.multi_cell(0, 5, _text(_("Tidak ada data pada periode ini.")), new_x="LMARGIN", new_y="NEXT")
        return
    width = (pdf.w - pdf.l_margin - pdf.r_margin)
    first = width * 0.34 if len(table.columns) > 2 else width / 2
    other = (width - first) / max(1, len(table.columns) - 1)
    pdf.set_font("helvetica", "B", 8)
    widths = [first] + [other] * (len(table.columns) - 1)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, first_row_as_headings=True) as t:
        header = t.row()
        for column in table.columns:
            header.cell(_text(column))
        pdf.set_font("helvetica", "", 8)
        for row in rows:
            line = t.row()
            for value in row:
                line.cell(_text("-" if value is None else value))


def _pdf_chart(pdf: Any, table: Table) -> None:
    """A horizontal bar chart of the first charted column (vector rectangles)."""
    if not table.chart or not table.rows:
        return
    column = (table.chart_columns or [1])[0]
    values = [(row[0].value, row[column].value) for row in table.rows if column < len(row)]
    values = [(str(label), float(v)) for label, v in values if isinstance(v, int | float)][:20]
    if not values:
        return
    top = max(v for _l, v in values) or 1.0
    pdf.set_font("helvetica", "", 7)
    left = pdf.l_margin
    bar_left = left + 55
    span = pdf.w - pdf.r_margin - bar_left - 15
    pdf.set_fill_color(40, 110, 170)
    for label, value in values:
        y = pdf.get_y()
        pdf.set_xy(left, y)
        pdf.cell(54, 4, _text(label[:40]))
        pdf.rect(bar_left, y + 0.5, max(0.3, span * value / top), 3, style="F")
        pdf.set_xy(bar_left + span * value / top + 1, y)
        pdf.cell(14, 4, _text(f"{value:g}"))
        pdf.ln(4.5)
    pdf.ln(1)


# ---------------------------------------------------------------- XLSX


def render_xlsx(report: EvaluationReport, progress: Progress) -> bytes:
    from openpyxl import Workbook

    sections = summary(report_population(report))
    progress(50)
    book = Workbook(write_only=True)
    cover = book.create_sheet(_text(_("Sampul"))[:31])
    cover.append([_("Laporan Pemantauan dan Evaluasi Kerja Fleksibel")])
    for label, value in _cover_lines(report):
        cover.append([label, value])
    cover.append([])
    cover.append([_("Kesimpulan"), report.conclusions])
    cover.append([_("Rekomendasi"), report.recommendations])
    for index, section in enumerate(sections):
        sheet = book.create_sheet(section.title[:31])
        for table in section.tables:
            sheet.append([table.title])
            if table.note:
                sheet.append([table.note])
            sheet.append(table.columns)
            for row in table.shown_rows(suppress=False):
                sheet.append(row)
            sheet.append([])
        progress(50 + int(40 * (index + 1) / len(sections)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
