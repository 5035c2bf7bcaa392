"""Guardians' contact details: phone numbers stored in E.164, shown to the child's clinic.

Parsing and validation are Google's libphonenumber rules (the `phonenumbers` package):
a number typed without a country code is read as one of the clinic's region.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from portal.auth.models import Role, User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.patients.models import Patient

PHONE_MAX_CHARS = 30


@dataclass(frozen=True)
class GuardianContact:
    """How the clinic reaches one guardian of a child."""

    name: str
    email: str
    phone: str  # E.164, '' when none was given
    phone_display: str  # as the clinic dials it at home, e.g. '07911 123456'

    @property
    def tel(self) -> str:
        return f"tel:{self.phone}" if self.phone else ""

    @property
    def mailto(self) -> str:
        return f"mailto:{self.email}" if "@" in self.email else ""


def normalise_phone(text: str, region: str, field: str = "phone") -> str:
    """'' for nothing typed, else the number in E.164; FieldError when it is no real number."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > PHONE_MAX_CHARS:
        raise FieldError(field, f"Keep the number to {PHONE_MAX_CHARS} characters or fewer.")
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise FieldError(field, "Enter a phone number, like 07911 123456.") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError(
            field,
            "That is not a phone number in use. Check the digits; "
            "for a number abroad, start with + and the country code.",
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str, region: str) -> str:
    """The stored number as it is dialled from the clinic's region (international if abroad)."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    if number.country_code == phonenumbers.country_code_for_region(region):
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def set_guardian_phone(guardian: User, text: str, region: str) -> str:
    """Store (or clear, with '') a guardian's phone number; the stored E.164 form."""
    if guardian.role_enum is not Role.GUARDIAN:
        raise FieldError("phone", "Only a parent or guardian gives a phone number here.")
    guardian.phone = normalise_phone(text, region)
    db.session.flush()
    return guardian.phone


def guardian_contacts(patient: Patient, region: str) -> list[GuardianContact]:
    """The child's guardians with an account still open, in the order they joined."""
    return [
        GuardianContact(
            name=account.name,
            email=account.email,
            phone=account.phone or "",
            phone_display=display_phone(account.phone or "", region),
        )
        for account in patient.accounts
        if account.role == Role.GUARDIAN.value and account.active
    ]
