"""Review services: acknowledgements, reviewed marks and replies record who and when."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary import replies
from portal.review import actions
from tests import factories as make


@pytest.fixture
def clinician():
    return make.user(Role.CLINICIAN)


@pytest.fixture
def patient(clinician):
    return make.patient(clinician.clinic)


def test_marking_many_reviewed_keeps_an_earlier_review(patient, clinician):
    done = make.diary_row(patient, reviewed_at=now_utc() - timedelta(days=1))
    done.reviewed_by_id = clinician.id
    fresh = [make.diary_row(patient) for _ in range(3)]
    other = make.user(Role.CLINICIAN, clinic=clinician.clinic)
    count = actions.mark_reviewed([done, *fresh], other, now_utc())
    assert count == 3
    assert done.reviewed_by_id == clinician.id
    assert {e.reviewed_by_id for e in fresh} == {other.id}


def test_entries_of_patient_ignores_ids_of_other_children(patient, clinician):
    mine = make.diary_row(patient)
    theirs = make.diary_row(make.patient(clinician.clinic))
    assert actions.entries_of_patient(patient, [mine.id, theirs.id]) == [mine]


def test_reply_is_stored_trimmed_and_marks_the_entry_reviewed(patient, clinician):
    entry = make.diary_row(patient)
    moment = now_utc()
    reply = actions.reply_to_entry(entry, clinician, "  Call us if the headache returns.  ", moment)
    db.session.commit()
    assert reply.text == "Call us if the headache returns."
    assert (reply.author_id, reply.created_at, reply.patient_id) == (
        clinician.id,
        moment,
        patient.id,
    )
    assert entry.reviewed_at == moment
    assert [r.text for r in entry.replies] == ["Call us if the headache returns."]


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write a message"), ("x" * 1001, "1000 characters or fewer")],
)
def test_empty_or_too_long_replies_are_refused(patient, clinician, text, message):
    entry = make.diary_row(patient)
    with pytest.raises(FieldError, match=message):
        actions.reply_to_entry(entry, clinician, text, now_utc())


def test_unread_count_drops_when_the_family_reads_and_the_first_reader_is_kept(patient, clinician):
    entry = make.diary_row(patient)
    for text in ("One", "Two"):
        actions.reply_to_entry(entry, clinician, text, now_utc())
    db.session.commit()
    assert replies.unread_reply_count(patient.id) == 2
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    child = make.user(Role.CHILD, patients=[patient])
    found = replies.replies_for_family(patient)
    assert [r.text for r in found] == ["Two", "One"]
    assert replies.mark_replies_read(found, guardian, now_utc()) == 2
    assert replies.mark_replies_read(found, child, now_utc()) == 0
    db.session.commit()
    assert replies.unread_reply_count(patient.id) == 0
    assert {r.read_by_id for r in found} == {guardian.id}
