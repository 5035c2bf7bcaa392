"""The base of every portal form: refuses input that cannot be stored, shown or compared."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField

from portal.core.ids import parse_id
from portal.core.signals import csrf_refused
from portal.core.text_rules import CONTROL_CHARACTERS

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
