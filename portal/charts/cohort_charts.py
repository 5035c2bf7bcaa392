"""The cohort report as pictures: paired courses as a slope chart, side effects as bars.

Both charts are drawn from a CohortReport already computed by outcomes.course_response,
so the page, its chart JSON, the CSV and the report JSON always tell the same story.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from portal.charts.parts import COLOURS, Chart, Table, axis, short_date
from portal.diary.models import SYMPTOMS
from portal.outcomes.course_response import CohortReport, CourseResponse
from portal.outcomes.side_effects import RegimenSideEffects, Share
from portal.outcomes.statistics import PairedSummary

# A screen reader's table of thousands of rows helps nobody; the CSV carries every course.
TABLE_ROWS = 200
REGIMEN_COLOURS = ("blue", "red", "green", "purple", "brown", "grey")
# Categories of the side-effect bars: each symptom (mild or worse), then fever and any severe.
CATEGORIES = (*SYMPTOMS, "fever", "any_severe")
CATEGORY_LABELS = {**SYMPTOMS, "fever": "Fever", "any_severe": "Any severe symptom"}


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _course_label(course: CourseResponse, number: int, identify: bool) -> str:
    """'REF0001, 3 Mar 2025' for the clinic; 'Course 7' where patients are not to be named."""
    if not identify:
        return f"Course {number}"
    return f"{course.patient_ref}, {short_date(course.course.start)}"


def _paired(report: CohortReport) -> list[CourseResponse]:
    """Objectively assessed courses as the paper's Table 2 lists them: by patient, then date."""
    paired = [c for c in report.courses if c.myometry is not None]
    return sorted(paired, key=lambda c: (c.patient_ref, c.course.start, c.course.id))


def _test_sentence(summary: PairedSummary) -> str:
    if summary.wilcoxon_p is None:
        return "Too few courses with a change for a signed-rank test."
    method = "exact" if summary.wilcoxon_method == "exact" else "normal approximation"
    return f"Wilcoxon signed-rank test: p = {summary.wilcoxon_p:.3f} (two-sided, {method})."


def _slope_summary(summary: PairedSummary, patients: int) -> list[str]:
    if not summary.courses:
        return ["No course has a formal assessment both before and after it yet."]
    assert summary.mean_change is not None and summary.median_change is not None
    in_patients = f"in {patients} patient{'s' if patients != 1 else ''}"
    return [
        f"{summary.courses} courses {in_patients} were assessed before and after: "
        f"{summary.improved} improved.",
        f"Mean change {_signed(summary.mean_change)}, "
        f"median change {_signed(summary.median_change)}.",
        _test_sentence(summary),
    ]


def _slope_table(paired: Sequence[CourseResponse], identify: bool) -> Table:
    rows = []
    for number, course in enumerate(paired[:TABLE_ROWS], start=1):
        change = course.myometry
        assert change is not None
        rows.append(
            [
                _course_label(course, number, identify),
                f"{change.before:g}",
                f"{change.after:g}",
                _signed(change.change),
                "Improved" if change.improved else "Not improved",
            ]
        )
    caption = "Mean myometry before and after each assessed course, by patient"
    if len(paired) > TABLE_ROWS:
        caption += f" (the first {TABLE_ROWS} of {len(paired)}; the CSV has them all)"
    return Table(caption, ["Course", "Before", "After", "Change", "Result"], rows)


def paired_courses_chart(report: CohortReport, identify: bool = True) -> Chart:
    """Every objectively assessed course as a line from before to after, and their mean."""
    paired = _paired(report)
    caption = "Mean myometry before and after each formally assessed course"
    spec = {
        "kind": "slope",
        "title": caption,
        "axis": axis("mean_myometry", "Mean myometry", None, None),
        # Many courses: drawn as two groups (improved or not) with a legend of three lines.
        "grouped": True,
        "pairs": [
            {
                "label": _course_label(c, number, identify),
                "before": round(c.myometry.before, 2),
                "after": round(c.myometry.after, 2),
                "improved": c.myometry.improved,
            }
            for number, c in enumerate(paired, start=1)
            if c.myometry is not None
        ],
        "mean": (
            {
                "label": "Mean of all courses",
                "before": round(fmean(c.myometry.before for c in paired if c.myometry), 2),
                "after": round(fmean(c.myometry.after for c in paired if c.myometry), 2),
            }
            if paired
            else None
        ),
    }
    patients = len({c.patient_id for c in paired})
    summary = _slope_summary(report.objective, patients)
    return Chart(spec, caption, summary, [_slope_table(paired, identify)])


def _share(group: RegimenSideEffects, category: str) -> Share:
    if category == "fever":
        return group.fever
    if category == "any_severe":
        return group.any_severe
    return group.symptoms[category]


def _percent(share: Share) -> int | None:
    return None if share.share is None else round(share.share * 100)


def _cell(group: RegimenSideEffects, category: str) -> str:
    if not group.courses_with_diary:
        return "No diary"
    share = _share(group, category)
    text = f"{_percent(share)}% ({share.count} of {group.courses_with_diary})"
    if category in SYMPTOMS:
        text += f"; severe {_percent(group.severe_symptoms[category])}%"
    return text


def _regimen_line(group: RegimenSideEffects) -> str:
    seen = f"{group.regimen}: {group.courses_with_diary} of {group.courses} courses with a diary"
    if not group.courses_with_diary:
        return f"{seen}."
    commonest = max(SYMPTOMS, key=lambda s: (group.symptoms[s].count, s == "headache"))
    share = group.symptoms[commonest]
    most = f"; most often {SYMPTOMS[commonest].lower()} ({_percent(share)}%)" if share.count else ""
    return (
        f"{seen}; a symptom followed {_percent(group.any_symptom)}% of them, "
        f"a severe one {_percent(group.any_severe)}%{most}."
    )


def side_effects_chart(groups: Sequence[RegimenSideEffects]) -> Chart:
    """For each regimen, the share of courses followed within 7 days by each symptom."""
    caption = "Side effects by regimen: share of courses followed by each symptom within 7 days"
    spec = {
        "kind": "bars",
        "title": caption,
        "labels": [CATEGORY_LABELS[c] for c in CATEGORIES],
        "axis": axis("share", "Courses (%)", 0, 100),
        "unit": "%",
        "legend": True,
        "horizontal": True,  # symptom names down the side stay readable on a phone
        "series": [
            {
                "id": f"regimen_{index}",
                "label": group.regimen,
                "color": COLOURS[REGIMEN_COLOURS[index % len(REGIMEN_COLOURS)]],
                "values": [_percent(_share(group, c)) for c in CATEGORIES],
            }
            for index, group in enumerate(groups)
        ],
    }
    summary = [_regimen_line(g) for g in groups] or ["No given course yet."]
    rows = [[CATEGORY_LABELS[c], *(_cell(g, c) for g in groups)] for c in CATEGORIES]
    columns = ["Symptom", *(g.regimen for g in groups)]
    table = Table("Share of courses with a diary followed by each symptom", columns, rows)
    return Chart(spec, caption, summary, [table] if groups else [])


def cohort_charts(report: CohortReport, identify: bool = True) -> dict[str, Chart]:
    """The cohort page's charts, keyed as the page and its JSON name them.

    With identify=False (administrators) courses are numbered, never named by patient.
    """
    return {
        "paired_courses": paired_courses_chart(report, identify),
        "side_effects": side_effects_chart(report.side_effects),
    }
