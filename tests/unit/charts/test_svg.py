"""Charts drawn as SVG on the server: what they say in words, and nothing unescaped."""

from datetime import date
from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own output in a test

from portal.charts.sources import CourseSpan
from portal.charts.svg import SvgSeries, time_chart

START, END = date(2025, 1, 1), date(2025, 6, 30)
COURSES = [
    CourseSpan(1, date(2025, 2, 3), date(2025, 2, 7), "given", "2 g/kg over 5 days", ""),
    CourseSpan(2, date(2025, 7, 1), date(2025, 7, 5), "planned", "2 g/kg over 5 days", ""),
]


def test_a_series_is_a_line_with_a_point_per_value_and_a_band_per_course_in_range():
    series = SvgSeries("Mean myometry", [(date(2025, 1, 30), 30.0), (date(2025, 2, 20), 33.5)])
    svg = ET.fromstring(time_chart("Mean myometry", series, START, END, COURSES))  # noqa: S314
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}circle")) == 2
    assert len(svg.findall(f"{ns}rect")) == 1  # course 2 starts after the range
    desc = svg.find(f"{ns}desc").text
    assert desc.startswith("Mean myometry: 2 values from 30 Jan 25 to 20 Feb 25, latest 33.5")
    assert svg.get("role") == "img"


def test_a_dose_is_drawn_in_steps_held_to_the_end_of_the_range():
    series = SvgSeries("Prednisolone", [(START, 0.6), (date(2025, 3, 1), 0.4)], step=True)
    svg = ET.fromstring(time_chart("Dose", series, START, END))  # noqa: S314
    line = svg.find("{http://www.w3.org/2000/svg}polyline").get("points").split()
    assert len(line) == 4  # start, the step across, the new dose, held to the end
    assert line[1].split(",")[1] == line[0].split(",")[1]


def test_no_value_in_range_draws_nothing_and_labels_are_escaped():
    assert time_chart("Empty", SvgSeries("X", [(date(2024, 1, 1), 1.0)]), START, END) == ""
    svg = time_chart("<script>", SvgSeries("a<b", [(START, 1.0)]), START, END)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
