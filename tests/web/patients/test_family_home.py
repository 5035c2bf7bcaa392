"""The family side: the infusion calendar, the child's own login, and what a child sees."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import Role, User
from portal.core.clock import today
from portal.core.extensions import db
from portal.main.filters import long_date
from tests import factories as make
from tests.factories import PASSWORD


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by a heading id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, heading_id
    return match.group(1)


def test_calendar_shows_past_courses_and_the_next_one(client, login_as):
    patient = make.patient(name="Ada Lovelace")
    first = make.course(patient, today() - timedelta(days=90), days=3)
    second = make.course(patient, today() - timedelta(days=40), days=5)
    make.course(patient, today() - timedelta(days=20), status="cancelled")
    nxt = make.course(patient, today() + timedelta(days=9), status="planned")
    later = make.course(patient, today() + timedelta(days=51), status="planned")
    login_as(Role.GUARDIAN, patients=[patient])

    page = html.unescape(client.get(f"/family/{patient.id}/calendar").get_data(as_text=True))
    assert "Ada's infusions" in page
    card = section(page, "next-course-heading")
    assert long_date(nxt.start_date) in card and "In 9 days" in card
    assert f"Last infusion ended {long_date(second.end_date)}" in card
    coming = section(page, "coming-heading")
    assert coming.index(long_date(nxt.start_date)) < coming.index(long_date(later.start_date))
    assert "Course 3" in coming and "Course 4" in coming and "Planned" in coming
    past = section(page, "past-heading")
    assert past.index("Cancelled course") < past.index("Course 2") < past.index("Course 1")
    assert long_date(first.start_date) in past and "2 g/kg over 3 days" in past
    assert "Given" in past


def test_calendar_without_courses_says_so(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    page = client.get(f"/family/{patient.id}/calendar").get_data(as_text=True)
    assert "No infusions are recorded yet" in page
    assert "No infusion is planned yet" in page


def test_family_home_shows_the_next_infusion_and_the_clinic_phone(client, login_as):
    clinic = make.clinic("Northern Children's", phone="0161 496 0123")
    patient = make.patient(clinic, name="Ada Lovelace")
    make.course(patient, today() + timedelta(days=1), status="planned")
    login_as(Role.GUARDIAN, patients=[patient])
    page = html.unescape(client.get(f"/family/{patient.id}").get_data(as_text=True))
    assert "In 1 day" in page
    assert 'href="tel:01614960123"' in page
    assert "Infusion calendar" in page


def create_child_login(client, patient, username="ada.l", password="purple-rocket-7"):
    return client.post_form(
        f"/family/{patient.id}/child-login",
        {"username": username, "password": password, "confirm": password},
    )


def test_guardian_creates_a_login_and_the_child_sees_only_themself(client, app, login_as):
    clinic = make.clinic()
    ada, leo = make.patient(clinic, name="Ada Lovelace"), make.patient(clinic, name="Leo L")
    make.course(ada, today() + timedelta(days=5), status="planned")
    login_as(Role.GUARDIAN, patients=[ada, leo])
    response = create_child_login(client, ada, username="Ada.L")
    assert response.status_code == 302
    child = db.session.scalars(select(User).where(User.role == "child")).one()
    assert child.email == "ada.l" and child.patients == [ada]

    kid = app.test_client()
    assert kid.post_form("/login", {"email": "ADA.L", "password": "purple-rocket-7"}).status_code
    assert kid.get("/family").headers["Location"].endswith(f"/family/{ada.id}")
    home = kid.get(f"/family/{ada.id}").get_data(as_text=True)
    assert "Ada" in home and "Leo" not in home
    assert "own login" not in home and "Add another child" not in home
    assert kid.get(f"/family/{ada.id}/calendar").status_code == 200
    assert kid.get(f"/family/{leo.id}").status_code == 404
    assert kid.get(f"/family/{leo.id}/calendar").status_code == 404


@pytest.mark.parametrize(
    "url", ["/family/{id}/child-login", "/enrol", "/clinic/", "/clinic/patients/{id}", "/admin/"]
)
def test_child_cannot_reach_guardian_or_staff_pages(client, login_as, url):
    patient = make.patient()
    login_as(Role.CHILD, patients=[patient])
    assert client.get(url.format(id=patient.id)).status_code == 404


def test_child_cannot_create_logins_or_redeem_codes(client, login_as):
    patient = make.patient()
    login_as(Role.CHILD, patients=[patient])
    users = db.session.scalars(select(User)).all()
    assert create_child_login(client, patient, username="sneaky").status_code == 404
    assert client.post_form("/enrol", {"code": "ABCD-EFGH-JKMN"}).status_code == 404
    assert len(db.session.scalars(select(User)).all()) == len(users)


def test_child_login_form_names_its_problems_and_keeps_the_username(client, login_as):
    patient = make.patient()
    make.user(Role.CHILD, email="taken.name")
    login_as(Role.GUARDIAN, patients=[patient])
    page = create_child_login(client, patient, username="taken.name").get_data(as_text=True)
    assert "That login is already in use." in page and 'value="taken.name"' in page
    page = create_child_login(client, patient, username="ok.name", password="short").get_data(
        as_text=True
    )
    assert "Password for the child: Use at least 10 characters." in page
    page = create_child_login(client, patient, username="no").get_data(as_text=True)
    assert "Username for the child: Use 3 or more letters or digits" in page
    assert db.session.scalar(select(User).where(User.email == "ok.name")) is None


def test_a_child_has_one_login_only(client, login_as):
    patient = make.patient(name="Ada Lovelace")
    login_as(Role.GUARDIAN, patients=[patient])
    create_child_login(client, patient, username="ada.one")
    page = create_child_login(client, patient, username="ada.two").get_data(as_text=True)
    assert "Ada already has a login: <strong>ada.one</strong>" in page
    assert db.session.scalar(select(User).where(User.email == "ada.two")) is None


def test_guardian_of_another_child_cannot_make_a_login_for_it(client, login_as):
    mine, theirs = make.patient(), make.patient()
    login_as(Role.GUARDIAN, patients=[mine])
    assert create_child_login(client, theirs).status_code == 404
    assert db.session.scalar(select(User).where(User.role == "child")) is None


def test_child_login_password_works_only_for_the_child(client, app):
    patient = make.patient()
    make.user(Role.CHILD, email="kid.one", patients=[patient])
    wrong = client.post_form("/login", {"email": "kid.one", "password": "not-the-password"})
    assert "do not match an account" in wrong.get_data(as_text=True)
    right = client.post_form("/login", {"email": "kid.one", "password": PASSWORD})
    assert right.status_code == 302
