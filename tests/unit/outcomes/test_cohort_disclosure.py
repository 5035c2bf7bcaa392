"""The cohort report as administrators read it: no count under 5, none derivable."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.outcomes.cohort_disclosure import cohort_cells, open_cells, protect_cohort
from portal.outcomes.course_response import cohort_report
from portal.outcomes.disclosure import THRESHOLD
from tests.disclosure_check import exposed_cells
from tests.unit.outcomes.records import Patient, diary

D0 = date(2024, 1, 8)


def course_plans():
    return st.lists(
        st.tuples(
            st.sampled_from([3, 5]),
            st.one_of(st.none(), st.integers(-4, 6)),  # change in mean myometry, or none
            st.one_of(st.none(), st.sampled_from([0, 1, 3])),  # worst headache, or no diary
        ),
        min_size=1,
        max_size=4,
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(course_plans(), max_size=9))
def test_no_count_an_administrator_reads_is_under_five_or_derivable(plans):
    records = []
    for number, plan in enumerate(plans):
        patient = Patient(f"P{number}")
        for n, (days, change, headache) in enumerate(plan):
            effects = diary(headache=headache) if headache is not None else None
            before = 30.0
            patient.course(
                D0 + timedelta(weeks=6 * n),
                days=days,
                change=(before, before + change) if change is not None else None,
                effects=effects,
            )
        records.append(patient.record)
    report = cohort_report(records)
    protected = protect_cohort(report)
    assert all(value >= THRESHOLD for value in protected.displayed.values())
    table = cohort_cells(report)
    assert exposed_cells(protected, table.relations, table.complements) == set()
    # The clinic's own clinicians read every count.
    assert open_cells(report).displayed == table.values
