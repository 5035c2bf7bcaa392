"""The review page for forty reports: one line for an ordinary report, the whole of an
unusual one; mark all shown at once; every action returns to the same place, at the next item."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from tests import factories as make


def review_url(patient, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/clinic/patients/{patient.id}/review" + (f"?{query}" if query else "")


def card(page: str, entry) -> str:
    start = page.rindex("<article", 0, page.index(f'id="entry-{entry.id}"'))
    return page[start : page.index("</article>", start)]


def order_of(page: str) -> list[str]:
    return re.findall(r'<article class="entry-card[^"]*" id="((?:entry|assessment)-\d+)"', page)


def test_an_ordinary_report_is_one_line_and_an_unusual_one_is_shown_in_full(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    ordinary = make.diary_row(patient, today(), strength=0, mood=4, rash=0, temperature_c=36.8)
    headache = make.diary_row(patient, today() - timedelta(days=1), headache=2)
    noted = make.diary_row(patient, today() - timedelta(days=2), note="Slept badly")
    weaker = make.diary_row(patient, today() - timedelta(days=3), strength=-1)
    page = client.get(review_url(patient)).get_data(as_text=True)
    line = card(page, ordinary)
    assert "entry-compact" in line and "No symptoms" in line and "36.8 °C" in line
    assert '<dl class="entry-facts">' not in line
    assert "Reply to the family" in line  # still answerable
    for unusual in (headache, noted, weaker):
        assert "entry-compact" not in card(page, unusual)
        assert '<dl class="entry-facts">' in card(page, unusual)
    assert "Headache: moderate" in card(page, headache)


def test_mark_all_shown_reviews_every_report_on_the_page_and_no_other(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    shown = [make.diary_row(patient, today() - timedelta(days=n)) for n in range(5)]
    older = make.diary_row(patient, today() - timedelta(days=120))  # before the window
    page = client.get(review_url(patient)).get_data(as_text=True)
    assert "Mark all 5 shown reviewed" in page
    ids = re.findall(r'name="shown_ids" value="(\d+)"', page)
    assert sorted(map(int, ids)) == sorted(e.id for e in shown)
    response = client.post_form(review_url(patient), {"scope": "shown", "shown_ids": ids})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#review-end")
    db.session.expire_all()
    assert all(db.session.get(DiaryEntry, e.id).reviewed_at for e in shown)
    assert db.session.get(DiaryEntry, older.id).reviewed_at is None


def test_marking_ticked_reports_comes_back_to_the_report_after_the_last_ticked(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    entries = [make.diary_row(patient, today() - timedelta(days=n)) for n in range(4)]
    old_end = (today() - timedelta(days=1)).isoformat()
    page = client.get(review_url(patient, end=old_end)).get_data(as_text=True)
    order = order_of(page)
    ticked = [entries[1].id, entries[2].id]
    response = client.post_form(review_url(patient, end=old_end), {"entry_ids": ticked})
    location = response.headers["Location"]
    after = order[order.index(f"entry-{entries[2].id}") + 1]
    assert location == f"{review_url(patient, end=old_end)}#{after}"


def test_acknowledging_and_replying_return_to_the_same_place_at_the_next_item(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    first = make.diary_row(patient, today(), temperature_c=38.6)
    alert = make.alert(first)
    second = make.diary_row(patient, today() - timedelta(days=1), headache=1)
    page = client.get(review_url(patient)).get_data(as_text=True)
    next_field = re.search(r'name="next" value="([^"]+)"', card(page, first)).group(1)
    assert next_field == f"{review_url(patient)}#entry-{second.id}"
    ack = client.post_form(f"/clinic/alerts/{alert.id}/acknowledge", {"next": next_field})
    assert ack.headers["Location"] == next_field
    reply_next = re.findall(r'name="next" value="([^"]+)"', card(page, first))[-1]
    replied = client.post_form(
        f"/clinic/entries/{first.id}/reply", {"text": "Please call us.", "next": reply_next}
    )
    assert replied.headers["Location"] == f"{review_url(patient)}#entry-{second.id}"


@pytest.mark.parametrize(
    "target",
    # A browser drops tabs, line breaks and NULs from a URL: "/\t/evil.test" is "//evil.test".
    ["https://evil.test/", "/\t/evil.test/", "/\n/evil.test/", "/\x00/evil.test/"],
)
def test_a_reply_cannot_be_sent_on_to_another_site(client, login_as, target):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    entry = make.diary_row(patient, today())
    replied = client.post_form(
        f"/clinic/entries/{entry.id}/reply", {"text": "Seen.", "next": target}
    )
    assert replied.headers["Location"] == review_url(patient)


def test_mark_all_shown_on_a_page_with_nothing_waiting_offers_no_button(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    make.diary_row(patient, today(), reviewed_at=db.func.now())
    page = client.get(review_url(patient)).get_data(as_text=True)
    assert "shown reviewed" not in page
    refused = client.post_form(review_url(patient), {"scope": "shown"})
    assert "No report on this page waits for review." in refused.get_data(as_text=True)
