"""The dashboard's patient list: filters, server-side pages of 50, search, and a page that
stays small and costs the same queries in a clinic of 500 patients."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta

from sqlalchemy import insert

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import InfusionCourse
from portal.patients.models import Patient
from tests import factories as make
from tests.querycount import counted_queries

ROW = re.compile(r'<th scope="row" role="rowheader"><a href="/clinic/patients/\d+">([^<]+)</a>')


def listed(page: str) -> list[str]:
    """Names in the patient list (not the triage or unreviewed sections)."""
    return ROW.findall(page.split('id="patients-heading"')[1])


def bulk_clinic(clinic, count: int) -> list[int]:
    """`count` patients, each with a given and a planned course and a fortnight of entries
    (the last few unreviewed), every tenth with an open fever alert; written in bulk."""
    day = today()
    db.session.execute(
        insert(Patient),
        [{"clinic_id": clinic.id, "patient_ref": f"BULK{clinic.id}-{n:04d}",
          "name": f"Bulk Patient{n:04d}", "date_of_birth": day - timedelta(days=3650),
          "sex": "female", "subtype": "", "weight_kg": 30.0} for n in range(count)],
    )  # fmt: skip
    ids = list(db.session.scalars(db.select(Patient.id).where(Patient.clinic_id == clinic.id)))
    db.session.execute(
        insert(InfusionCourse),
        [{"patient_id": pid, "start_date": day - timedelta(days=30 + n % 20), "days": 5,
          "total_dose_g_per_kg": 2.0, "product": "Privigen", "status": "given"}
         for n, pid in enumerate(ids)]
        + [{"patient_id": pid, "start_date": day + timedelta(days=5 + n % 30), "days": 5,
            "total_dose_g_per_kg": 2.0, "product": "Privigen", "status": "planned"}
           for n, pid in enumerate(ids)],
    )  # fmt: skip
    reviewed = now_utc()
    db.session.execute(
        insert(DiaryEntry),
        [{"patient_id": pid, "client_id": f"bulk-{pid}-{d}", "entry_date": day - timedelta(days=d),
          "author_role": "guardian", "strength": d % 5 - 2, "temperature_c": 37.0,
          "reviewed_at": reviewed if d > 2 else None}
         for pid in ids for d in range(14)],
    )  # fmt: skip
    newest = dict(
        db.session.execute(
            db.select(DiaryEntry.patient_id, db.func.max(DiaryEntry.id)).group_by(
                DiaryEntry.patient_id
            )
        ).all()
    )
    db.session.execute(
        insert(Alert),
        [{"patient_id": pid, "entry_id": newest[pid], "reasons": ["fever"], "urgency": 1,
          "created_at": reviewed} for pid in ids[::10]],
    )  # fmt: skip
    db.session.commit()
    return ids


def test_the_list_is_paged_fifty_at_a_time_in_name_order(client, login):
    clinic = make.clinic()
    bulk_clinic(clinic, 120)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    first = client.get("/clinic/dashboard").get_data(as_text=True)
    assert listed(first) == [f"Bulk Patient{n:04d}" for n in range(50)]
    assert "Page 1 of 3" in first and 'href="/clinic/dashboard?page=2#patients-heading"' in first
    third = client.get("/clinic/dashboard?page=3").get_data(as_text=True)
    assert listed(third) == [f"Bulk Patient{n:04d}" for n in range(100, 120)]
    assert "Next page" not in third and "Previous page" in third
    beyond = client.get("/clinic/dashboard?page=99").get_data(as_text=True)
    assert listed(beyond) == listed(third)  # past the end is the last page
    assert listed(client.get("/clinic/dashboard?page=abc").get_data(as_text=True)) == listed(first)


def test_each_filter_narrows_the_list_to_the_patients_it_names(client, login):
    clinic = make.clinic()
    login(make.user(Role.CLINICIAN, clinic=clinic))
    waiting = make.patient(clinic, name="Una Unreviewed")
    make.diary_row(waiting, today() - timedelta(days=20))
    reviewed = make.patient(clinic, name="Rex Reviewed")
    make.diary_row(reviewed, today(), reviewed_at=now_utc())
    in_window = make.patient(clinic, name="Wyn Window")
    make.course(in_window, today() - timedelta(days=18), days=5)  # day 14 after: inside
    out_window = make.patient(clinic, name="Otto Outside")
    make.course(out_window, today() - timedelta(days=19), days=5)  # day 15 after: outside
    under_way = make.patient(clinic, name="Ula Underway")
    make.course(under_way, today() - timedelta(days=1), days=3, status="planned")
    soon = make.patient(clinic, name="Sam Soon")
    make.course(soon, today() + timedelta(days=14), status="planned")
    later = make.patient(clinic, name="Lou Later")
    make.course(later, today() + timedelta(days=15), status="planned")

    def names(query: str) -> set[str]:
        return set(listed(client.get(f"/clinic/dashboard?{query}").get_data(as_text=True)))

    assert names("unreviewed=y") == {"Una Unreviewed"}
    assert names("in_window=y") == {"Wyn Window", "Ula Underway"}
    assert names("next_course=y") == {"Sam Soon"}
    # Not logged for 7 days: Rex logged today; everyone else not in the last 7 days.
    assert "Rex Reviewed" not in names("quiet_days=7")
    assert "Una Unreviewed" in names("quiet_days=7")
    assert "Una Unreviewed" not in names("quiet_days=30")  # logged 20 days ago
    assert names("unreviewed=y&quiet_days=30") == set()


def test_a_refused_number_of_days_is_named_and_the_list_is_not_narrowed_by_it(client, login):
    clinic = make.clinic()
    make.patient(clinic, name="Ada Any")
    login(make.user(Role.CLINICIAN, clinic=clinic))
    page = client.get("/clinic/dashboard?quiet_days=5000").get_data(as_text=True)
    assert "Choose between 1 and 365 days." in page
    assert listed(page) == ["Ada Any"]


def test_search_pages_by_post_and_keeps_names_out_of_the_links(client, login):
    clinic = make.clinic()
    bulk_clinic(clinic, 60)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    page = client.post_form("/clinic/dashboard", {"q": "bulk patient"}).get_data(as_text=True)
    assert len(listed(page)) == 50
    assert 'name="page" value="2"' in page and "q=" not in page
    second = client.post_form("/clinic/dashboard", {"q": "bulk patient", "page": "2"})
    assert listed(second.get_data(as_text=True))[0] == "Bulk Patient0050"
    narrowed = client.post_form("/clinic/dashboard", {"q": "patient0007", "unreviewed": "y"})
    assert listed(narrowed.get_data(as_text=True)) == ["Bulk Patient0007"]


def test_a_500_patient_clinic_dashboard_is_under_60_kb_gzipped(client, login):
    clinic = make.clinic()
    bulk_clinic(clinic, 500)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    body = client.get("/clinic/dashboard").get_data()
    weight = len(gzip.compress(body))
    assert len(listed(body.decode())) == 50
    assert body.decode().count('class="triage-item') == 50  # every open alert is still there
    assert weight <= 60 * 1024, f"{weight} bytes gzipped ({len(body)} raw)"


def test_the_dashboard_query_count_is_the_same_for_60_and_500_patients_and_any_page(client, login):
    small, large = make.clinic(), make.clinic()
    bulk_clinic(small, 60)
    bulk_clinic(large, 500)
    counts = {}
    filtered = "/clinic/dashboard?page=3&next_course=y&unreviewed=y"
    for clinic, url in (
        (small, "/clinic/dashboard"),
        (large, "/clinic/dashboard"),
        (large, filtered),
    ):
        client.post_form("/logout")
        login(make.user(Role.CLINICIAN, clinic=clinic))
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[(clinic.id, url)] = len(statements)
    assert len(set(counts.values())) == 1, counts
