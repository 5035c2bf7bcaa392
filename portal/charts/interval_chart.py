"""Interval and response as a picture: the nine-case paper's Figure 2 question.

Each objectively assessed course after another is a point: weeks since the start of
the patient's previous given course across, change in mean myometry up. Drawn from
outcomes.intervals, so the page, its chart JSON, the CSV and the JSON agree.
"""

from __future__ import annotations

from portal.charts.parts import COLOURS, Chart, Table, axis, short_date
from portal.outcomes.intervals import IntervalReport

TABLE_ROWS = 200


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _correlation_sentence(report: IntervalReport) -> str:
    c = report.correlation
    if c.rho is None:
        return "Too few courses (or too alike) for Spearman's rank correlation."
    assert c.p_value is not None
    p = "p < 0.001" if c.p_value < 0.001 else f"p = {c.p_value:.3f}"
    return (
        f"Spearman's ρ = {c.rho:.2f} ({p}, n = {c.n}); a positive ρ means "
        "longer gaps went with larger gains, a negative one with smaller gains."
    )


def _summary(report: IntervalReport) -> list[str]:
    if not report.points:
        return ["No assessed course follows an earlier one yet: nothing to draw."]
    weeks = [p.weeks for p in report.points]
    return [
        f"{len(report.points)} assessed courses followed an earlier course, "
        f"{min(weeks):g} to {max(weeks):g} weeks after its start.",
        _correlation_sentence(report),
        f"{report.assessed_first_courses} assessed first courses have no interval and are "
        "not drawn.",
    ]


def _table(report: IntervalReport) -> Table:
    rows = [
        [
            f"{p.patient_ref}, {short_date(p.start)}",
            f"{p.weeks:g}",
            _signed(p.change),
            "Improved" if p.improved else "Not improved",
        ]
        for p in report.points[:TABLE_ROWS]
    ]
    caption = "Weeks since the previous course and change in mean myometry, by interval"
    if len(report.points) > TABLE_ROWS:
        caption += f" (the first {TABLE_ROWS} of {len(report.points)}; the CSV has them all)"
    columns = ["Course", "Weeks since the previous course", "Change", "Result"]
    return Table(caption, columns, rows)


def interval_chart(report: IntervalReport) -> Chart:
    """A scatter of change in mean myometry against weeks since the previous course."""
    caption = "Change in mean myometry against weeks since the previous course"

    def points(improved: bool) -> list[list]:
        return [
            [p.weeks, round(p.change, 2), f"{p.patient_ref}, {short_date(p.start)}"]
            for p in report.points
            if p.improved is improved
        ]

    spec = {
        "kind": "scatter",
        "title": caption,
        "x_axis": axis("weeks", "Weeks since the previous course", 0, None),
        "axis": axis("change", "Change in mean myometry", None, None),
        "zero_line": True,
        "series": [
            {"id": "improved", "label": "Improved", "color": COLOURS["blue"],
             "shape": "circle", "points": points(True)},
            {"id": "not_improved", "label": "Not improved", "color": COLOURS["red"],
             "shape": "triangle", "points": points(False)},
        ],
    }  # fmt: skip
    return Chart(spec, caption, _summary(report), [_table(report)])
