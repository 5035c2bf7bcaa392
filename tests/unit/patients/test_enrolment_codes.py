"""Enrolment codes: stored only hashed, valid 14 days, single use, revocable."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.patients.enrolment import (
    ALPHABET,
    find_redeemable,
    normalise_code,
    redeem,
    revoke,
)
from portal.patients.models import EnrolmentCode
from tests import factories as make


def test_code_is_twelve_unambiguous_characters_in_groups_of_four():
    issued = make.code(make.patient())
    groups = issued.code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert set("".join(groups)) <= set(ALPHABET)
    assert not set("0O1IL") & set("".join(groups))


def test_only_a_hash_of_the_code_is_stored():
    issued = make.code(make.patient())
    raw = normalise_code(issued.code)
    row = db.session.execute(select(EnrolmentCode.__table__)).one()._asdict()
    assert row["code_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert row["hint"] == raw[-4:]
    stored_text = " ".join(str(value) for value in row.values())
    assert raw not in stored_text
    assert issued.code not in stored_text


def test_each_code_is_different():
    patient = make.patient()
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    codes = {make.code(patient, issued_by=clinician).code for _ in range(20)}
    assert len(codes) == 20


def test_code_expires_after_the_default_fourteen_days():
    issued_at = now_utc() - timedelta(days=30)
    issued = make.code(make.patient(), issued_at=issued_at)
    assert issued.record.expires_at - issued.record.created_at == timedelta(days=14)
    just_before = issued_at + timedelta(days=14, seconds=-1)
    assert find_redeemable(issued.code, just_before).id == issued.record.id
    with pytest.raises(FieldError, match="expired"):
        find_redeemable(issued.code, issued_at + timedelta(days=14))


def test_code_is_found_whatever_the_case_spacing_or_dashes():
    issued = make.code(make.patient())
    typed = " " + issued.code.lower().replace("-", " ") + " "
    assert find_redeemable(typed, now_utc()).id == issued.record.id


@pytest.mark.parametrize("typed", ["", "   ", "NOPE-NOPE-NOPE", "ABCDEFGHJKMN"])
def test_unknown_code_is_refused(typed):
    make.code(make.patient())
    with pytest.raises(FieldError, match="not recognised"):
        find_redeemable(typed, now_utc())


def test_code_works_once():
    patient = make.patient()
    issued = make.code(patient)
    first, second = make.user(Role.GUARDIAN), make.user(Role.GUARDIAN)
    now = now_utc()
    assert redeem(find_redeemable(issued.code, now), first, now) == patient
    db.session.commit()
    with pytest.raises(FieldError, match="already been used"):
        find_redeemable(issued.code, now)
    with pytest.raises(FieldError, match="no longer be used"):
        redeem(issued.record, second, now)
    assert second.patients == []


def test_revoked_code_is_refused_and_revoking_a_used_code_changes_nothing():
    patient = make.patient()
    withdrawn, used = make.code(patient), make.code(patient)
    now = now_utc()
    revoke(withdrawn.record, now)
    redeem(used.record, make.user(Role.GUARDIAN), now)
    revoke(used.record, now)
    db.session.commit()
    with pytest.raises(FieldError, match="withdrawn"):
        find_redeemable(withdrawn.code, now)
    assert used.record.revoked_at is None
    assert used.record.state(now) == "used"


def test_guardian_already_linked_keeps_the_code_for_someone_else():
    patient = make.patient(name="Sam Jones")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    issued = make.code(patient)
    with pytest.raises(FieldError, match="already linked to Sam"):
        redeem(issued.record, guardian, now_utc())
    assert issued.record.state(now_utc()) == "active"


def test_two_guardians_each_redeem_their_own_code_for_the_same_child():
    patient = make.patient()
    mum, dad = make.user(Role.GUARDIAN), make.user(Role.GUARDIAN)
    now = now_utc()
    redeem(make.code(patient).record, mum, now)
    redeem(make.code(patient).record, dad, now)
    db.session.commit()
    assert {a.id for a in patient.accounts} == {mum.id, dad.id}
    used = db.session.scalar(select(func.count()).where(EnrolmentCode.used_at.is_not(None)))
    assert used == 2
