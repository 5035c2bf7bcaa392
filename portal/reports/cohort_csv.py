"""The cohort report as CSV, written from the same dict as its JSON (so they always agree)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from portal.outcomes import diary_windows
from portal.reports.export import SUPPRESSED, SUPPRESSION

PAIRED_KEYS = (
    "courses",
    "improved",
    "mean_change",
    "median_change",
    "wilcoxon_statistic",
    "wilcoxon_p",
    "wilcoxon_method",
)
# Counts a suppressed cell reads as SUPPRESSED in; other empty values are simply empty.
COUNT_KEYS = {"courses", "improved", "courses_with_diary", "patients", "both_improved"}


def safe(value: object) -> object:
    """A cell a spreadsheet will not run: = + - @ at the start would make it a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def section(writer, title: str, header: list[str], rows: Iterable[list]) -> None:
    """A titled table, then a blank line."""
    writer.writerow([title])
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe(v) for v in row])
    writer.writerow([])


def _count(value: object, aggregates_only: bool) -> object:
    return SUPPRESSED if value is None and aggregates_only else value


def _side_effect_rows(data: dict) -> list[list]:
    rows = []
    only = data["aggregates_only"]
    for g in data["side_effects"]:
        rows.append(
            [
                g["regimen"],
                _count(g["courses"], only),
                _count(g["courses_with_diary"], only),
                *(g["symptoms"][s]["share"] for s in diary_windows.SYMPTOMS),
                *(g["severe"][s]["share"] for s in diary_windows.SYMPTOMS),
                g["fever"]["share"],
                g["any_severe"]["share"],
            ]
        )
    return rows


def _summary_sections(writer, data: dict) -> None:
    only = data["aggregates_only"]
    measures = [
        [name, *(_count(m[k], only) if k in COUNT_KEYS else m[k] for k in PAIRED_KEYS)]
        for name, m in data["measures"].items()
        if m["courses"] != 0
    ]
    section(writer, "Objectively assessed courses", ["measure", *PAIRED_KEYS], measures)
    subjective = data["subjective"]
    section(
        writer,
        "Courses assessed only subjectively",
        ["courses", "improved"],
        [[_count(subjective["courses"], only), _count(subjective["improved"], only)]],
    )
    a = data["agreement"]
    counts = {"courses", "both_improved", "neither_improved", "disagree"}
    values = [_count(v, only) if k in counts else v for k, v in a.items()]
    section(writer, "Agreement of subjective and objective change", list(a), [values])


def _side_effect_section(writer, data: dict) -> None:
    section(
        writer,
        "Side effects by regimen (first infusion day to 7 days after the last)",
        [
            "regimen",
            "courses",
            "courses_with_diary",
            *(f"{s}_share" for s in diary_windows.SYMPTOMS),
            *(f"severe_{s}_share" for s in diary_windows.SYMPTOMS),
            "fever_share",
            "any_severe_share",
        ],
        _side_effect_rows(data),
    )


def _steroid_summary_section(writer, data: dict) -> None:
    only = data["aggregates_only"]
    keys = ["patients_due", "patients", "lower_than_at_first_course", "stopped"]
    section(
        writer,
        "Prednisolone over time, all patients (mg/kg/day)",
        ["time_point", *keys[:2], "median_mg_per_kg_per_day", *keys[2:]],
        [
            [
                p["time_point"],
                *(_count(p[k], only) for k in keys[:2]),
                p["median_mg_per_kg_per_day"],
                *(_count(p[k], only) for k in keys[2:]),
            ]
            for p in data["steroid_summary"]
        ],
    )


def _patient_sections(writer, data: dict) -> None:
    section(
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
        [
            [
                row["patient_ref"],
                row["first_course_date"],
                row["at_first_course"]["mg_per_day"],
                row["at_first_course"]["mg_per_kg_per_day"],
                row["latest"]["date"],
                row["latest"]["mg_per_day"],
                row["latest"]["mg_per_kg_per_day"],
                row["change_mg_per_kg_per_day"],
            ]
            for row in data["steroid_sparing"]
        ],
    )
    section(
        writer,
        "Prednisolone at each course and after the first, per patient",
        ["patient_ref", "time_point", "date", "mg_per_day", "mg_per_kg_per_day", "change"],
        [
            [
                row["patient_ref"],
                p["label"],
                p["date"],
                p["mg_per_day"] if p["due"] else "not yet",
                p["mg_per_kg_per_day"],
                p["change_from_first_course"],
            ]
            for row in data["steroid_over_time"]
            for p in [*row["at_courses"], *row["after_first_course"]]
        ],
    )
    courses = data["courses"]
    header = list(courses[0]) if courses else ["patient_ref"]
    section(writer, "Courses", header, [list(c.values()) for c in courses])


def cohort_csv(data: dict) -> str:
    """The cohort report (as cohort_json made it) as CSV: one titled section per table;
    the per-patient sections only when the dict has its rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    if data["aggregates_only"]:
        writer.writerow([SUPPRESSION.replace("(null)", f"({SUPPRESSED})")])
        writer.writerow([])
    _summary_sections(writer, data)
    _side_effect_section(writer, data)
    _steroid_summary_section(writer, data)
    if not data["aggregates_only"]:
        _patient_sections(writer, data)
    return out.getvalue()
