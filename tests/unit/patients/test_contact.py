"""Guardians' phone numbers: validated by libphonenumber and stored in E.164."""

import pytest

from portal.auth.models import Role
from portal.core.errors import FieldError
from portal.patients.contact import (
    display_phone,
    guardian_contacts,
    normalise_phone,
    set_guardian_phone,
)
from tests import factories as make


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07911 123456", "+447911123456"),
        ("07911-123-456", "+447911123456"),
        ("+44 (0)7911 123456", "+447911123456"),
        ("0161 496 0123", "+441614960123"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_numbers_typed_as_people_write_them_are_stored_in_e164(typed, stored):
    assert normalise_phone(typed, "GB") == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "not a phone number in use"),
        ("07911 12345", "not a phone number in use"),
        ("call me", "Enter a phone number"),
        ("0" * 31, "30 characters or fewer"),
    ],
)
def test_a_number_that_cannot_be_dialled_is_refused_at_the_phone_field(typed, message):
    with pytest.raises(FieldError) as refused:
        normalise_phone(typed, "GB")
    assert refused.value.field == "phone"
    assert message in refused.value.message


def test_the_clinic_reads_a_home_number_nationally_and_a_foreign_one_internationally():
    assert display_phone("+447911123456", "GB") == "07911 123456"
    assert display_phone("+33612345678", "GB") == "+33 6 12 34 56 78"


def test_only_guardians_with_an_open_account_are_listed_with_their_links(app):
    patient = make.patient()
    mother = make.user(Role.GUARDIAN, patients=[patient], email="mum@example.test")
    set_guardian_phone(mother, "07911 123456", "GB")
    make.user(Role.GUARDIAN, patients=[patient], email="dad@example.test")
    make.user(Role.CHILD, patients=[patient])
    closed = make.user(Role.GUARDIAN, patients=[patient])
    closed.active = False
    contacts = guardian_contacts(patient, "GB")
    assert [c.email for c in contacts] == ["mum@example.test", "dad@example.test"]
    assert contacts[0].tel == "tel:+447911123456" and contacts[0].phone_display == "07911 123456"
    assert contacts[0].mailto == "mailto:mum@example.test"
    assert contacts[1].tel == ""


def test_a_clinician_cannot_be_given_a_guardian_phone(app):
    with pytest.raises(FieldError):
        set_guardian_phone(make.user(Role.CLINICIAN), "07911 123456", "GB")
