"""The hub's combined report as JSON and CSV: suppressed counts are null (CSV: "suppressed")."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.outcomes.course_outcomes import OUTCOME_LABELS
from portal.outcomes.disclosure import THRESHOLD
from portal.reports.cohort_csv import section
from portal.reports.export import SUPPRESSED, SUPPRESSION
from portal.research.hub import ALL, SHOWN_PER_SITE, HubReport

COUNTS = ("courses", "assessed", "improved", "with_diary")


def _site_json(report: HubReport, site) -> dict:
    return {
        "code": site.code,
        "name": site.name,
        "key_fingerprint": site.fingerprint,
        "summary_written": site.generated_on.isoformat(),
        **{name: report.count(name, site.code) for name in SHOWN_PER_SITE},
    }


def _group_json(report: HubReport, key: str, label: str, mean, median) -> dict:
    shown = report.figures_shown(key)
    return {
        "regimen": label,
        **{name: report.count(name, ALL, key) for name in COUNTS},
        "mean_change": mean if shown else None,
        "median_change": median if shown else None,
        "side_effects": {name: report.count(name, ALL, key) for name in OUTCOME_LABELS},
    }


def _comparison_json(report: HubReport) -> dict | None:
    c = report.comparison
    if c is None:
        return None
    test = c.test
    return {
        "a": c.a.label,
        "b": c.b.label,
        "test": "van Elteren (Wilcoxon rank sums within each site, weighted 1/(n+1))",
        "measure": "mean_myometry",
        "a_n": report.count("assessed", ALL, c.a.key),
        "b_n": report.count("assessed", ALL, c.b.key),
        "sites_with_both": test.strata if c.shown else None,
        "z": round(test.z, 4) if c.shown and test.z is not None else None,
        "p": round(test.p_value, 6) if c.shown and test.p_value is not None else None,
    }


def hub_json(report: HubReport, generated_on: date) -> dict:
    """The combined report: sites, pooled figures by regimen, the van Elteren comparison."""
    return {
        "generated_on": generated_on.isoformat(),
        "suppression": {"threshold": THRESHOLD, "rule": SUPPRESSION},
        "lot_hashes_comparable": report.salts_agree,
        "sites": [_site_json(report, s) for s in report.sites],
        "regimens": [
            _group_json(report, g.key, g.label, g.mean_change, g.median_change)
            for g in report.groups
        ],
        "all_regimens": {name: report.count(name) for name in COUNTS},
        "comparison": _comparison_json(report),
    }


def _cell(value: object) -> object:
    return SUPPRESSED if value is None else value


def hub_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([SUPPRESSION.replace("(null)", f"({SUPPRESSED})")])
    writer.writerow([])
    section(
        writer,
        "Sites",
        ["code", "name", "key_fingerprint", "summary_written", *SHOWN_PER_SITE],
        [
            [s["code"], s["name"], s["key_fingerprint"], s["summary_written"],
             *(_cell(s[n]) for n in SHOWN_PER_SITE)]
            for s in data["sites"]
        ],
    )  # fmt: skip
    section(
        writer,
        "All sites by regimen",
        ["regimen", *COUNTS, "mean_change", "median_change", *OUTCOME_LABELS],
        [
            [g["regimen"], *(_cell(g[n]) for n in COUNTS), g["mean_change"], g["median_change"],
             *(_cell(g["side_effects"][n]) for n in OUTCOME_LABELS)]
            for g in data["regimens"]
        ],
    )  # fmt: skip
    comparison = data["comparison"]
    if comparison:
        section(writer, "Regimens compared", list(comparison), [list(comparison.values())])
    return out.getvalue()
