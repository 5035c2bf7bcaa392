"""The cohort report as JSON and as CSV: patient references only, never names or diaries."""

from __future__ import annotations

from datetime import date

from portal.assessments import measures
from portal.clinic.models import Clinic
from portal.outcomes import diary_windows, pairing
from portal.outcomes.cohort_disclosure import open_cells, protect_cohort
from portal.outcomes.course_response import CohortReport, CourseResponse
from portal.outcomes.disclosure import THRESHOLD, Protected
from portal.outcomes.side_effects import RegimenSideEffects
from portal.outcomes.statistics import PairedSummary
from portal.outcomes.steroid_sparing import DosePoint, SteroidOverTime, TimePointSummary

RULES = {
    "before_days": pairing.BEFORE_DAYS,
    "after_days": pairing.AFTER_DAYS,
    "subjective_before_days": diary_windows.BEFORE_DAYS,
    "subjective_after_days": diary_windows.AFTER_DAYS,
    "side_effect_window": "first infusion day to 7 days after the last infusion day",
    "severe_grade": diary_windows.SEVERE_GRADE,
    "fever_c": diary_windows.FEVER_C,
}
SUPPRESSION = (
    f"Counts under {THRESHOLD} are suppressed (null), and so is any count from which one "
    "could be worked out, with the shares and means made from them."
)
SUPPRESSED = "suppressed"  # what a suppressed cell reads in the CSV


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def paired_json(summary: PairedSummary, cells: Protected | None = None, base=()) -> dict:
    """One measure's paired summary with the keys the API promises (suppressed as None)."""
    shown = cells is None or cells.is_shown((*base, "courses"))
    return {
        "courses": cells.shown((*base, "courses")) if cells else summary.courses,
        "improved": cells.shown((*base, "improved")) if cells else summary.improved,
        "mean_change": _round(summary.mean_change) if shown else None,
        "median_change": _round(summary.median_change) if shown else None,
        "wilcoxon_statistic": summary.wilcoxon_statistic if shown else None,
        "wilcoxon_p": _round(summary.wilcoxon_p, 6) if shown else None,
        "wilcoxon_method": summary.wilcoxon_method if shown else None,
    }


def _agreement_json(report: CohortReport, cells: Protected) -> dict:
    agreement = report.agreement
    shown = cells.is_shown(("agreement", "courses"))
    return {
        "courses": cells.shown(("agreement", "courses")),
        "both_improved": cells.shown(("agreement", "both")),
        "neither_improved": cells.shown(("agreement", "neither")),
        "disagree": cells.shown(("agreement", "disagree")),
        "spearman_rho": _round(agreement.spearman_rho) if shown else None,
        "spearman_p": _round(agreement.spearman_p, 6) if shown else None,
    }


def _share_json(cells: Protected, base: tuple, name: str, share) -> dict:
    shown = cells.all_shown((*base, name), (*base, "with_diary"))
    return {"courses": cells.shown((*base, name)), "share": share.share if shown else None}


def _regimen_json(group: RegimenSideEffects, cells: Protected) -> dict:
    base = ("effects", group.regimen)
    outcomes = group.outcomes()
    return {
        "regimen": group.regimen,
        "days": group.days,
        "total_dose_g_per_kg": group.total_dose_g_per_kg,
        "courses": cells.shown((*base, "courses")),
        "courses_with_diary": cells.shown((*base, "with_diary")),
        "symptoms": {n: _share_json(cells, base, n, outcomes[n]) for n in group.symptoms},
        "severe": {
            n: _share_json(cells, base, f"severe_{n}", s) for n, s in group.severe_symptoms.items()
        },
        "fever": _share_json(cells, base, "fever", group.fever),
        "any_symptom": _share_json(cells, base, "any_symptom", group.any_symptom),
        "any_severe": _share_json(cells, base, "any_severe", group.any_severe),
    }


def _time_point_json(point: TimePointSummary, cells: Protected) -> dict:
    base = ("steroid", point.months)
    return {
        "time_point": point.label,
        "months_after_first_course": point.months,
        "patients_due": cells.shown((*base, "due")),
        "patients": cells.shown((*base, "patients")),
        "median_mg_per_kg_per_day": (
            point.median_mg_per_kg_per_day if cells.is_shown((*base, "patients")) else None
        ),
        "lower_than_at_first_course": cells.shown((*base, "lower")),
        "stopped": cells.shown((*base, "stopped")),
    }


def _point_json(point: DosePoint, row: SteroidOverTime) -> dict:
    return {
        "label": point.label,
        "date": point.day.isoformat(),
        "due": point.due,
        "mg_per_day": point.dose.mg_per_day if point.dose else None,
        "mg_per_kg_per_day": point.mg_per_kg_per_day,
        "change_from_first_course": row.change_from_first(point),
    }


def _steroid_over_time_json(row: SteroidOverTime) -> dict:
    return {
        "patient_ref": row.patient_ref,
        "first_course_date": row.first_course.isoformat(),
        "at_courses": [_point_json(p, row) for p in row.at_courses],
        "after_first_course": [_point_json(p, row) for p in row.after_first],
    }


def _suppressed_names(cells: Protected) -> list[str]:
    return sorted(".".join(str(part) for part in key) for key in cells.suppressed)


def _dose_json(dose) -> dict:
    if dose is None:
        return {"date": None, "mg_per_day": None, "mg_per_kg_per_day": None}
    return {
        "date": dose.day.isoformat(),
        "mg_per_day": dose.mg_per_day,
        "mg_per_kg_per_day": dose.mg_per_kg_per_day,
    }


def _course_json(response: CourseResponse) -> dict:
    myometry, subjective = response.myometry, response.subjective
    return {
        "patient_ref": response.patient_ref,
        "start_date": response.course.start.isoformat(),
        "end_date": response.course.span.end.isoformat(),
        "regimen": response.course.regimen,
        "basis": response.basis,
        "before": myometry.before if myometry else None,
        "after": myometry.after if myometry else None,
        "change": myometry.change if myometry else None,
        "improved": response.improved,
        "before_date": response.before.day.isoformat() if response.before else None,
        "after_date": response.after.day.isoformat() if response.after else None,
        "subjective_change": _round(subjective.change) if subjective else None,
        "subjective_improved": subjective.improved if subjective else None,
    }


def report_cells(report: CohortReport, *, rows: bool) -> Protected:
    """Clinicians (rows) read every count; administrators the counts that survive suppression."""
    return open_cells(report) if rows else protect_cohort(report)


def cohort_json(
    report: CohortReport,
    clinic: Clinic | None,
    generated_on: date,
    *,
    rows: bool = True,
    cells: Protected | None = None,
) -> dict:
    """The cohort report as a JSON-ready dict; without per-patient rows unless `rows`.

    Without rows every count under 5, and any that would reveal one, is None.
    """
    cells = cells or report_cells(report, rows=rows)
    data = {
        "clinic": {"id": clinic.id, "name": clinic.name} if clinic else None,
        "generated_on": generated_on.isoformat(),
        "patients": cells.shown(("patients",)),
        "rules": RULES,
        "objective": {
            "measure": measures.MEAN_MYOMETRY.name,
            **paired_json(report.objective, cells, ("measure", measures.MEAN_MYOMETRY.name)),
        },
        "measures": {
            name: paired_json(s, cells, ("measure", name)) for name, s in report.measures.items()
        },
        "subjective": {
            "courses": cells.shown(("subjective", "courses")),
            "improved": cells.shown(("subjective", "improved")),
        },
        "agreement": _agreement_json(report, cells),
        "side_effects": [_regimen_json(g, cells) for g in report.side_effects],
        "steroid_summary": [_time_point_json(p, cells) for p in report.steroid_summary],
        "aggregates_only": not rows,
    }
    if not rows:
        return {
            **data,
            "suppression": {"threshold": THRESHOLD, "rule": SUPPRESSION},
            "suppressed": _suppressed_names(cells),
        }
    return {
        **data,
        "steroid_sparing": [
            {
                "patient_ref": row.patient_ref,
                "first_course_date": row.sparing.first_course.isoformat(),
                "at_first_course": _dose_json(row.sparing.at_first_course),
                "latest": _dose_json(row.sparing.latest),
                "change_mg_per_kg_per_day": row.sparing.change_mg_per_kg_per_day,
            }
            for row in report.steroid_sparing
        ],
        "steroid_over_time": [_steroid_over_time_json(row) for row in report.steroids],
        "courses": [_course_json(c) for c in report.courses],
    }
