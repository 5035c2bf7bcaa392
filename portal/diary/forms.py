"""Diary forms. They collect and redisplay what was typed; the checking itself is
the diary service's, shared with the API, so these fields carry no validators."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import DateInput

from portal.core.forms import IdListField, PortalForm
from portal.diary.models import GRADES, MOOD, RASH, RASH_CHANGE, STRENGTH, SYMPTOMS, WARNING_SIGNS
from portal.diary.validation import NOTE_MAX

# The child's own words for the same five strength points.
CHILD_STRENGTH = {
    -2: "Much weaker",
    -1: "A bit weaker",
    0: "Same as usual",
    1: "A bit stronger",
    2: "Much stronger",
}
CHILD_MOOD = {1: "Very sad", 2: "Sad", 3: "OK", 4: "Happy", 5: "Very happy"}


def _choices(labels: dict[int, str]) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in labels.items()]


def _radio(label: str, labels: dict[int, str]) -> RadioField:
    # validate_choice off: a value outside the scale is reported by the service.
    return RadioField(label, choices=_choices(labels), validate_choice=False)


def _grade(label: str) -> RadioField:
    return _radio(label, {k: v.capitalize() for k, v in GRADES.items()})


class _DiaryForm(PortalForm):
    fallback_field = "date"  # where a message for a field not on the page is shown

    def validate(self, extra_validators=None) -> bool:
        if "client_id" in self and not _is_uuid(self.client_id.data):
            # The page made this id, not the family: a lost or mangled one must not
            # cost them their answers (it only guards against a double-tapped Save).
            self.client_id.data = new_client_id()
        return super().validate(extra_validators)

    def payload(self) -> dict[str, Any]:
        """What was posted, in the API's names, for the diary service to check."""
        skip = {"csrf_token", "submit", "another"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class EntryForm(_DiaryForm):
    """A guardian's entry: a normal day needs only a few taps thanks to the defaults."""

    client_id = HiddenField()
    date = StringField("Date", widget=DateInput())
    strength = _radio("Strength compared with usual", STRENGTH)
    rash = _radio("Rash", RASH)
    rash_change = _radio("Rash since the last entry", RASH_CHANGE)
    mood = _radio("Mood", MOOD)
    headache = _grade(SYMPTOMS["headache"])
    nausea = _grade(SYMPTOMS["nausea"])
    vomiting = _grade(SYMPTOMS["vomiting"])
    diarrhoea = _grade(SYMPTOMS["diarrhoea"])
    tiredness = _grade(SYMPTOMS["tiredness"])
    muscle_pain = _grade(SYMPTOMS["muscle_pain"])
    temperature_c = StringField(
        "Temperature (°C)",
        description="Only if you measured it, for example 37.4.",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    warning_signs = SelectMultipleField(
        "Warning signs",
        choices=[SelectChoice(name, label) for name, (_column, label) in WARNING_SIGNS.items()],
        validate_choice=False,
    )
    walk_28ft_seconds = StringField(
        "Time to walk 28 feet (8.5 m), in seconds",
        description="Only if you timed it at home.",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        "Note",
        description="Anything else the clinic should know. Up to 2,000 characters.",
        render_kw={"data-count-max": NOTE_MAX},
    )
    # Ticked on purpose only: a second entry by the same author for the same day.
    another = BooleanField(
        "This is another entry for the same day (for example a second temperature)"
    )
    submit = SubmitField("Save entry")


class ChildEntryForm(_DiaryForm):
    """A child's own report: two questions, faces and plain words."""

    client_id = HiddenField()
    mood = _radio("How do you feel today?", CHILD_MOOD)
    strength = _radio("How strong do your muscles feel today?", CHILD_STRENGTH)
    submit = SubmitField("Send")

    fallback_field = "mood"  # a child's page has no date field


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def new_client_id() -> str:
    """A fresh id for a form, so a double-tapped Save stores the entry once."""
    return str(uuid.uuid4())


def new_entry_defaults(day: date, rash: int | None) -> dict[str, Any]:
    """The starting answers: today, same as usual, no symptoms, yesterday's rash."""
    defaults: dict[str, Any] = {
        "client_id": new_client_id(),
        "date": day.isoformat(),
        "strength": "0",
        "rash_change": "0",
        "rash": None if rash is None else str(rash),
        "warning_signs": [],
    }
    defaults.update(dict.fromkeys(SYMPTOMS, "0"))
    return defaults


def entry_form_data(payload: dict[str, Any]) -> dict[str, Any]:
    """An entry's stored content as the form shows it (answers as strings)."""
    data: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "warning_signs":
            data[name] = list(value)
        elif value is None or isinstance(value, str):
            data[name] = value
        elif isinstance(value, float):
            data[name] = f"{value:g}"
        else:
            data[name] = str(value)
    return data


class MarkRepliesReadForm(PortalForm):
    """A guardian notes the clinic's replies as read: the ticked ones, shown on the page."""

    reply_ids = IdListField(
        "Messages to mark as read",
        "Tick messages shown on this page only.",
        validators=[DataRequired("Tick at least one message.")],
    )
    submit = SubmitField("Mark ticked messages as read")
