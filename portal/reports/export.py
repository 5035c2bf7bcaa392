"""The cohort report as JSON and as CSV: patient references only, never names or diaries."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.assessments import measures
from portal.clinic.models import Clinic
from portal.outcomes import diary_windows, pairing
from portal.outcomes.course_response import CohortReport, CourseResponse
from portal.outcomes.side_effects import RegimenSideEffects, Share
from portal.outcomes.statistics import Agreement, PairedSummary

RULES = {
    "before_days": pairing.BEFORE_DAYS,
    "after_days": pairing.AFTER_DAYS,
    "subjective_before_days": diary_windows.BEFORE_DAYS,
    "subjective_after_days": diary_windows.AFTER_DAYS,
    "side_effect_window": "first infusion day to 7 days after the last infusion day",
    "severe_grade": diary_windows.SEVERE_GRADE,
    "fever_c": diary_windows.FEVER_C,
}


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def paired_json(summary: PairedSummary) -> dict:
    """One measure's paired summary with the keys the API promises."""
    return {
        "courses": summary.courses,
        "improved": summary.improved,
        "mean_change": _round(summary.mean_change),
        "median_change": _round(summary.median_change),
        "wilcoxon_statistic": summary.wilcoxon_statistic,
        "wilcoxon_p": _round(summary.wilcoxon_p, 6),
        "wilcoxon_method": summary.wilcoxon_method,
    }


def _agreement_json(agreement: Agreement) -> dict:
    return {
        "courses": agreement.courses,
        "both_improved": agreement.both_improved,
        "neither_improved": agreement.neither_improved,
        "disagree": agreement.disagree,
        "spearman_rho": _round(agreement.spearman_rho),
        "spearman_p": _round(agreement.spearman_p, 6),
    }


def _share_json(share: Share) -> dict:
    return {"courses": share.count, "share": share.share}


def _regimen_json(group: RegimenSideEffects) -> dict:
    return {
        "regimen": group.regimen,
        "days": group.days,
        "total_dose_g_per_kg": group.total_dose_g_per_kg,
        "courses": group.courses,
        "courses_with_diary": group.courses_with_diary,
        "symptoms": {name: _share_json(s) for name, s in group.symptoms.items()},
        "severe": {name: _share_json(s) for name, s in group.severe_symptoms.items()},
        "fever": _share_json(group.fever),
        "any_symptom": _share_json(group.any_symptom),
        "any_severe": _share_json(group.any_severe),
    }


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


def cohort_json(
    report: CohortReport, clinic: Clinic | None, generated_on: date, *, rows: bool = True
) -> dict:
    """The cohort report as a JSON-ready dict; without per-patient rows unless `rows`."""
    data = {
        "clinic": {"id": clinic.id, "name": clinic.name} if clinic else None,
        "generated_on": generated_on.isoformat(),
        "patients": report.patients,
        "rules": RULES,
        "objective": {"measure": measures.MEAN_MYOMETRY.name, **paired_json(report.objective)},
        "measures": {name: paired_json(s) for name, s in report.measures.items()},
        "subjective": {
            "courses": report.subjective.courses,
            "improved": report.subjective.improved,
        },
        "agreement": _agreement_json(report.agreement),
        "side_effects": [_regimen_json(g) for g in report.side_effects],
        "aggregates_only": not rows,
    }
    if not rows:
        return data
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
        "courses": [_course_json(c) for c in report.courses],
    }


def _safe(value: object) -> object:
    # A cell starting with = + - @ would run as a formula when opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _section(writer, title: str, header: list[str], rows: list[list]) -> None:
    writer.writerow([title])
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    writer.writerow([])


def _summary_rows(report: CohortReport) -> list[list]:
    rows = []
    for measure in measures.REPORTED:
        s = report.measures[measure.name]
        if s.courses:
            rows.append([measure.name, *paired_json(s).values()])
    return rows


def _side_effect_rows(report: CohortReport) -> list[list]:
    rows = []
    for g in report.side_effects:
        shares = [g.symptoms[s].share for s in diary_windows.SYMPTOMS]
        severe = [g.severe_symptoms[s].share for s in diary_windows.SYMPTOMS]
        rows.append(
            [
                g.regimen,
                g.courses,
                g.courses_with_diary,
                *shares,
                *severe,
                g.fever.share,
                g.any_severe.share,
            ]
        )
    return rows


def _steroid_rows(report: CohortReport) -> list[list]:
    rows = []
    for row in report.steroid_sparing:
        first, latest = _dose_json(row.sparing.at_first_course), _dose_json(row.sparing.latest)
        rows.append(
            [
                row.patient_ref,
                row.sparing.first_course.isoformat(),
                first["mg_per_day"],
                first["mg_per_kg_per_day"],
                latest["date"],
                latest["mg_per_day"],
                latest["mg_per_kg_per_day"],
                row.sparing.change_mg_per_kg_per_day,
            ]
        )
    return rows


def cohort_csv(report: CohortReport, *, rows: bool = True) -> str:
    """The cohort report as CSV: one titled section per table, a blank line between;
    the per-patient sections (steroid sparing, courses) only when `rows`."""
    out = io.StringIO()
    writer = csv.writer(out)
    paired_header = [
        "measure",
        "courses",
        "improved",
        "mean_change",
        "median_change",
        "wilcoxon_statistic",
        "wilcoxon_p",
        "wilcoxon_method",
    ]
    _section(writer, "Objectively assessed courses", paired_header, _summary_rows(report))
    _section(
        writer,
        "Courses assessed only subjectively",
        ["courses", "improved"],
        [[report.subjective.courses, report.subjective.improved]],
    )
    a = _agreement_json(report.agreement)
    _section(writer, "Agreement of subjective and objective change", list(a), [list(a.values())])
    symptom_header = [f"{s}_share" for s in diary_windows.SYMPTOMS]
    severe_header = [f"severe_{s}_share" for s in diary_windows.SYMPTOMS]
    _section(
        writer,
        "Side effects by regimen (first infusion day to 7 days after the last)",
        [
            "regimen",
            "courses",
            "courses_with_diary",
            *symptom_header,
            *severe_header,
            "fever_share",
            "any_severe_share",
        ],
        _side_effect_rows(report),
    )
    if not rows:
        return out.getvalue()
    _section(
        writer,
        "Steroid sparing (prednisolone)",
        [
            "patient_ref",
            "first_course_date",
            "mg_per_day_at_first_course",
            "mg_per_kg_per_day_at_first_course",
            "latest_record_date",
            "mg_per_day_latest",
            "mg_per_kg_per_day_latest",
            "change_mg_per_kg_per_day",
        ],
        _steroid_rows(report),
    )
    courses = [list(_course_json(c).values()) for c in report.courses]
    header = list(_course_json(report.courses[0])) if report.courses else ["patient_ref"]
    _section(writer, "Courses", header, courses)
    return out.getvalue()
