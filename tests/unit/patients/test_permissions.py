"""Per-object access: guardians their children, children themselves, staff their clinic."""

import pytest
from werkzeug.exceptions import NotFound

from portal.auth.models import Role
from portal.core.extensions import db
from portal.patients.permissions import (
    can_manage_patient,
    can_view_patient,
    get_patient_or_404,
    visible_patients,
)
from tests import factories as make


@pytest.fixture
def world():
    north, south = make.clinic("North"), make.clinic("South")
    ann, ben, cat = make.patient(north), make.patient(north), make.patient(south)
    return {
        "patients": (ann, ben, cat),
        "guardian": make.user(Role.GUARDIAN, patients=[ann, cat]),
        "child": make.user(Role.CHILD, patients=[ann]),
        "clinician": make.user(Role.CLINICIAN, clinic=north),
        "admin": make.user(Role.ADMIN, clinic=north),
    }


def _visible(user):
    return [p.id for p in db.session.scalars(visible_patients(user))]


def test_each_role_sees_exactly_its_patients(world):
    ann, ben, cat = world["patients"]
    assert sorted(_visible(world["guardian"])) == sorted([ann.id, cat.id])
    assert _visible(world["child"]) == [ann.id]
    assert sorted(_visible(world["clinician"])) == sorted([ann.id, ben.id])
    assert _visible(world["admin"]) == []


def test_view_and_manage_rules_agree_with_the_list(world):
    patients = world["patients"]
    for name in ("guardian", "child", "clinician", "admin"):
        user = world[name]
        visible = set(_visible(user))
        for patient in patients:
            assert can_view_patient(user, patient) == (patient.id in visible), (name, patient)
            managed = name == "clinician" and patient.id in visible
            assert can_manage_patient(user, patient) == managed, (name, patient)


def test_disabled_account_sees_nothing(world):
    clinician = world["clinician"]
    clinician.active = False
    assert not can_view_patient(clinician, world["patients"][0])


def test_get_patient_or_404_refuses_unknown_and_foreign_ids(world):
    ann, _, cat = world["patients"]
    clinician = world["clinician"]
    assert get_patient_or_404(ann.id, clinician, manage=True) == ann
    for patient_id in (cat.id, 999_999):
        with pytest.raises(NotFound):
            get_patient_or_404(patient_id, clinician)
    with pytest.raises(NotFound):
        get_patient_or_404(ann.id, world["guardian"], manage=True)
