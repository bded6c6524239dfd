"""Server-rendered SVG charts of a table (no JS library, no CDN): horizontal bars for a
table's charted columns, a line per column for trends. Colours come from CSS classes
(static/fleksi/monitoring.css); the numbers are always in the table beside the chart."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tables import Table

WIDTH = 640
ROW = 18
LABEL = 190


def _numbers(table: Table, *, suppress: bool) -> tuple[list[str], list[int], list[list[float | None]]]:
    columns = table.chart_columns or [
        i for i in range(1, len(table.columns))
        if any(isinstance(row[i].value, int | float) for row in table.rows if i < len(row))
    ]
    labels, values = [], []
    rows = table.shown_rows(suppress=suppress)  # the page's cells, complementary ones hidden too
    for row in rows:
        labels.append(str(row[0]))
        line: list[float | None] = []
        for i in columns:
            shown = row[i] if i < len(row) else None
            line.append(float(shown) if isinstance(shown, int | float) and not isinstance(shown, bool) else None)
        values.append(line)
    return labels, columns, values


def chart_svg(table: Table, *, suppress: bool) -> SafeString:
    if not table.chart or not table.rows:
        return mark_safe("")
    labels, columns, values = _numbers(table, suppress=suppress)
    flat = [v for line in values for v in line if v is not None]
    if not flat:
        return mark_safe("")
    top = max(flat) or 1.0
    title = escape(table.title)
    if table.chart == "line":
        return _line(table, labels, columns, values, top, title)
    bars = len(columns)
    height = len(labels) * (ROW * bars + 6) + 24
    span = WIDTH - LABEL - 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    ]
    y = 4
    for label, line in zip(labels, values, strict=True):
        parts.append(f'<text class="chart-label" x="{LABEL - 6}" y="{y + ROW - 5}" text-anchor="end">{escape(label[:32])}</text>')
        for index, value in enumerate(line):
            width = 0.0 if value is None else max(1.0, span * value / top)
            text = ("< 5" if suppress else "-") if value is None else number_format(round(value, 1) if value % 1 else int(value))
            parts.append(
                f'<rect class="bar bar-{index % 4}" x="{LABEL}" y="{y + 2}" width="{width:.1f}" height="{ROW - 4}"></rect>'
                f'<text class="chart-value" x="{LABEL + width + 4:.1f}" y="{y + ROW - 5}">{escape(text)}</text>'
            )
            y += ROW
        y += 6
    parts.append(_legend(table, columns, y + 14))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def _legend(table: Table, columns: list[int], y: int) -> str:
    if len(columns) < 2:
        return ""
    items, x = [], LABEL
    for index, column in enumerate(columns):
        name = escape(table.columns[column][:24])
        items.append(
            f'<rect class="bar bar-{index % 4}" x="{x}" y="{y - 9}" width="10" height="10"></rect>'
            f'<text class="chart-value" x="{x + 14}" y="{y}">{name}</text>'
        )
        x += 150
    return "".join(items)


def _line(table: Table, labels: list[str], columns: list[int], values: list[list[float | None]],
          top: float, title: str) -> SafeString:
    height, left, bottom = 220, 40, 40
    plot_h = height - bottom - 10
    step = (WIDTH - left - 20) / max(1, len(labels) - 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height + 20}" role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>',
        f'<line class="axis" x1="{left}" y1="{10 + plot_h}" x2="{WIDTH - 10}" y2="{10 + plot_h}"></line>',
        f'<text class="chart-value" x="2" y="16">{top:g}</text>',
    ]
    for index in range(len(columns)):
        points = [
            f"{left + i * step:.1f},{10 + plot_h - plot_h * v / top:.1f}"
            for i, line in enumerate(values) if (v := line[index]) is not None
        ]
        if points:
            parts.append(f'<polyline class="line line-{index % 4}" points="{" ".join(points)}"></polyline>')
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text class="chart-label" x="{left + i * step:.1f}" y="{height - 18}" text-anchor="middle">{escape(label[-7:])}</text>')
    parts.append(_legend(table, columns, height + 8))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above
