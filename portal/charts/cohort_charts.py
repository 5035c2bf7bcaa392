"""The cohort report as pictures: paired courses as a slope chart, side effects as bars.

Both charts are drawn from a CohortReport already computed by outcomes.course_response,
so the page, its chart JSON, the CSV and the report JSON always tell the same story.
Readers of aggregates only (administrators) get no course of their own: the slope
chart draws the mean of all assessed courses, and every count under 5 (or one that
would reveal such a count) is suppressed, with the shares made from it
(outcomes.cohort_disclosure).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from portal.charts.parts import COLOURS, Chart, Table, axis, short_date
from portal.diary.models import SYMPTOMS
from portal.outcomes.cohort_disclosure import protect_cohort
from portal.outcomes.course_response import CohortReport, CourseResponse
from portal.outcomes.disclosure import Protected
from portal.outcomes.side_effects import RegimenSideEffects, Share
from portal.outcomes.statistics import PairedSummary

# A screen reader's table of thousands of rows helps nobody; the CSV carries every course.
TABLE_ROWS = 200
REGIMEN_COLOURS = ("blue", "red", "green", "purple", "brown", "grey")
# Categories of the side-effect bars: each symptom (mild or worse), then fever and any severe.
CATEGORIES = (*SYMPTOMS, "fever", "any_severe")
CATEGORY_LABELS = {**SYMPTOMS, "fever": "Fever", "any_severe": "Any severe symptom"}
SUPPRESSED = "suppressed"
MYOMETRY = ("measure", "mean_myometry")


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _course_label(course: CourseResponse) -> str:
    """'REF0001, 3 Mar 2025': the clinic's own courses, named as it names them."""
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


def _slope_table(paired: Sequence[CourseResponse]) -> Table:
    rows = []
    for course in paired[:TABLE_ROWS]:
        change = course.myometry
        assert change is not None
        rows.append(
            [
                _course_label(course),
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


def _mean_pair(paired: Sequence[CourseResponse]) -> dict | None:
    if not paired:
        return None
    return {
        "label": "Mean of all courses",
        "before": round(fmean(c.myometry.before for c in paired if c.myometry), 2),
        "after": round(fmean(c.myometry.after for c in paired if c.myometry), 2),
    }


def paired_courses_chart(report: CohortReport) -> Chart:
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
                "label": _course_label(c),
                "before": round(c.myometry.before, 2),
                "after": round(c.myometry.after, 2),
                "improved": c.myometry.improved,
            }
            for c in paired
            if c.myometry is not None
        ],
        "mean": _mean_pair(paired),
    }
    patients = len({c.patient_id for c in paired})
    summary = _slope_summary(report.objective, patients)
    return Chart(spec, caption, summary, [_slope_table(paired)])


def _aggregate_summary(report: CohortReport, cells: Protected) -> list[str]:
    summary = report.objective
    if not summary.courses:
        return ["No course has a formal assessment both before and after it yet."]
    if not cells.is_shown((*MYOMETRY, "courses")):
        return [
            "Too few courses were assessed before and after to show without pointing to "
            "a child: the number and the figures made from it are suppressed."
        ]
    improved = cells.shown((*MYOMETRY, "improved"))
    assert summary.mean_change is not None and summary.median_change is not None
    return [
        f"{summary.courses} courses were assessed before and after: "
        + (f"{improved} improved." if improved is not None else "how many improved is suppressed."),
        f"Mean change {_signed(summary.mean_change)}, "
        f"median change {_signed(summary.median_change)}.",
        _test_sentence(summary),
    ]


def paired_means_chart(report: CohortReport, cells: Protected) -> Chart:
    """Aggregates only: the mean before and after of all assessed courses, no course itself."""
    paired = _paired(report)
    shown = bool(paired) and cells.is_shown((*MYOMETRY, "courses"))
    caption = "Mean myometry before and after, the mean of all formally assessed courses"
    spec = {
        "kind": "slope",
        "title": caption,
        "axis": axis("mean_myometry", "Mean myometry", None, None),
        "grouped": True,
        "pairs": [],
        "mean": _mean_pair(paired) if shown else None,
    }
    rows = []
    if shown:
        mean = spec["mean"]
        improved = cells.shown((*MYOMETRY, "improved"))
        rows.append(
            [
                f"All assessed courses ({len(paired)})",
                f"{mean['before']:g}",
                f"{mean['after']:g}",
                _signed(report.objective.mean_change or 0.0),
                SUPPRESSED if improved is None else str(improved),
            ]
        )
    columns = ["Courses", "Mean before", "Mean after", "Mean change", "Improved"]
    table = Table("Mean myometry before and after, all assessed courses", columns, rows)
    return Chart(spec, caption, _aggregate_summary(report, cells), [table])


def _share(group: RegimenSideEffects, category: str) -> Share:
    if category == "fever":
        return group.fever
    if category == "any_severe":
        return group.any_severe
    return group.symptoms[category]


def _percent(share: Share) -> int | None:
    return None if share.share is None else round(share.share * 100)


def _shown(cells: Protected | None, group: RegimenSideEffects, name: str) -> bool:
    base = ("effects", group.regimen)
    return cells is None or cells.all_shown((*base, name), (*base, "with_diary"))


def _cell(group: RegimenSideEffects, category: str, cells: Protected | None) -> str:
    if cells is not None and not cells.is_shown(("effects", group.regimen, "with_diary")):
        return SUPPRESSED
    if not group.courses_with_diary:
        return "No diary"
    if not _shown(cells, group, category):
        return SUPPRESSED
    share = _share(group, category)
    text = f"{_percent(share)}% ({share.count} of {group.courses_with_diary})"
    if category in SYMPTOMS:
        severe = f"{_percent(group.severe_symptoms[category])}%"
        text += f"; severe {severe if _shown(cells, group, f'severe_{category}') else SUPPRESSED}"
    return text


def _bar(group: RegimenSideEffects, category: str, cells: Protected | None) -> int | None:
    return _percent(_share(group, category)) if _shown(cells, group, category) else None


def _regimen_line(group: RegimenSideEffects, cells: Protected | None = None) -> str:
    if cells is not None:
        return _aggregate_regimen_line(group, cells)
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


def _aggregate_regimen_line(group: RegimenSideEffects, cells: Protected) -> str:
    base = ("effects", group.regimen)
    courses, with_diary = cells.shown((*base, "courses")), cells.shown((*base, "with_diary"))
    if courses is None or with_diary is None:
        return f"{group.regimen}: too few courses to show without pointing to a child."
    any_symptom = _percent(group.any_symptom) if _shown(cells, group, "any_symptom") else None
    followed = f"{any_symptom}%" if any_symptom is not None else "a suppressed share"
    return (
        f"{group.regimen}: {with_diary} of {courses} courses with a diary; "
        f"a symptom followed {followed} of them."
    )


def side_effects_chart(
    groups: Sequence[RegimenSideEffects], cells: Protected | None = None
) -> Chart:
    """For each regimen, the share of courses followed within 7 days by each symptom.

    With `cells` (aggregates only) a share made from a suppressed count is left out.
    """
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
                "values": [_bar(group, c, cells) for c in CATEGORIES],
            }
            for index, group in enumerate(groups)
        ],
    }
    summary = [_regimen_line(g, cells) for g in groups] or ["No given course yet."]
    rows = [[CATEGORY_LABELS[c], *(_cell(g, c, cells) for g in groups)] for c in CATEGORIES]
    columns = ["Symptom", *(g.regimen for g in groups)]
    table = Table("Share of courses with a diary followed by each symptom", columns, rows)
    return Chart(spec, caption, summary, [table] if groups else [])


def cohort_charts(
    report: CohortReport, cells: Protected | None = None, identify: bool = True
) -> dict[str, Chart]:
    """The cohort page's charts, keyed as the page and its JSON name them.

    With identify=False (administrators) aggregates only: no course's own values, and
    counts under 5, with what would reveal them, suppressed.
    """
    if identify:
        return {
            "paired_courses": paired_courses_chart(report),
            "side_effects": side_effects_chart(report.side_effects),
        }
    cells = cells or protect_cohort(report)
    return {
        "paired_courses": paired_means_chart(report, cells),
        "side_effects": side_effects_chart(report.side_effects, cells),
    }
