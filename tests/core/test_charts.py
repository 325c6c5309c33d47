"""The server-drawn bar charts: geometry, axis and the table of the same figures."""

from decimal import Decimal as D

from oscar_mlm.charts import BOTTOM, HEIGHT, TOP, bar_chart


def test_bars_are_as_high_as_their_values_on_a_readable_axis():
    series = [("Own", [D("30.00"), D("0")]), ("Group", [D("40.00"), D("10.00")])]
    chart = bar_chart("Volume", ["10/26", "11/26"], series)
    assert [str(value) for _y, value in chart.ticks] == ["0", "12.5", "25", "37.5", "50"]
    plot = HEIGHT - TOP - BOTTOM
    heights = {(bar.series, bar.category): bar.height for bar in chart.bars}
    assert heights[("Group", "10/26")] == round(plot * 40 / 50, 1)
    assert heights[("Own", "11/26")] == 0
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert chart.rows == [("10/26", [D("30.00"), D("40.00")]), ("11/26", [D("0"), D("10.00")])]
    assert not chart.is_empty


def test_counts_get_whole_numbers_and_an_empty_chart_an_axis():
    chart = bar_chart("People", ["a", "b"], [("Customers", [3, 0]), ("Partners", [2, 1])])
    assert [str(value) for _y, value in chart.ticks] == ["0", "1", "2", "3", "4"]
    empty = bar_chart("People", ["a"], [("Customers", [0])])
    assert empty.is_empty and [str(v) for _y, v in empty.ticks][-1] == "4"
