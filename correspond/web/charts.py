"""Charts as inline SVG, for the reports page: horizontal bars for named counts (by MP,
by concern) and columns for counts over time (by week or month).

Each bar has its name above it and its count beside it in text, so the chart reads
without colour; the page shows the same figures in a table for anyone who cannot see it.
Labels come from letters (MP names), so every piece of text is escaped. A column chart
keeps one height however many periods it shows, so empty weeks take a sliver of width,
not half the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT_COLOUR = "#0b0c0c"

_WIDTH = 720  # viewBox units; the SVG scales to its container
_ROW_HEIGHT = 48
_LABEL_BASELINE = 18  # within a row: the name, then the bar under it
_BAR_TOP = 24
_BAR_HEIGHT = 18
_COUNT_ROOM = 80  # right of the longest bar, for its count
_FONT_SIZE = 16
_MAX_LABEL = 70  # characters; longer names are shortened, in full in a tooltip

# Characters XML does not allow at all, which a letter's text may still carry.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Ids unique within the page, so several charts can each point at their own title.
_chart_numbers = itertools.count(1)


def bar_chart(title: str, items: Sequence[tuple[str, int]], *,
              description: str | None = None) -> Markup:
    """An accessible horizontal bar chart, or a "No data yet" paragraph when empty.

    Screen readers announce the title and the description; without a description they
    hear the figures themselves.
    """
    if not items:
        return Markup('<p class="empty">No data yet.</p>')
    chart_id = f"chart-{next(_chart_numbers)}"
    largest = max(max(count for _, count in items), 1)
    height = _ROW_HEIGHT * len(items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{_FONT_SIZE}" '
        f'font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description or _summary(items))}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for row, (label, count) in enumerate(items):
        parts.append(_bar(row * _ROW_HEIGHT, label, count, largest))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(top: int, label: str, count: int, largest: int) -> str:
    count = max(count, 0)
    room = _WIDTH - _COUNT_ROOM
    # A bar for a count of 1 against thousands still shows as a sliver, not nothing.
    width = round(room * count / largest)
    if count and width < 2:
        width = 2
    shown = label if len(label) <= _MAX_LABEL else label[:_MAX_LABEL - 1].rstrip() + "…"
    tooltip = f"<title>{_text(label)}: {count:,}</title>" if shown != label else ""
    return (
        f"<g>{tooltip}"
        f'<text x="0" y="{top + _LABEL_BASELINE}" fill="{TEXT_COLOUR}">{_text(shown)}</text>'
        f'<rect x="0" y="{top + _BAR_TOP}" width="{width}" height="{_BAR_HEIGHT}" '
        f'fill="{BAR_COLOUR}"/>'
        f'<text x="{width + 8}" y="{top + _BAR_TOP + _BAR_HEIGHT - 4}" fill="{TEXT_COLOUR}" '
        f'font-weight="bold">{count:,}</text>'
        "</g>"
    )


_COLUMN_AREA = 200  # viewBox units of height for the tallest column
_AXIS_ROOM = 44  # below the columns, for the period labels
_MOST_LABELS = 12  # period labels shown at most; the table beside has every one
_SIDE = 32  # viewBox units of margin left and right of the columns


def column_chart(title: str, items: Sequence[tuple[str, int]], *,
                 description: str | None = None) -> Markup:
    """Counts over time as columns, oldest on the left, in a chart of fixed height.

    Every column is labelled when there are few, every second or third when there are
    many; a count is written above each column that is not empty.
    """
    if not items or not any(count for _, count in items):
        return Markup('<p class="empty">None in this period.</p>')
    chart_id = f"chart-{next(_chart_numbers)}"
    largest = max(count for _, count in items)
    slot = _WIDTH / len(items)
    every = -(-len(items) // _MOST_LABELS)  # label every nth column
    height = _COLUMN_AREA + _AXIS_ROOM + _FONT_SIZE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        # A margin either side, so the first and last labels, centred under their
        # columns, are not cut off.
        f'viewBox="-{_SIDE} 0 {_WIDTH + 2 * _SIDE} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" '
        f'font-size="{_FONT_SIZE}" font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description or _summary(items))}</desc>',
        f'<rect x="-{_SIDE}" width="100%" height="100%" fill="#ffffff"/>',
        f'<line x1="0" y1="{height - _AXIS_ROOM}" x2="{_WIDTH}" y2="{height - _AXIS_ROOM}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>',
    ]
    base = height - _AXIS_ROOM
    for position, (label, count) in enumerate(items):
        left = position * slot
        parts.append(_column(left, slot, base, label, max(count, 0), largest,
                             show_label=position % every == 0))
    parts.append("</svg>")
    return Markup("".join(parts))


def _column(left: float, slot: float, base: int, label: str, count: int, largest: int, *,
            show_label: bool) -> str:
    tall = round(_COLUMN_AREA * count / largest) if largest else 0
    if count and tall < 2:
        tall = 2
    width = max(slot * 0.7, 1)
    middle = left + slot / 2
    shown = [f"<g><title>{_text(label)}: {count:,}</title>"]
    if count:
        shown.append(f'<rect x="{left + (slot - width) / 2:.1f}" y="{base - tall}" '
                     f'width="{width:.1f}" height="{tall}" fill="{BAR_COLOUR}"/>')
        if slot >= 22:  # room for the count above the column
            shown.append(f'<text x="{middle:.1f}" y="{base - tall - 4}" text-anchor="middle" '
                         f'fill="{TEXT_COLOUR}" font-weight="bold">{count:,}</text>')
    if show_label:
        shown.append(f'<text x="{middle:.1f}" y="{base + 20}" text-anchor="middle" '
                     f'fill="{TEXT_COLOUR}">{_text(label)}</text>')
    shown.append("</g>")
    return "".join(shown)


def _summary(items: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {count:,}" for label, count in items) + "."


def _text(value: str) -> str:
    """Escaped for XML text and attributes, without characters XML forbids."""
    return str(escape(_NOT_XML.sub("", value)))


__all__ = ["bar_chart", "column_chart"]
