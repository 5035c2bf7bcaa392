"""Loading site summaries at the hub: all or nothing, signed by the registered key, newest wins."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from portal.research.models import SiteSummary, SummaryCourse
from portal.research.signing import fingerprint
from tests import factories as make
from tests.querycount import counted_queries
from tests.web.research.sites import (
    add_courses,
    public_key,
    register,
    resign,
    site_database,
    upload,
    write_summary,
)

ERROR = '<p class="error-message" id="file-error">'


@pytest.fixture
def site(tmp_path):
    with site_database(tmp_path, "north") as app:
        with app.app_context():
            add_courses(make.clinic("North"), 3, [1, 2, 3, 4, 5, 6], headaches=6)
        yield app


@pytest.fixture
def admin(client, login_as):
    login_as(Role.ADMIN)
    return client


def courses_loaded() -> int:
    return db.session.scalar(select(func.count()).select_from(SummaryCourse))


def refusal(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and ERROR in page, page[-1500:]
    return page.split(ERROR)[1].split("</p>")[0]


def test_a_registered_sites_summary_is_loaded_with_every_course(admin, site, tmp_path):
    assert register(admin, "north", public_key(site)).status_code == 302
    response = upload(admin, write_summary(site, tmp_path / "s.json"))
    assert response.status_code == 302
    assert courses_loaded() == 6
    page = admin.get("/admin/research/").get_data(as_text=True)
    assert fingerprint(public_key(site)) in page


def test_a_file_changed_after_signing_is_refused_and_nothing_is_loaded(admin, site, tmp_path):
    register(admin, "north", public_key(site))
    document = json.loads(write_summary(site, tmp_path / "s.json"))
    document["payload"]["courses"][0]["myometry_change"] = 50.0
    message = refusal(upload(admin, json.dumps(document).encode()))
    assert "signature does not match" in message
    assert courses_loaded() == 0


def test_a_summary_signed_with_another_key_is_refused(admin, site, tmp_path):
    register(admin, "north", public_key(site))
    with site_database(tmp_path, "impostor") as other, other.app_context():
        add_courses(make.clinic("Elsewhere"), 5, [1, 2])
        forged = resign(other, write_summary(other, tmp_path / "f.json"),
                        lambda p: p.update(site="north"))  # fmt: skip
    assert "signature does not match" in refusal(upload(admin, forged))


def test_a_summary_from_a_site_not_registered_is_refused(admin, site, tmp_path):
    message = refusal(upload(admin, write_summary(site, tmp_path / "s.json")))
    assert "not registered" in message


def test_the_same_file_twice_is_refused_the_second_time(admin, site, tmp_path):
    register(admin, "north", public_key(site))
    data = write_summary(site, tmp_path / "s.json")
    upload(admin, data)
    assert "loaded already" in refusal(upload(admin, data))
    assert courses_loaded() == 6


def test_a_newer_summary_replaces_the_earlier_and_an_older_one_is_refused(admin, site, tmp_path):
    register(admin, "north", public_key(site))
    first = write_summary(site, tmp_path / "first.json")
    upload(admin, first)
    with site.app_context():
        add_courses(db.session.scalar(select(Clinic)), 5, [1, 1, 1])
    later = (today() + timedelta(days=30)).isoformat()
    newer = resign(site, write_summary(site, tmp_path / "newer.json"),
                   lambda p: p.update(generated_on=later))  # fmt: skip
    assert upload(admin, newer).status_code == 302
    current = db.session.scalars(
        select(SiteSummary).where(SiteSummary.superseded_at.is_(None))
    ).all()
    assert [(s.generated_on.isoformat(), s.course_count) for s in current] == [(later, 9)]
    report = admin.get("/admin/research/report.json").json
    assert report["all_regimens"]["courses"] == 9  # the earlier summary no longer counts
    assert "newer summary" in refusal(upload(admin, resign(site, first, lambda p: None)))


def test_a_row_holding_anything_beyond_the_agreed_fields_is_refused(admin, site, tmp_path):
    register(admin, "north", public_key(site))

    def add_a_name(payload):
        payload["courses"][2]["patient_name"] = "Secret Name2"

    smuggled = resign(site, write_summary(site, tmp_path / "s.json"), add_a_name)
    message = refusal(upload(admin, smuggled))
    assert "Course 3 of the summary" in message and "never holds" in message
    assert courses_loaded() == 0


@pytest.mark.parametrize(
    "data",
    [b"not json", b"\xff\xfe", b"[]", b'{"payload": {}, "signature": "x"}', b"{" * 5000],
)
def test_files_that_are_no_summary_are_refused_with_a_message(admin, data):
    assert refusal(upload(admin, data))
    assert courses_loaded() == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("age_band", ["5-9"]),
        ("days", 10**400),
        ("myometry_change", 1e308 * 10),
        ("interval_days", 2.5),
        ("lots", ["not-a-hash"]),
        ("side_effects", ["headache", {"x": 1}]),
        ("product", "Privigen\x00"),
        ("changes", {"walk_28ft_seconds": "fast"}),
    ],
)
def test_a_row_out_of_shape_is_refused_whole_never_a_500(admin, site, tmp_path, field, value):
    register(admin, "north", public_key(site))

    def spoil(payload):
        payload["courses"][1][field] = value

    spoiled = resign(site, write_summary(site, tmp_path / "s.json"), spoil)
    message = refusal(upload(admin, spoiled))
    assert "Course 2 of the summary" in message and field in message
    assert courses_loaded() == 0


def test_a_site_code_and_key_are_checked_at_their_fields(admin, site):
    page = register(admin, "North Site!", "not a key").get_data(as_text=True)
    assert '<p class="error-message" id="code-error">' in page
    assert '<p class="error-message" id="public_key-error">' in page
    register(admin, "north", public_key(site))
    again = register(admin, "north", public_key(site)).get_data(as_text=True)
    assert "registered already" in again


def test_only_administrators_reach_the_hub(client, login):
    clinic = make.clinic()
    for user in (make.user(Role.CLINICIAN, clinic=clinic), make.user(Role.GUARDIAN)):
        login(user)
        for url in ("/admin/research/", "/admin/research/report.json",
                    "/admin/research/sites/new", "/admin/research/summaries/new"):  # fmt: skip
            assert client.get(url).status_code == 404
        client.post_form("/logout")


def test_the_hub_reads_as_many_queries_for_a_few_courses_as_for_many(admin, tmp_path):
    counts = []
    for code, number in (("few", 6), ("many", 60)):
        with site_database(tmp_path, code) as app:
            with app.app_context():
                add_courses(make.clinic(code), 3, [1.0] * number)
            register(admin, code, public_key(app))
            upload(admin, write_summary(app, tmp_path / f"{code}.json"))
        with counted_queries() as statements:
            assert admin.get("/admin/research/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_registering_a_site_and_loading_a_summary_are_audited(admin, site, tmp_path):
    register(admin, "north", public_key(site))
    upload(admin, write_summary(site, tmp_path / "s.json"))
    admin.get("/admin/research/report.csv")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    mine = [(e.action, e.object_type) for e in events if e.object_type != "user"]
    assert ("create", "research_site") in mine and ("create", "site_summary") in mine
    assert ("export", "hub_report") in mine
