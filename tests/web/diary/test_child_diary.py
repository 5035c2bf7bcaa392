"""A child's own page: mood and strength in the child's words, kept as the child's report."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from tests import factories as make


def test_a_child_records_mood_and_strength_with_faces_and_plain_words(client, login):
    patient = make.patient(name="Maya Okafor")
    child = make.user(Role.CHILD, patients=[patient])
    login(child)
    page = client.get(f"/family/{patient.id}/my-day").get_data(as_text=True)
    assert "How do you feel today?" in page
    assert page.count('class="face face-') == 5
    assert "Much stronger" in page and "Very happy" in page
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post_form(
        f"/family/{patient.id}/my-day", {"client_id": client_id, "mood": "4", "strength": "1"}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(DiaryEntry))
    assert (entry.author_role, entry.author_id) == ("child", child.id)
    assert (entry.mood, entry.strength, entry.entry_date) == (4, 1, today())
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you!" in after
    assert "happy, muscles a bit stronger" in after


def test_sending_with_nothing_chosen_asks_for_a_face_and_saves_nothing(client, login):
    patient = make.patient()
    login(make.user(Role.CHILD, patients=[patient]))
    response = client.post_form(
        f"/family/{patient.id}/my-day", {"client_id": "7a2c0b6d-4444-4555-8666-b77788889999"}
    )
    assert response.status_code == 200
    assert "Choose a face, or how strong you feel." in response.get_data(as_text=True)
    assert db.session.scalar(select(DiaryEntry)) is None


def test_a_child_cannot_use_the_guardians_diary_pages(client, login):
    patient = make.patient()
    login(make.user(Role.CHILD, patients=[patient]))
    for url in (f"/family/{patient.id}/diary", f"/family/{patient.id}/diary/new"):
        assert client.get(url).status_code == 404
    assert client.post_form(f"/family/{patient.id}/diary/new", {"mood": "3"}).status_code == 404


def test_a_guardian_cannot_post_as_the_child(client, login):
    patient = make.patient()
    login(make.user(Role.GUARDIAN, patients=[patient]))
    assert client.get(f"/family/{patient.id}/my-day").status_code == 404
