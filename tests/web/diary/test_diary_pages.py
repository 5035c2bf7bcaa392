"""The family's diary pages: logging, reading, correcting and deleting entries."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import event, func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry, DiaryEntryVersion
from tests import factories as make


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(DiaryEntry))


def family(clinic=None):
    """A child with a five-day course that ended three days ago, and a guardian."""
    patient = make.patient(clinic or make.clinic(phone="0161 496 0123"), name="Maya Okafor")
    make.course(patient, today() - timedelta(days=7), days=5, status="given")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    guardian.display_name = "Grace Okafor"
    db.session.commit()
    return patient, guardian


def hidden_client_id(page: str) -> str:
    return re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)" checked', page)


def test_new_entry_form_starts_on_today_with_usual_answers_and_no_symptoms(client, login):
    patient, guardian = family()
    make.entry(patient, guardian, today() - timedelta(days=1), rash=2)
    login(guardian)
    page = client.get(f"/family/{patient.id}/diary/new").get_data(as_text=True)
    assert f'max="{today().isoformat()}"' in page  # the date picker offers no future day
    assert f'value="{today().isoformat()}"' in page
    assert checked(page, "strength") == ["0"]
    assert checked(page, "rash") == ["2"]  # yesterday's rash, as a starting answer
    assert checked(page, "rash_change") == ["0"]
    assert all(checked(page, s) == ["0"] for s in ("headache", "nausea", "muscle_pain"))
    assert checked(page, "warning_signs") == []
    assert '<legend class="label">Mood</legend>' in page


def test_an_all_fine_day_is_saved_and_placed_on_the_calendar(client, login):
    patient, guardian = family()
    login(guardian)
    form = client.get(f"/family/{patient.id}/diary/new").get_data(as_text=True)
    response = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": hidden_client_id(form),
            "date": today().isoformat(),
            "strength": "0",
            "rash_change": "0",
            "mood": "4",
            **dict.fromkeys(
                ["headache", "nausea", "vomiting", "diarrhoea", "tiredness", "muscle_pain"], "0"
            ),
        },
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(DiaryEntry))
    assert (entry.author_role, entry.author_id, entry.mood) == ("guardian", guardian.id, 4)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Day 3 after course 1 (2 g/kg over 5 days)" in page
    assert "Written by Grace Okafor" in page
    assert 'role="alert"' not in page


def test_a_double_tapped_save_stores_the_entry_once(client, login):
    patient, guardian = family()
    login(guardian)
    form = client.get(f"/family/{patient.id}/diary/new").get_data(as_text=True)
    data = {"client_id": hidden_client_id(form), "date": today().isoformat(), "mood": "3"}
    first = client.post_form(f"/family/{patient.id}/diary/new", data)
    second = client.post_form(f"/family/{patient.id}/diary/new", data)
    assert first.headers["Location"] == second.headers["Location"]
    assert entry_count() == 1


def test_bad_input_names_each_field_saves_nothing_and_keeps_what_was_typed(client, login):
    patient, guardian = family()
    login(guardian)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    note = "Slept badly. " + "x" * 2000
    response = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": "0b7c8d1e-1111-4222-8333-944455556666",
            "date": tomorrow,
            "temperature_c": "45.2",
            "headache": "5",
            "warning_signs": ["dark_urine", "purple_toes"],
            "note": note,
            "mood": "2",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert entry_count() == 0
    assert "The date cannot be in the future." in page
    assert "between 34 and 43" in page
    assert "Choose none, mild, moderate or severe" in page
    assert "Unknown warning sign: purple_toes." in page
    assert "Keep the note to 2,000 characters" in page
    # what was typed is still there
    assert f'value="{tomorrow}"' in page
    assert 'value="45.2"' in page
    assert note in page
    assert checked(page, "mood") == ["2"]
    assert checked(page, "warning_signs") == ["dark_urine"]
    assert page.count('<a href="#') >= 5  # the summary links each field


def test_a_fever_shows_urgent_advice_with_the_clinics_number(client, login):
    patient, guardian = family()
    login(guardian)
    response = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": "5d0a8f4e-2222-4333-8444-955566667777",
            "date": today().isoformat(),
            "temperature_c": "38.6",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    panel = page[page.index('class="urgent-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert 'role="alert"' in panel
    assert "Call the clinic now" in panel
    assert "Temperature 38.6 °C" in panel
    assert 'href="tel:01614960123"' in panel
    assert "999" in panel and "A&amp;E" in panel
    assert "mg" not in panel and "paracetamol" not in panel.lower()


def test_chest_pain_puts_999_first(client, login):
    patient, guardian = family()
    login(guardian)
    page = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": "6e1b9a5f-3333-4444-8555-a66677778888",
            "date": today().isoformat(),
            "warning_signs": ["chest_pain"],
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "<h2" in page and "Call 999 now</h2>" in page


def test_the_other_guardian_sees_the_same_entries_and_who_wrote_each(client, login):
    patient, grace = family()
    other = make.user(Role.GUARDIAN, patients=[patient])
    other.display_name = "Sam Okafor"
    child = make.user(Role.CHILD, patients=[patient])
    db.session.commit()
    make.entry(patient, grace, today() - timedelta(days=2), mood=3)
    make.entry(patient, child, today() - timedelta(days=1), mood=5)
    login(other)
    page = client.get(f"/family/{patient.id}/diary").get_data(as_text=True)
    assert "By Grace Okafor" in page
    assert "Maya&#39;s own report" in page
    assert "Day 1 after course 1" in page and "Day 2 after course 1" in page


def test_diary_home_prompts_for_today_in_the_fourteen_days_after_a_course(client, login):
    patient, guardian = family()
    login(guardian)
    assert "Add today's entry" in client.get(f"/family/{patient.id}/diary").get_data(True)
    make.entry(patient, guardian, today())
    assert "Add today's entry" not in client.get(f"/family/{patient.id}/diary").get_data(True)


def test_no_prompt_long_after_a_course(client, login):
    patient = make.patient()
    make.course(patient, today() - timedelta(days=40), status="given")
    login(make.user(Role.GUARDIAN, patients=[patient]))
    page = client.get(f"/family/{patient.id}/diary").get_data(as_text=True)
    assert "Add today's entry" in page  # the same words on every child's page
    assert "New entry" not in page


def test_an_edit_keeps_the_earlier_answers_who_changed_them_and_when(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today(), temperature_c=37.2, note="fine")
    other = make.user(Role.GUARDIAN, patients=[patient])
    login(other)
    url = f"/family/{patient.id}/diary/{entry.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="37.2"' in form and "fine</textarea>" in form
    response = client.post_form(
        url, {"date": today().isoformat(), "temperature_c": "37.8", "note": "fine"}
    )
    assert response.status_code == 302
    version = db.session.scalar(select(DiaryEntryVersion))
    assert version.action == "edit"
    assert version.changed_by_id == other.id
    assert version.previous["temperature_c"] == 37.2
    assert version.changed_fields == ["temperature_c"]
    assert db.session.get(DiaryEntry, entry.id).temperature_c == 37.8
    page = client.get(f"/family/{patient.id}/diary/{entry.id}").get_data(as_text=True)
    assert "changed temperature" in page


def test_delete_asks_first_then_hides_the_entry_and_keeps_a_record(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today(), mood=2)
    login(guardian)
    url = f"/family/{patient.id}/diary/{entry.id}/delete"
    assert "Delete the entry for" in client.get(url).get_data(as_text=True)
    assert db.session.get(DiaryEntry, entry.id).deleted_at is None
    response = client.post_form(url)
    assert response.status_code == 302
    kept = db.session.get(DiaryEntry, entry.id)
    assert kept.deleted_at is not None and kept.deleted_by_id == guardian.id
    assert [v.action for v in kept.versions] == ["delete"]
    assert client.get(f"/family/{patient.id}/diary/{entry.id}").status_code == 404
    assert "No entries yet" in client.get(f"/family/{patient.id}/diary").get_data(True)


def test_delete_without_the_form_token_changes_nothing(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today())
    login(guardian)
    client.post(f"/family/{patient.id}/diary/{entry.id}/delete", data={})
    assert db.session.get(DiaryEntry, entry.id).deleted_at is None


def test_a_note_with_a_script_tag_is_shown_as_text(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today(), note="<script>alert(1)</script> & more")
    login(guardian)
    page = client.get(f"/family/{patient.id}/diary/{entry.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert(1)" not in page
    assert db.session.get(DiaryEntry, entry.id).note == "<script>alert(1)</script> & more"


def test_a_guardian_may_delete_but_not_rewrite_a_childs_own_report(client, login):
    patient, guardian = family()
    child = make.user(Role.CHILD, patients=[patient])
    entry = make.entry(patient, child, today(), mood=4)
    login(guardian)
    assert client.get(f"/family/{patient.id}/diary/{entry.id}/edit").status_code == 404
    assert client.get(f"/family/{patient.id}/diary/{entry.id}/delete").status_code == 200


def queries_for(client, url: str) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_diary_page_places_many_entries_without_a_query_per_entry(client, login):
    patient, guardian = family()
    make.course(patient, today() - timedelta(days=60), status="given")
    for n in range(3):
        make.entry(patient, guardian, today() - timedelta(days=n), mood=3)
    login(guardian)
    url = f"/family/{patient.id}/diary"
    few = queries_for(client, url)
    for n in range(3, 15):
        make.entry(patient, guardian, today() - timedelta(days=n), mood=3)
    many = queries_for(client, url)
    assert many == few


def test_opening_new_when_today_is_logged_offers_to_change_it(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today())
    login(guardian)
    page = client.get(f"/family/{patient.id}/diary/new").get_data(as_text=True)
    assert "You already logged today" in page
    assert f"/family/{patient.id}/diary/{entry.id}/edit" in page
    assert "another=1" in page
    home = client.get(f"/family/{patient.id}/diary").get_data(as_text=True)
    assert "Change today's entry" in home


def test_back_then_save_with_a_new_form_id_does_not_make_a_second_entry(client, login):
    patient, guardian = family()
    make.entry(patient, guardian, today())
    login(guardian)
    response = client.post_form(
        f"/family/{patient.id}/diary/new",
        {"client_id": str(uuid.uuid4()), "date": today().isoformat(), "mood": "3"},
    )
    assert response.status_code == 200
    assert "You already saved an entry for this day" in response.get_data(as_text=True)
    assert entry_count() == 1
    again = client.post_form(
        f"/family/{patient.id}/diary/new",
        {"client_id": str(uuid.uuid4()), "date": today().isoformat(), "mood": "3", "another": "y"},
    )
    assert again.status_code == 302
    assert entry_count() == 2
    home = client.get(f"/family/{patient.id}/diary").get_data(as_text=True)
    assert "2 entries" in home


def test_an_edit_says_the_changes_were_saved(client, login):
    patient, guardian = family()
    entry = make.entry(patient, guardian, today(), note="fine")
    login(guardian)
    url = f"/family/{patient.id}/diary/{entry.id}/edit"
    data = {"date": today().isoformat(), "note": "better"}
    page = client.post_form(url, data, follow_redirects=True).get_data(as_text=True)
    assert "Your changes were saved." in page
    assert "already saved" not in page
