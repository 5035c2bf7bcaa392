"""The patient review page, marking reports reviewed, replies, and what the family sees."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.review import actions
from portal.review.models import Reply
from tests import factories as make
from tests.querycount import counted_queries


def review_url(patient) -> str:
    return f"/clinic/patients/{patient.id}/review"


def test_reports_are_grouped_by_course_with_grades_in_words_and_colour(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    make.course(patient, today() - timedelta(days=40), days=3)
    make.course(patient, today() - timedelta(days=10), days=5)
    make.diary_row(patient, today() - timedelta(days=4), headache=3, nausea=1, strength=1, mood=4)
    make.diary_row(patient, today() - timedelta(days=30), tiredness=2, rash=2, rash_change=-1)

    page = client.get(review_url(patient)).get_data(as_text=True)
    newest, older = page.index("After course 2"), page.index("After course 1")
    assert newest < older
    assert '<span class="grade grade-3">Headache: severe</span>' in page
    assert '<span class="grade grade-1">Nausea: mild</span>' in page
    assert '<span class="grade grade-2">Tiredness: moderate</span>' in page
    assert "Day 2 after course 2 (2 g/kg over 5 days)" in page
    assert "A bit better" in page and "Happy" in page and "Moderate, worse" in page
    assert "2 reports not reviewed yet" in page


def test_assessments_sit_among_the_reports_of_their_course_with_their_pairing(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    first = make.course(patient, today() - timedelta(days=40), days=3)
    second = make.course(patient, today() - timedelta(days=10), days=5)
    make.assessment(patient, first.start_date - timedelta(days=1), myometry=30.0, ck=1800.0)
    make.assessment(patient, first.end_date + timedelta(days=9), myometry=33.5, cmas=31)
    make.assessment(patient, second.start_date - timedelta(days=1), myometry=31.0,
                    notes="<b>Tired</b> at the visit")  # fmt: skip
    make.assessment(patient, today() - timedelta(days=200), myometry=20.0)  # before the window
    make.diary_row(patient, today() - timedelta(days=4), strength=1)

    page = client.get(review_url(patient)).get_data(as_text=True)
    groups = page.split('class="course-group"')[1:]
    newest, older, first_group = groups
    assert "After course 2" in newest and "assessment-card" not in newest
    assert older.count("assessment-card") == 2  # the after of course 1, the before of course 2
    tag = '<span class="tag tag-planned">'
    assert older.index(f"{tag}Before course 2") < older.index(f"{tag}After course 1")
    assert "<dd>+3.5 (improved)</dd>" in older
    assert "<dt>CMAS</dt><dd>31</dd>" in older
    assert "&lt;b&gt;Tired&lt;/b&gt; at the visit" in older and "<b>Tired</b>" not in page
    assert "Before the first course" in first_group and f"{tag}Before course 1" in first_group
    assert "<dd>1800 U/L</dd>" in first_group
    assert "<dd>20</dd>" not in page  # outside the twelve weeks
    assert "1 report not reviewed yet" in page  # assessments are not home reports


def test_notes_are_shown_escaped(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    make.diary_row(patient, note="<script>alert(1)</script> tired")
    page = client.get(review_url(patient)).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; tired" in page


def test_marking_ticked_reports_reviewed_ignores_other_childrens_entries(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    mine = [make.diary_row(patient, today() - timedelta(days=n)) for n in range(3)]
    sibling = make.diary_row(make.patient(clinician.clinic))

    ticked = [mine[0].id, mine[2].id, sibling.id]
    response = client.post_form(review_url(patient), {"entry_ids": ticked})
    assert response.status_code == 302
    reviewed = {
        e.id for e in db.session.query(DiaryEntry).filter(DiaryEntry.reviewed_at.isnot(None))
    }
    assert reviewed == {mine[0].id, mine[2].id}
    assert db.session.get(DiaryEntry, mine[0].id).reviewed_by_id == clinician.id
    page = client.get(review_url(patient)).get_data(as_text=True)
    assert "2 reports marked reviewed." in page
    assert page.count(">Reviewed<") == 2  # still on the page, shown as reviewed
    assert "1 report not reviewed yet" in page


def test_marking_with_nothing_ticked_says_which_field(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    make.diary_row(patient)
    response = client.post_form(review_url(patient), {})
    assert response.status_code == 200  # shown again, as every refused form is
    assert "Tick at least one report." in response.get_data(as_text=True)


def test_reports_older_than_the_window_are_counted_and_reachable(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    old = make.diary_row(patient, today() - timedelta(days=100), note="from long ago")
    page = client.get(review_url(patient)).get_data(as_text=True)
    assert "1 older report before" in page and "from long ago" not in page
    earlier = (today() - timedelta(days=84)).isoformat()
    page = client.get(f"{review_url(patient)}?end={earlier}").get_data(as_text=True)
    assert "from long ago" in page and f'id="entry-{old.id}"' in page


def test_reply_reaches_the_family_with_an_unread_marker_until_marked_read(client, login, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    entry = make.diary_row(patient)
    text = "Thanks <b>for</b> the note. Call us if it gets worse."
    response = client.post_form(f"/clinic/entries/{entry.id}/reply", {"text": text})
    assert response.status_code == 302
    reply = db.session.query(Reply).one()
    assert (reply.author_id, reply.entry_id) == (clinician.id, entry.id)
    assert db.session.get(DiaryEntry, entry.id).reviewed_by_id == clinician.id

    client.post_form("/logout")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    login(guardian)
    home = client.get(f"/family/{patient.id}").get_data(as_text=True)
    assert "1 new message from the clinic" in home
    messages = client.get(f"/family/{patient.id}/messages").get_data(as_text=True)
    assert "Thanks &lt;b&gt;for&lt;/b&gt; the note." in messages
    assert ">New<" in messages
    assert "1 new message" in client.get(f"/family/{patient.id}").get_data(as_text=True)
    read = {"reply_ids": str(reply.id)}
    assert client.post_form(f"/family/{patient.id}/messages/read", read).status_code == 302
    assert db.session.get(Reply, reply.id).read_by_id == guardian.id
    assert "new message" not in client.get(f"/family/{patient.id}").get_data(as_text=True)


def test_too_long_reply_keeps_what_was_typed_and_names_the_field(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    entry = make.diary_row(make.patient(clinician.clinic))
    text = "word " * 201
    response = client.post_form(f"/clinic/entries/{entry.id}/reply", {"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Message to the family: Keep the message to 1000 characters or fewer." in page
    assert text.strip() in page
    assert db.session.query(Reply).count() == 0


def test_clinician_of_another_clinic_can_neither_read_nor_reply(client, login_as):
    login_as(Role.CLINICIAN)
    patient = make.patient(make.clinic())
    entry = make.diary_row(patient)
    assert client.get(review_url(patient)).status_code == 404
    assert client.post_form(review_url(patient), {"entry_ids": [entry.id]}).status_code == 404
    assert client.post_form(f"/clinic/entries/{entry.id}/reply", {"text": "hi"}).status_code == 404


def test_family_sees_no_marker_and_no_messages_of_another_child(client, login_as):
    mine, theirs = make.patient(), make.patient()
    login_as(Role.GUARDIAN, patients=[mine])
    entry = make.diary_row(theirs)
    db.session.add(Reply(entry=entry, patient_id=theirs.id, text="Private", created_at=now_utc()))
    db.session.commit()
    assert client.get(f"/family/{theirs.id}/messages").status_code == 404
    assert "new message" not in client.get(f"/family/{mine.id}").get_data(as_text=True)


def review_page_queries(client, patient) -> int:
    with counted_queries() as statements:
        response = client.get(review_url(patient))
    assert response.status_code == 200
    return len(statements)


def test_review_page_query_count_does_not_grow_with_entries(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    few, many = make.patient(clinician.clinic), make.patient(clinician.clinic)
    for patient, count in ((few, 5), (many, 50)):
        make.course(patient, today() - timedelta(days=60))
        make.course(patient, today() - timedelta(days=20))
        for n in range(count // 5):
            make.assessment(patient, today() - timedelta(days=7 * n + 1), myometry=30.0 + n)
        for n in range(count):
            entry = make.diary_row(patient, today() - timedelta(days=n), headache=n % 4)
            if n % 4 == 0:
                make.alert(entry)
                actions.reply_to_entry(entry, clinician, "Seen, thank you.", now_utc())
        db.session.commit()
    assert review_page_queries(client, few) == review_page_queries(client, many)
