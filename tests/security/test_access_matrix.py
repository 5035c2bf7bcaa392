"""Every route, every actor: exactly the outcome tests/security/access_matrix.py expects."""

from __future__ import annotations

from tests.security.access_matrix import MATRIX
from tests.security.conftest import ACTORS
from tests.security.walk import outcome, routes, walk


def test_every_route_and_method_has_a_row_in_the_access_matrix(app):
    present = {(rule.rule, method) for rule, method in routes(app)}
    missing = sorted(present - set(MATRIX))
    stale = sorted(set(MATRIX) - present)
    assert not missing, f"routes without a row in access_matrix.py: {missing}"
    assert not stale, f"rows in access_matrix.py for routes that no longer exist: {stale}"
    for key, expected in MATRIX.items():
        assert set(expected) == set(ACTORS), f"row {key} does not name every actor"


def test_each_actor_gets_the_expected_outcome_on_every_route(app, world, actor_clients):
    failures = []
    for actor, client in actor_clients.items():
        for rule, method, response in walk(app, client, world.url_values()):
            expected = MATRIX[(rule.rule, method)][actor]
            got = outcome(response)
            if got != expected:
                failures.append(
                    f"{actor:12} {method:4} {rule.rule}: expected {expected}, got {got}"
                )
            assert response.status_code != 500, f"{actor} {method} {rule.rule} answered 500"
    assert not failures, "\n" + "\n".join(failures)


# URL parameters that name one of child A's objects.
OBJECTS_OF_A = (
    "patient_id",
    "course_id",
    "code_id",
    "entry_id",
    "alert_id",
    "assessment_id",
    "record_id",
)


def test_the_matrix_makes_other_families_and_clinics_objects_404_for_get_and_post():
    # The table read the other way (the walk above proves the table): wherever B's
    # guardian or clinic 2 names one of A's objects, the answer is 404.
    outsiders = ("guardian_b", "clinician_2")
    for (path, method), expected in MATRIX.items():
        if any(f"<int:{name}>" in path for name in OBJECTS_OF_A):
            for actor in outsiders:
                assert expected[actor] == 404, f"{actor} {method} {path} must be 404"
