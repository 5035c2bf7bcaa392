"""The child's own progress, in plain words and pictures: no clinical terms, no scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from portal.charts.parts import COLOURS, Chart, Table
from portal.charts.sources import CourseSpan, DayReport

FACES = {1: "very sad", 2: "sad", 3: "okay", 4: "happy", 5: "very happy"}
# Home strength (−2…2) shifted to 1…5 so a bar always grows upwards from the floor.
HOW_STRONG = {1: "much weaker", 2: "a bit weaker", 3: "like usual", 4: "a bit stronger",
              5: "much stronger"}  # fmt: skip
WEEKS_SHOWN = 6
CHANGE_THRESHOLD = 0.5  # half a step on the five-point scale counts as a change

HEADLINES = {
    "stronger": "You are stronger than before your last treatment!",
    "same": "You are about as strong as before your last treatment.",
    "weaker": (
        "You have felt a bit less strong since your last treatment. "
        "Tell your grown-up and your doctor how you feel: they are here to help."
    ),
    "unknown": "Keep filling in your diary, and this page will show how you are doing.",
}
PICTURES = {"stronger": "star", "same": "sun", "weaker": "heart", "unknown": "pencil"}


@dataclass(frozen=True)
class MoodDay:
    """One of the last seven days, with the face the child picked (or none)."""

    day: date
    weekday: str  # short, to fit seven faces across a phone: 'Mon' … or 'Today'
    face: int | None

    @property
    def words(self) -> str:
        name = "Today" if self.weekday == "Today" else f"{self.day:%A}"
        return f"{name}: {FACES[self.face]} face" if self.face else f"{name}: no diary"


@dataclass(frozen=True)
class ChildProgress:
    verdict: str  # 'stronger', 'same', 'weaker' or 'unknown'
    headline: str
    picture: str
    moods: list[MoodDay]
    chart: Chart


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _between(reports: Sequence[DayReport], first: date, last: date) -> list[float]:
    return [r.strength for r in reports if first <= r.day <= last and r.strength is not None]


def verdict(reports: Sequence[DayReport], courses: Sequence[CourseSpan], today: date) -> str:
    """Stronger, same or weaker: 14 days after the last treatment vs the 7 days before it."""
    given = [c for c in courses if c.status == "given" and c.end < today]
    if not given:
        return "unknown"
    last = given[-1]
    before = _between(reports, last.start - timedelta(days=7), last.start - timedelta(days=1))
    after_end = min(last.end + timedelta(days=14), today)
    after = _between(reports, last.end + timedelta(days=1), after_end)
    if len(before) < 2 or len(after) < 2:
        return "unknown"
    change = _mean(after) - _mean(before)
    if change >= CHANGE_THRESHOLD:
        return "stronger"
    if change <= -CHANGE_THRESHOLD:
        return "weaker"
    return "same"


def mood_week(reports: Sequence[DayReport], today: date) -> list[MoodDay]:
    """The last seven days, oldest first, each with the face picked that day."""
    by_day = {r.day: r.mood for r in reports if r.mood is not None}
    days = [today - timedelta(days=n) for n in range(6, -1, -1)]
    return [
        MoodDay(d, "Today" if d == today else f"{d:%a}", round(by_day[d]) if d in by_day else None)
        for d in days
    ]


def _week_label(weeks_ago: int) -> str:
    return {0: "This week", 1: "Last week"}.get(weeks_ago, f"{weeks_ago} weeks ago")


def _weeks(reports, courses, today) -> list[tuple[str, float | None, float | None, bool]]:
    """(label, how strong 1…5, mood 1…5, treatment that week) for the last weeks, oldest first."""
    monday = today - timedelta(days=today.weekday())
    result = []
    for weeks_ago in range(WEEKS_SHOWN - 1, -1, -1):
        start = monday - timedelta(weeks=weeks_ago)
        end = start + timedelta(days=6)
        strength = _mean(_between(reports, start, end))
        moods = [r.mood for r in reports if start <= r.day <= end and r.mood is not None]
        treated = any(c.status == "given" and c.start <= end and c.end >= start for c in courses)
        how_strong = round(strength + 3, 1) if strength is not None else None
        result.append((_week_label(weeks_ago), how_strong, _mean(moods), treated))
    return result


TREATMENT_MARK = "★"


def _lines(label: str, treated: bool) -> list[str]:
    """'3 weeks ago' → ['3', 'weeks', 'ago'] (one word a line), a star for a treatment week."""
    return label.split() + ([TREATMENT_MARK] if treated else [])


def _word(labels: dict[int, str], value: float | None) -> str:
    return labels[round(value)] if value is not None else "no diary"


def _chart(weeks) -> Chart:
    caption = "How strong you felt each week"
    labels = [f"{label} (treatment)" if treated else label for label, _, _, treated in weeks]
    # On the chart each label is split into short lines so six weeks fit across a phone.
    axis_labels = [_lines(label, treated) for label, _, _, treated in weeks]
    spec = {
        "kind": "bars",
        "title": caption,
        "labels": axis_labels,
        "axis": {"id": "how_strong", "title": "How strong", "min": 0, "max": 5,
                 "ticks": {1: "weaker", 3: "usual", 5: "stronger"}, "words": HOW_STRONG},
        "series": [{"id": "how_strong", "label": "How strong you felt", "color": COLOURS["blue"],
                    "values": [value for _, value, _, _ in weeks]}],
    }  # fmt: skip
    rows = [
        [label, _word(HOW_STRONG, value), _word(FACES, mood)]
        for label, value, mood, _ in reversed(weeks)
    ]
    table = Table("Your weeks, this week first", ["Week", "How strong", "How you felt"], rows)
    summary = [f"{label}: {row[1]}." for label, row in zip(labels[::-1], rows, strict=True)]
    key = [f"{TREATMENT_MARK} marks a week with a treatment."] if any(t for *_, t in weeks) else []
    return Chart(spec, caption, summary[:2] + key, [table])


def child_progress(
    reports: Sequence[DayReport], courses: Sequence[CourseSpan], today: date
) -> ChildProgress:
    """Everything the child's page shows, from their diary and their treatments."""
    result = verdict(reports, courses, today)
    return ChildProgress(
        verdict=result,
        headline=HEADLINES[result],
        picture=PICTURES[result],
        moods=mood_week(reports, today),
        chart=_chart(_weeks(reports, courses, today)),
    )
