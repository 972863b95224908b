"""Inline SVG charts for the HTML report: horizontal bars with intervals, grouped columns.

Each chart is one `<svg>` string with a `data-chart` name, sized in pixels, styled by
the report's stylesheet (classes, not inline colours), readable without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import attrs

_LABEL_WIDTH = 310
_ROW = 30
_BAR = 18


@attrs.frozen
class Bar:
    """One horizontal bar: its label, value, optional interval, CSS class and caption."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    css: str = "bar"
    caption: str = ""


def hbars(
    name: str,
    title: str,
    bars: Sequence[Bar],
    *,
    maximum: float,
    reference: float | None = None,
    reference_label: str = "",
    log: bool = False,
    width: int = 960,
    label_width: int = _LABEL_WIDTH,
) -> str:
    """Horizontal bars from 0 (or from 1 on a log scale) with interval whiskers and an
    optional dashed reference line (the base rate, or lift 1×); `title` names the chart
    for screen readers."""
    plot = width - label_width - 110
    height = 16 + _ROW * len(bars) + 24
    scale = _log_scale(maximum, plot) if log else _linear_scale(maximum, plot)
    origin = label_width + scale(1.0 if log else 0.0)
    parts = [_open(name, title, width, height)]
    for index, bar in enumerate(bars):
        y = 12 + index * _ROW
        middle = y + _BAR / 2
        parts.append(
            f'<text class="label" x="{label_width - 10}" y="{middle + 4:.1f}" '
            f'text-anchor="end">{escape(_cut(bar.label, 46))}<title>{escape(bar.label)}</title>'
            "</text>"
        )
        if bar.value is None:
            parts.append(
                f'<text class="note" x="{origin + 6:.1f}" y="{middle + 4:.1f}">no data</text>'
            )
            continue
        end = label_width + scale(bar.value)
        left, right = min(origin, end), max(origin, end)
        parts.append(
            f'<rect class="{bar.css}" x="{left:.1f}" y="{y}" '
            f'width="{max(1.0, right - left):.1f}" height="{_BAR}" rx="3">'
            f"<title>{escape(bar.label)}: {escape(bar.caption)}</title></rect>"
        )
        whisker_end = end
        if bar.low is not None and bar.high is not None:
            low, high = label_width + scale(bar.low), label_width + scale(bar.high)
            whisker_end = max(high, end)
            parts.append(
                f'<path class="whisker" d="M{low:.1f},{middle:.1f}H{high:.1f}'
                f"M{low:.1f},{middle - 5:.1f}V{middle + 5:.1f}"
                f'M{high:.1f},{middle - 5:.1f}V{middle + 5:.1f}"/>'
            )
        parts.append(
            f'<text class="value" x="{max(whisker_end, origin) + 6:.1f}" y="{middle + 4:.1f}">'
            f"{escape(bar.caption)}</text>"
        )
    bottom = 12 + _ROW * len(bars)
    if reference is not None:
        x = label_width + scale(reference)
        parts.append(f'<line class="reference" x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{bottom}"/>')
        parts.append(
            f'<text class="note" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(reference_label)}</text>"
        )
    parts.append(f'<line class="axis" x1="{origin:.1f}" y1="6" x2="{origin:.1f}" y2="{bottom}"/>')
    parts.append("</svg>")
    return "".join(parts)


def columns(
    name: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    axis_label: str,
    width: int = 960,
    height: int = 300,
) -> str:
    """Grouped vertical columns: one group per label, one column per series (name, CSS
    class, values as fractions), with a legend and a percentage axis."""
    left, top, bottom = 56, 44, 46
    plot_width, plot_height = width - left - 16, height - top - bottom
    highest = max([v for _, _, values in series for v in values] + [0.01])
    step = _nice_ceiling(highest / 4)
    ticks = max(1, math.ceil(highest / step - 1e-9))
    top_value = step * ticks
    parts = [_open(name, title, width, height)]
    legend_x = width - 16
    for series_name, css, _ in reversed(series):
        text_width = 8 * len(series_name) + 24
        legend_x -= text_width
        parts.append(
            f'<rect class="legend {css}" x="{legend_x}" y="8" width="12" height="12" rx="2"/>'
        )
        parts.append(f'<text class="note" x="{legend_x + 16}" y="18">{escape(series_name)}</text>')
    for tick in range(ticks + 1):
        value = step * tick
        y = top + plot_height - plot_height * tick / ticks
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="note" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{value * 100:g}%</text>"
        )
    group_width = plot_width / max(1, len(labels))
    column_width = min(28.0, group_width * 0.8 / max(1, len(series)))
    for index, label in enumerate(labels):
        x0 = left + group_width * index + (group_width - column_width * len(series)) / 2
        for offset, (series_name, css, values) in enumerate(series):
            value = values[index]
            h = plot_height * value / top_value
            x = x0 + offset * column_width
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{top + plot_height - h:.1f}" '
                f'width="{column_width - 2:.1f}" height="{max(h, 0.5):.1f}" rx="2">'
                f"<title>{escape(series_name)}, score {escape(label)}: {value * 100:.1f}%</title>"
                "</rect>"
            )
        parts.append(
            f'<text class="label" x="{left + group_width * (index + 0.5):.1f}" '
            f'y="{top + plot_height + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<text class="note" x="{left + plot_width / 2:.1f}" y="{height - 6}" '
        f'text-anchor="middle">{escape(axis_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _open(name: str, title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{escape(name)}" '
        f'role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    )


def _linear_scale(maximum: float, plot: float) -> Callable[[float], float]:
    top = _nice_ceiling(maximum)
    return lambda value: plot * max(0.0, min(value, top)) / top


def _log_scale(maximum: float, plot: float) -> Callable[[float], float]:
    """log2 lift: 1× in the middle, from 1/top to top across the plot."""
    top = max(2.0, maximum)
    span = math.log2(top)

    def scale(value: float) -> float:
        clipped = min(max(value, 1 / top), top)
        return plot / 2 + (plot / 2) * math.log2(clipped) / span

    return scale


def _nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 × a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-12:
            return float(step * power)
    return 10.0 * power


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
