"""The child's page: plain words, pictures, and no numbers or clinical terms."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from portal.charts.child_progress import HEADLINES, child_progress, mood_week, verdict
from portal.charts.sources import CourseSpan, DayReport

TODAY = date(2025, 6, 18)  # a Wednesday
COURSE = CourseSpan(3, TODAY - timedelta(days=14), TODAY - timedelta(days=10), "given", "", "")


def reports(before: int, after: int) -> list[DayReport]:
    week_before = [
        DayReport(COURSE.start - timedelta(days=n), strength=before) for n in range(1, 8)
    ]
    since = [DayReport(COURSE.end + timedelta(days=n), strength=after) for n in range(1, 10)]
    return week_before + since


def test_stronger_after_the_last_treatment_says_so_with_a_star():
    progress = child_progress(reports(-1, 1), [COURSE], TODAY)
    assert progress.verdict == "stronger"
    assert progress.headline == "You are stronger than before your last treatment!"
    assert progress.picture == "star"


def test_same_and_weaker_are_told_gently():
    assert verdict(reports(0, 0), [COURSE], TODAY) == "same"
    assert verdict(reports(1, -1), [COURSE], TODAY) == "weaker"
    assert "they are here to help" in HEADLINES["weaker"]


def test_too_few_entries_or_no_treatment_yet_asks_to_keep_the_diary():
    assert verdict(reports(0, 1)[:1], [COURSE], TODAY) == "unknown"
    assert verdict(reports(-1, 1), [], TODAY) == "unknown"


def test_mood_week_shows_seven_days_with_faces_or_none():
    moods = [DayReport(TODAY, mood=5), DayReport(TODAY - timedelta(days=2), mood=2)]
    week = mood_week(moods, TODAY)
    assert [d.weekday for d in week] == ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Today"]
    assert week[-1].words == "Today: very happy face"
    assert week[-3].words == "Monday: sad face"
    assert week[0].words == "Thursday: no diary"


def test_child_chart_and_table_use_words_not_scores_or_clinical_terms():
    progress = child_progress(reports(-1, 1), [COURSE], TODAY)
    spec = progress.chart.spec
    assert spec["kind"] == "bars"
    assert spec["labels"][-1] == ["This", "week"]
    assert ["2", "weeks", "ago", "★"] in spec["labels"]
    assert "★ marks a week with a treatment." in progress.chart.summary
    words = json.dumps([progress.headline, progress.chart.summary, progress.chart.tables[0].rows])
    for jargon in ("IVIG", "myometry", "course", "infusion", "score", "mg", "%"):
        assert jargon.lower() not in words.lower()
    assert not re.search(r"[-+]?\d+\.\d", words)  # no decimals a child cannot read
    assert progress.chart.tables[0].rows[0] == ["This week", "a bit stronger", "no diary"]
