"""Response by lot, regimens compared, interval and response: as JSON and as CSV.

The CSV of each is written from its JSON, so the two always agree.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.clinic.models import Clinic
from portal.outcomes.course_outcomes import OUTCOME_LABELS, CourseOutcome
from portal.outcomes.intervals import IntervalReport
from portal.outcomes.lots import MIN_RANKED, STATEMENT, LotReport, LotSummary
from portal.outcomes.regimens import DIMENSIONS, RegimenComparison, RegimenGroup
from portal.outcomes.side_effects import SymptomTally
from portal.reports.cohort_csv import section

P_NOTE = "Two-sided; p-values are not adjusted for the number of side effects tested."


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _head(clinic: Clinic | None, generated_on: date) -> dict:
    return {
        "clinic": {"id": clinic.id, "name": clinic.name} if clinic else None,
        "generated_on": generated_on.isoformat(),
    }


def tally_json(tally: SymptomTally) -> dict:
    """Courses with a diary and, for each side effect, how many and what share."""
    return {
        "courses_with_diary": tally.courses_with_diary,
        **{
            name: {"courses": share.count, "share": share.share}
            for name, share in tally.outcomes().items()
        },
    }


def _course_json(outcome: CourseOutcome, **extra) -> dict:
    return {
        "patient_ref": outcome.response.patient_ref,
        "start_date": outcome.course.start.isoformat(),
        "regimen": outcome.course.regimen,
        **extra,
        "change": _round(outcome.change),
        "improved": outcome.improved,
    }


def _lot_json(lot: LotSummary) -> dict:
    return {
        "product": lot.product,
        "lot_number": lot.lot_number,
        "rank": lot.rank,
        "courses": lot.course_count,
        "mixed_courses": lot.mixed,
        "assessed": lot.assessed,
        "improved": lot.improved,
        "mean_change": _round(lot.mean_change),
        "median_change": _round(lot.median_change),
        "side_effects": tally_json(lot.effects),
        "course_list": [_course_json(c.outcome, mixed=c.mixed) for c in lot.courses],
    }


def lots_json(report: LotReport, clinic: Clinic | None, generated_on: date) -> dict:
    """Response by lot, every lot with its courses."""
    return {
        **_head(clinic, generated_on),
        "statement": STATEMENT,
        "ranked_from_assessed_courses": MIN_RANKED,
        "courses": report.courses,
        "courses_without_lot": report.without_lot,
        "mixed_lot_courses": report.mixed_courses,
        "lots": [_lot_json(lot) for lot in report.lots],
    }


def _group_json(group: RegimenGroup) -> dict:
    response = group.response
    return {
        "key": group.key,
        "label": group.label,
        "courses": group.courses,
        "assessed": response.courses,
        "improved": response.improved,
        "mean_change": _round(response.mean_change),
        "median_change": _round(response.median_change),
        "side_effects": tally_json(group.effects),
    }


def _comparison_json(comparison: RegimenComparison) -> dict:
    change = comparison.change
    return {
        "a": comparison.a.key,
        "b": comparison.b.key,
        "note": P_NOTE,
        "side_effects": [
            {
                "outcome": row.outcome,
                "label": row.label,
                "a_with": row.test.a_with,
                "a_courses": row.test.a_total,
                "b_with": row.test.b_with,
                "b_courses": row.test.b_total,
                "fisher_p": _round(row.test.p_value, 6),
                "odds_ratio": _round(row.test.odds_ratio),
            }
            for row in comparison.symptoms
        ],
        "change": {
            "measure": "mean_myometry",
            "test": "Mann-Whitney U (Wilcoxon rank-sum)",
            "a_n": change.a_n,
            "b_n": change.b_n,
            "u_statistic": change.u_statistic,
            "p": _round(change.p_value, 6),
            "method": change.method,
        },
    }


def regimens_json(
    dimension: str,
    groups: list[RegimenGroup],
    comparison: RegimenComparison | None,
    clinic: Clinic | None,
    generated_on: date,
) -> dict:
    """Every group of one dimension, and the comparison of the two chosen."""
    return {
        **_head(clinic, generated_on),
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension][0],
        "groups": [_group_json(g) for g in groups],
        "comparison": _comparison_json(comparison) if comparison else None,
    }


def interval_json(report: IntervalReport, clinic: Clinic | None, generated_on: date) -> dict:
    """Change in mean myometry against weeks since the previous course, with Spearman's rho."""
    correlation = report.correlation
    return {
        **_head(clinic, generated_on),
        "interval": "from the start of the patient's previous given course to this start",
        "courses": report.courses,
        "courses_with_interval": report.with_interval,
        "assessed_first_courses": report.assessed_first_courses,
        "spearman": {
            "n": correlation.n,
            "rho": _round(correlation.rho),
            "p": _round(correlation.p_value, 6),
        },
        "points": [
            {
                "patient_ref": p.patient_ref,
                "start_date": p.start.isoformat(),
                "interval_days": p.interval_days,
                "weeks": p.weeks,
                "change": _round(p.change),
                "improved": p.improved,
            }
            for p in report.points
        ],
    }


def _writer() -> tuple[io.StringIO, object]:
    out = io.StringIO()
    return out, csv.writer(out)


def lots_csv(data: dict) -> str:
    out, writer = _writer()
    writer.writerow([data["statement"]])
    writer.writerow([])
    section(
        writer,
        "Lots",
        ["product", "lot_number", "rank", "courses", "mixed_courses", "assessed", "improved",
         "mean_change", "median_change", "courses_with_diary", "any_symptom", "any_severe"],
        [
            [lot["product"], lot["lot_number"], lot["rank"] or "not ranked", lot["courses"],
             lot["mixed_courses"], lot["assessed"], lot["improved"], lot["mean_change"],
             lot["median_change"], lot["side_effects"]["courses_with_diary"],
             lot["side_effects"]["any_symptom"]["courses"],
             lot["side_effects"]["any_severe"]["courses"]]
            for lot in data["lots"]
        ],
    )  # fmt: skip
    rows = [
        [lot["product"], lot["lot_number"], *c.values()]
        for lot in data["lots"]
        for c in lot["course_list"]
    ]
    header = ["product", "lot_number", "patient_ref", "start_date", "regimen", "mixed"]
    section(writer, "Courses by lot", [*header, "change", "improved"], rows)
    return out.getvalue()


def regimens_csv(data: dict) -> str:
    out, writer = _writer()
    section(
        writer,
        f"Courses by {data['dimension_label'].lower()}",
        ["group", "courses", "assessed", "improved", "mean_change", "median_change",
         "courses_with_diary", *OUTCOME_LABELS],
        [
            [g["label"], g["courses"], g["assessed"], g["improved"], g["mean_change"],
             g["median_change"], g["side_effects"]["courses_with_diary"],
             *(g["side_effects"][name]["courses"] for name in OUTCOME_LABELS)]
            for g in data["groups"]
        ],
    )  # fmt: skip
    comparison = data["comparison"]
    if comparison:
        writer.writerow([comparison["note"]])
        section(
            writer,
            f"Side effects compared: {comparison['a']} against {comparison['b']}",
            list(comparison["side_effects"][0]),
            [list(row.values()) for row in comparison["side_effects"]],
        )
        change = comparison["change"]
        section(writer, "Change in mean myometry compared", list(change), [list(change.values())])
    return out.getvalue()


def interval_csv(data: dict) -> str:
    out, writer = _writer()
    spearman = data["spearman"]
    section(writer, "Spearman's rho, weeks against change", list(spearman), [spearman.values()])
    points = data["points"]
    header = list(points[0]) if points else ["patient_ref"]
    section(writer, "Courses: weeks since the previous course and change in mean myometry",
            header, [list(p.values()) for p in points])  # fmt: skip
    return out.getvalue()
