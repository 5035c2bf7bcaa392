"""The demo shows months of diary by the parent and the child, with one alert still open."""

from sqlalchemy import func, select

from portal.diary.models import Alert, DiaryEntry
from portal.extensions import db
from portal.services.clock import today
from portal.services.demo import load_demo_data


def counts() -> tuple[int, int, int]:
    entries = db.session.scalar(select(func.count()).select_from(DiaryEntry))
    alerts = db.session.scalar(select(func.count()).select_from(Alert))
    waiting = db.session.scalar(
        select(func.count()).select_from(Alert).where(Alert.acknowledged_at.is_(None))
    )
    return entries, alerts, waiting


def test_demo_diary_loads_once_with_acknowledged_and_waiting_alerts(client):
    load_demo_data(today())
    db.session.commit()
    first = counts()
    load_demo_data(today())
    db.session.commit()
    assert counts() == first
    entries, alerts, waiting = first
    assert entries > 100 and alerts > waiting >= 1
    roles = set(db.session.scalars(select(DiaryEntry.author_role)))
    assert roles == {"guardian", "child"}
    client.post_form("/login", {"email": "clinician@demo.test", "password": "demo-pass-1234"})
    assert "Maya Okafor" in client.get("/clinic/triage").get_data(as_text=True)
