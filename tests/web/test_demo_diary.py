"""The demo shows a diary with entries by the parent and the child, and one alert."""

from sqlalchemy import func, select

from portal.diary.models import Alert, DiaryEntry
from portal.extensions import db
from portal.services.clock import today
from portal.services.demo import load_demo_data


def counts() -> tuple[int, int]:
    entries = db.session.scalar(select(func.count()).select_from(DiaryEntry))
    return entries, db.session.scalar(select(func.count()).select_from(Alert))


def test_demo_diary_entries_load_once_with_one_alert(client):
    load_demo_data(today())
    db.session.commit()
    first = counts()
    load_demo_data(today())
    db.session.commit()
    assert counts() == first
    assert first[0] >= 3 and first[1] == 1
    roles = set(db.session.scalars(select(DiaryEntry.author_role)))
    assert roles == {"guardian", "child"}
    client.post_form("/login", {"email": "clinician@demo.test", "password": "demo-pass-1234"})
    assert "Maya Okafor" in client.get("/clinic/triage").get_data(as_text=True)
