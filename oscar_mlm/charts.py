"""Bar charts drawn on the server as SVG: the geometry here, the markup in
``oscar_mlm/partials/bar_chart.html`` (shared by the back office and the staff reports).

No JavaScript and no canvas: the page carries the chart as SVG (with a title and a
description for screen readers) and the same figures as a table beside it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 36
COLOURS = ("#2a6f97", "#e07a1f", "#5c946e", "#8e5572")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: object
    series: str
    category: str
    colour: str


@dataclass
class Chart:
    title: str
    categories: list
    series: list  # [(name, [values])]
    width: int = WIDTH
    height: int = HEIGHT
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # [(y, value)]
    labels: list = field(default_factory=list)  # [(x, text)]
    legend: list = field(default_factory=list)  # [(name, colour)]
    baseline: float = 0

    @property
    def rows(self):
        """The figures as table rows: ``[(category, [value per series])]``."""
        return [
            (category, [values[i] for _name, values in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self):
        return not any(v for _name, values in self.series for v in values)


def _nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 x 10^n at least ``value`` (an axis that reads well)."""
    if value <= 0:
        return Decimal(1)
    value = Decimal(value)
    magnitude = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _plain(value):
    """``50`` rather than ``5E+1``, ``12.5`` rather than ``12.50``."""
    return value.quantize(1) if value == value.to_integral() else value.normalize()


def bar_chart(title, categories, series, *, width=WIDTH, height=HEIGHT, ticks=4):
    """A grouped bar chart of ``series`` (``[(name, [value per category])]``)."""
    chart = Chart(title=title, categories=list(categories), series=list(series), width=width,
                  height=height)  # fmt: skip
    values = [Decimal(v or 0) for _name, vals in chart.series for v in vals]
    top = _nice_ceiling(max(values, default=0))
    if all(isinstance(v, int) for _name, vals in chart.series for v in vals):
        # Counts: whole numbers on the axis (0, 1, 2, 3, 4 rather than 0, 1.25, 2.5 ...).
        top = Decimal(max(ticks, -(-int(max(values, default=0)) // ticks) * ticks))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    chart.baseline = TOP + plot_h
    for i in range(ticks + 1):
        value = top * i / ticks
        chart.ticks.append((round(TOP + plot_h - plot_h * i / ticks, 1), _plain(value)))
    count = max(1, len(chart.categories))
    slot = plot_w / count
    group = slot * 0.8
    bar_w = group / max(1, len(chart.series))
    for index, category in enumerate(chart.categories):
        x0 = LEFT + slot * index + (slot - group) / 2
        chart.labels.append((round(LEFT + slot * index + slot / 2, 1), category))
        for s, (name, vals) in enumerate(chart.series):
            value = Decimal(vals[index] or 0)
            h = float(plot_h * max(value, 0) / top)
            chart.bars.append(
                Bar(
                    x=round(x0 + bar_w * s, 1),
                    y=round(TOP + plot_h - h, 1),
                    width=round(max(bar_w - 2, 1), 1),
                    height=round(h, 1),
                    value=vals[index],
                    series=name,
                    category=category,
                    colour=COLOURS[s % len(COLOURS)],
                )
            )
    chart.legend = [(name, COLOURS[i % len(COLOURS)]) for i, (name, _v) in enumerate(series)]
    return chart
