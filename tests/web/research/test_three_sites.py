"""Three clinics, three databases, one hub: known combined figures, nothing small shown."""

from __future__ import annotations

import json
import re

import pytest

from portal.auth.models import Role
from portal.outcomes.comparisons import van_elteren
from portal.outcomes.disclosure import THRESHOLD
from portal.research.hub import hub_cells, hub_groups, hub_report
from portal.research.records import current_summaries
from tests import factories as make
from tests.disclosure_check import exposed_cells
from tests.web.research.sites import (
    add_courses,
    public_key,
    register,
    site_database,
    upload,
    write_summary,
)

NORTH = {3: [4, 3, 5, 2, 6, -1], 5: [1, 2, -1, 0.5, 3, -2]}
SOUTH = {3: [2, 5, 1, 7, -2], 5: [1, -1, 2, 0.5, 1.5, -0.5, 2]}
WEST = {3: [3, 4], 5: [1, -1, 2]}
HUB = "/admin/research/report.json"


@pytest.fixture
def summaries(tmp_path):
    """Each site's summary file and public key, written from its own database."""
    files = {}
    plans = {
        "north": lambda c: (add_courses(c, 3, NORTH[3], headaches=6), add_courses(c, 5, NORTH[5])),
        "south": lambda c: (add_courses(c, 3, SOUTH[3], headaches=4),
                            add_courses(c, 5, SOUTH[5], headaches=1)),
        "west": lambda c: (add_courses(c, 3, WEST[3], headaches=2),
                           add_courses(c, 5, WEST[5], diary=False)),
    }  # fmt: skip
    for code, plan in plans.items():
        with site_database(tmp_path, code) as site, site.app_context():
            clinic = make.clinic(f"{code.title()} Children's Hospital")
            plan(clinic)
            make.course(make.patient(clinic), status="cancelled")  # never in a summary
            files[code] = (write_summary(site, tmp_path / f"{code}.json"), public_key(site))
    return files


@pytest.fixture
def hub(client, login_as, summaries):
    login_as(Role.ADMIN)
    for code, (data, key) in summaries.items():
        assert register(client, code, key).status_code == 302
        assert upload(client, data, f"{code}.json").status_code == 302
    return client


def test_a_site_summary_carries_no_name_reference_birth_date_or_course_date(summaries):
    data, _ = summaries["north"]
    text = data.decode()
    assert "Secret" not in text and "REF" not in text and "2016" not in text
    assert "LOT-3" not in text  # lots travel hashed
    assert re.findall(r"\d{4}-\d{2}-\d{2}", text) == [json.loads(text)["payload"]["generated_on"]]
    payload = json.loads(text)["payload"]
    assert len(payload["courses"]) == 12  # the cancelled course is left out
    assert payload["site"] == "north"


def test_the_hub_combines_the_three_sites_into_known_figures(hub):
    report = hub.get(HUB).json
    three, five = report["regimens"]
    assert three["regimen"] == "2 g/kg over 3 days" and five["regimen"] == "2 g/kg over 5 days"
    assert (three["courses"], three["assessed"], three["with_diary"]) == (13, 13, 13)
    assert (five["courses"], five["assessed"], five["with_diary"]) == (16, 16, 13)
    assert three["mean_change"] == pytest.approx(3.0) and three["median_change"] == 3.0
    assert five["mean_change"] == pytest.approx(0.6875) and five["median_change"] == 1.0
    assert report["all_regimens"] == {
        "courses": 29, "assessed": 29, "improved": 22, "with_diary": 26,
    }  # fmt: skip
    # 11 of 13 improved after a 3-day course: the 2 that did not would show, so it is
    # suppressed; the 5-day count goes too, or the total (22) would give it back.
    assert three["improved"] is None and five["improved"] is None
    # 12 of 13 with a diary had a headache after the 3-day course; 1 after the 5-day one.
    assert three["side_effects"]["headache"] is None and five["side_effects"]["headache"] is None
    sites = {s["code"]: s for s in report["sites"]}
    assert [(sites[c]["courses"], sites[c]["assessed"]) for c in ("north", "south", "west")] == [
        (12, 12), (12, 12), (5, 5),
    ]  # fmt: skip
    assert [sites[c]["improved"] for c in ("north", "south", "west")] == [None, None, None]
    assert report["lot_hashes_comparable"] is True


def test_the_regimens_are_compared_by_van_elteren_with_sites_as_strata(hub):
    comparison = hub.get(HUB).json["comparison"]
    strata = [(s[3], s[5]) for s in (NORTH, SOUTH, WEST)]
    expected = van_elteren(strata)
    assert (comparison["a_n"], comparison["b_n"], comparison["sites_with_both"]) == (13, 16, 3)
    assert comparison["p"] == pytest.approx(expected.p_value, abs=1e-6)
    assert comparison["z"] == pytest.approx(expected.z, abs=1e-4)


def test_no_count_the_hub_shows_is_under_five_and_none_can_be_worked_out(hub):
    report = hub.get(HUB).json
    counts = [
        v for s in report["sites"] for k, v in s.items() if k in ("courses", "assessed", "improved")
    ]
    for group in report["regimens"]:
        counts += [group[k] for k in ("courses", "assessed", "improved", "with_diary")]
        counts += list(group["side_effects"].values())
    counts += list(report["all_regimens"].values())
    assert all(c is None or c >= THRESHOLD for c in counts)
    sites, courses = current_summaries()
    groups = [g.key for g in hub_groups(courses)]
    protected = hub_report(sites, courses).cells
    cells = hub_cells(courses, [s.code for s in sites], groups)
    assert exposed_cells(protected, cells.relations, cells.complements) == set()


def test_the_hub_page_shows_the_sites_and_suppressed_cells_as_such(hub):
    page = hub.get("/admin/research/").get_data(as_text=True)
    for name in ("North", "South", "West"):
        assert name in page
    assert "suppressed" in page
    assert "van Elteren test" in page and "3 sites gave both" in page
    csv_text = hub.get("/admin/research/report.csv").get_data(as_text=True)
    assert "2 g/kg over 3 days,13,13,suppressed,13,3.0,3.0" in csv_text
