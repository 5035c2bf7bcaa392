"""The one way a form is saved: validate, act, commit once; a FieldError lands on the fields."""

from __future__ import annotations

from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from portal.clinic.models import Clinic
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.forms import PortalForm, save_form


class NameForm(PortalForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[DataRequired("Enter a name.")])
    token = HiddenField()


def clinics() -> int:
    return db.session.scalar(select(func.count()).select_from(Clinic))


def add_clinic(name: str) -> Clinic:
    clinic = Clinic(name=name)
    db.session.add(clinic)
    db.session.flush()
    return clinic


def test_a_good_form_runs_the_action_and_commits_once(app):
    with app.test_request_context(method="POST", data={"name": "Leeds"}):
        form = NameForm()
        saved = save_form(form, lambda: add_clinic(form.name.data))
    assert saved and saved.value.name == "Leeds"
    db.session.rollback()  # nothing pending: the commit already happened
    assert clinics() == 1


def test_a_field_error_rolls_back_what_the_action_flushed_and_names_the_field(app):
    def refuse() -> None:
        add_clinic("Half saved")
        raise FieldError("name", "A clinic with this name exists.")

    with app.test_request_context(method="POST", data={"name": "York"}):
        form = NameForm()
        saved = save_form(form, refuse)
    assert not saved and saved.value is None
    assert form.name.errors == ["A clinic with this name exists."]
    assert clinics() == 0


def test_messages_for_hidden_or_unknown_fields_go_to_the_fallback_never_lost(app):
    def refuse() -> None:
        raise FieldError({"token": "Used before.", "colour": "Not a field."})

    with app.test_request_context(method="POST", data={"name": "York"}):
        form = NameForm()
        save_form(form, refuse, fallback="name")
    assert form.name.errors == ["Used before.", "Not a field."]


def test_an_invalid_form_or_a_failed_check_never_runs_the_action(app):
    ran = []
    with app.test_request_context(method="POST", data={"name": ""}):
        assert not save_form(NameForm(), lambda: ran.append(1))
    with app.test_request_context(method="POST", data={"name": "Ok"}):
        assert not save_form(NameForm(), lambda: ran.append(1), check=lambda: False)
    assert ran == []


def test_one_field_error_type_carries_one_or_many_messages():
    one = FieldError("email", "That login is already in use.")
    many = FieldError({"mood": "Choose a face.", "date": "The date cannot be in the future."})
    assert (one.field, one.message, one.errors) == (
        "email", "That login is already in use.", {"email": "That login is already in use."}
    )  # fmt: skip
    assert many.field == "mood" and len(many.errors) == 2
