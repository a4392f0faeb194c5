"""Geometry for the horizontal bar charts the templates draw as inline SVG.

The figures come from the database already added up; this only scales them to the drawing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from infra.numbers import Numbers

WIDTH = 600
LABEL_WIDTH = 160
BAR_HEIGHT = 22
GAP = 8


@dataclass
class Segment:
    label: str
    value: float
    colour: str
    x: float
    width: float
    href: str | None = None


@dataclass
class Bar:
    label: str
    total: float
    y: float
    text_y: float
    segments: list[Segment] = field(default_factory=list)
    end_x: float = 0


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    title: str = ""
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    legend: list[tuple[str, str]] = field(default_factory=list)


def _number(value) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def bar_chart(rows, *, title, label, series: list[tuple[str, str, str]], link=None) -> Chart:
    """One bar per row, split into ``series`` (key, legend label, colour) laid end to end, under
    ``title``.

    ``label`` picks the bar's label from a row: a key of a dict row or a callable;
    ``link(row, key)``, the address of the list behind a segment (or None).
    """
    rows = list(rows)
    values = [[_number(_get(row, key)) for key, _l, _c in series] for row in rows]
    largest = max((sum(parts) for parts in values), default=0)
    if largest <= 0:
        return Chart(bars=[], height=0, title=title)  # nothing to draw: the page shows none
    scale = (WIDTH - LABEL_WIDTH - 80) / largest
    bars = []
    for index, (row, parts) in enumerate(zip(rows, values, strict=True)):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = Bar(label=str(_get(row, label)), total=sum(parts), y=y, text_y=y + BAR_HEIGHT * 0.7)
        x = float(LABEL_WIDTH)
        for value, (key, legend, colour) in zip(parts, series, strict=True):
            width = round(value * scale, 1)
            href = link(row, key) if link is not None else None
            bar.segments.append(Segment(legend, value, colour, round(x, 1), width, href))
            x += width
        bar.end_x = round(x + 6, 1)
        bars.append(bar)
    legend = [(legend, colour) for _key, legend, colour in series] if len(series) > 1 else []
    height = GAP + len(rows) * (BAR_HEIGHT + GAP)
    return Chart(bars=bars, height=height, legend=legend, title=title)


def svg(chart: Chart, title) -> SafeString:
    """The chart as inline SVG markup, labelled ``title``.

    Built here rather than in a template: an administrator's chart has a bar for each of some
    two hundred reps, and a template loop over their segments costs more than the rest of the
    page. Numbers in the geometry are written unlocalised; the figures shown read as in the
    tables (localised, rounded as ``floatformat`` does)."""
    title = escape(title)
    numbers = Numbers()
    legends = {}  # each series' legend by its place, escaped once rather than on every bar
    label_x = chart.label_width - 8
    parts = [
        f'<svg viewBox="0 0 {chart.width} {chart.height}" width="100%" role="group"'
        f' aria-label="{title}">\n'
    ]
    for bar in chart.bars:
        parts.append(
            f'<text x="{label_x}" y="{bar.text_y}" text-anchor="end" font-size="12"'
            f' fill="currentColor">{escape(Truncator(bar.label).chars(24))}</text>\n'
        )
        for position, segment in enumerate(bar.segments):
            if not segment.width:
                continue
            legend = legends.get(position)
            if legend is None:
                legend = legends[position] = f"{escape(segment.label)}: " if segment.label else ""
            rect = (
                f'<rect x="{segment.x}" y="{bar.y}" width="{segment.width}" height="{BAR_HEIGHT}"'
                f' rx="2" fill="{escape(segment.colour)}"><title>{legend}'
                f"{numbers.whole(segment.value)}</title></rect>"
            )
            if segment.href is not None:
                rect = f'<a href="{escape(segment.href)}">{rect}</a>'
            parts.append(rect)
        parts.append(
            f'\n<text x="{bar.end_x}" y="{bar.text_y}" font-size="12" fill="currentColor">'
            f"{numbers.whole(bar.total, grouped=True)}</text>\n"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _get(row, key):
    if callable(key):
        return key(row)
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)
