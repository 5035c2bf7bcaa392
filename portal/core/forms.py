"""The base of every portal form, and the one way a submitted form is saved."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectMultipleField

from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.ids import parse_id
from portal.core.signals import csrf_refused
from portal.core.text_rules import CONTROL_CHARACTERS

T = TypeVar("T")

CONTROL_MESSAGE = "Remove the invisible control characters from this answer."
NUMBER_MESSAGE = "Enter a number."


def options(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _not_finite(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, Decimal) and not value.is_finite()


class PortalForm(FlaskForm):
    """FlaskForm plus two checks every field needs, each naming its field."""

    def validate(self, extra_validators=None) -> bool:
        for field in self:
            if _not_finite(field.data):
                # NaN and Infinity would reach range checks that cannot compare them.
                field.data = None
                field.process_errors = [*field.process_errors, NUMBER_MESSAGE]
        valid = super().validate(extra_validators)
        if "csrf_token" in self and self.csrf_token.errors:
            csrf_refused.send(self, form_name=type(self).__name__)
        for field in self:
            if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
                field.errors = [*field.errors, CONTROL_MESSAGE]
                valid = False
        return valid


class IdListField(SelectMultipleField):
    """Ticked rows sent back as ids; anything that cannot be an id is refused by name."""

    def __init__(self, label: str, message: str, **kwargs) -> None:
        super().__init__(label, coerce=int, validate_choice=False, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        ids = [parse_id(value) for value in valuelist]
        self.data = [value for value in ids if value is not None]
        if len(self.data) < len(ids):
            raise ValueError(self.message)


def show_field_errors(
    form: FlaskForm,
    error: FieldError,
    fallback: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Put each of the error's messages on its field of the form.

    A name the form has not (or a hidden field) goes to `fallback`, a visible field,
    so no message is lost; `aliases` maps a domain name to the form's field name.
    """
    for name, message in error.errors.items():
        field = form._fields.get((aliases or {}).get(name, name))
        if field is None or field.type == "HiddenField":
            field = form._fields[fallback or next(iter(form._fields))]
        field.errors = [*field.errors, message]


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What save_form did: `ok` when the change was committed, and the action's result."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def save_form(
    form: FlaskForm,
    action: Callable[[], T],
    *,
    check: Callable[[], bool] | None = None,
    fallback: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Saved[T]:
    """The one way a submitted form is saved.

    Validate (every validator runs, and then `check`, the form's own cross-field
    rules), run `action` — a domain call that only flushes — and commit once. A
    FieldError rolls everything back and lands on the form's fields, so the page
    shows again with what was typed and nothing half-saved.
    """
    if not form.is_submitted():
        return Saved(False)
    valid = form.validate()
    if not ((check() if check else True) and valid):
        return Saved(False)
    try:
        value = action()
    except FieldError as error:
        db.session.rollback()
        show_field_errors(form, error, fallback, aliases)
        return Saved(False)
    db.session.commit()
    return Saved(True, value)


CHOOSE_FROM_LIST = "Choose a group from the list."


def choose_pair(
    a: Field, b: Field, choices: Iterable[tuple[str, str]], fallback: tuple[str, str] | None
) -> tuple[str, str] | None:
    """Two different choices from a GET form's pair of selects, else `fallback`.

    The selects get `choices` as their options; a value that is not one of them, or the
    same value twice, is refused at its field and the fallback pair is shown instead.
    """
    pairs = list(choices)
    a.choices = b.choices = options(pairs)
    keys = {key for key, _ in pairs}
    wanted = (a.data, b.data) if (a.raw_data or b.raw_data) else fallback
    if wanted is None:
        return None
    for field, value in zip((a, b), wanted, strict=True):
        if value not in keys:
            if field.raw_data:
                field.errors = [*field.errors, CHOOSE_FROM_LIST]
            return _fall_back(a, b, fallback)
    if wanted[0] == wanted[1]:
        b.errors = [*b.errors, "Choose two different groups."]
        return _fall_back(a, b, fallback)
    a.data, b.data = wanted
    return wanted


def _fall_back(a: Field, b: Field, fallback: tuple[str, str] | None) -> tuple[str, str] | None:
    if fallback:
        a.data, b.data = fallback
    return fallback
