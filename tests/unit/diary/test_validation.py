"""The one validation of a diary entry that the form and the API share."""

from datetime import date

import pytest

from portal.core.errors import FieldError
from portal.diary.validation import validate_entry

TODAY = date(2025, 3, 14)
CLIENT_ID = "2f1c3a9e-6a1b-4f3e-9a4b-0c7d5e8f1a2b"


def check(author_role: str = "guardian", **payload):
    payload = {"client_id": CLIENT_ID, "date": "2025-03-14", **payload}
    return validate_entry(payload, today=TODAY, author_role=author_role, born=date(2017, 6, 1))


def errors_of(**payload) -> dict[str, str]:
    with pytest.raises(FieldError) as caught:
        check(**payload)
    return caught.value.errors


def test_a_minimal_entry_defaults_symptoms_to_none_and_signs_to_no():
    values = check()
    assert values.client_id == CLIENT_ID
    assert values.columns["entry_date"] == TODAY
    assert values.columns["headache"] == 0
    assert values.columns["warn_chest_pain"] is False
    assert values.columns["strength"] is None
    assert values.columns["note"] == ""


def test_form_strings_and_json_numbers_give_the_same_entry():
    signs = ["dark_urine"]
    from_form = check(strength="-1", headache="2", temperature_c="38,6", warning_signs=signs)
    from_json = check(strength=-1, headache=2, temperature_c=38.6, warning_signs=signs)
    assert from_form.columns == from_json.columns
    assert from_json.columns["temperature_c"] == 38.6
    assert from_json.columns["warn_dark_urine"] is True


def test_a_future_date_is_refused_and_today_and_earlier_are_allowed():
    assert errors_of(date="2025-03-15") == {"date": "The date cannot be in the future."}
    assert check(date="2025-03-01").columns["entry_date"] == date(2025, 3, 1)


def test_a_date_that_is_not_a_date_is_named():
    assert "YYYY-MM-DD" in errors_of(date="14/03/2025")["date"]


@pytest.mark.parametrize("temperature", [33.9, 43.1, "hot", "nan", True])
def test_temperatures_outside_34_to_43_or_not_numbers_are_refused(temperature):
    assert "between 34 and 43" in errors_of(temperature_c=temperature)["temperature_c"]


@pytest.mark.parametrize("temperature", [34, 43, "37.2", None, ""])
def test_temperatures_at_the_limits_or_left_out_are_accepted(temperature):
    check(temperature_c=temperature)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headache", 4),
        ("nausea", -1),
        ("muscle_pain", 1.5),
        ("tiredness", True),
        ("strength", 3),
        ("rash", 4),
        ("rash_change", 2),
        ("mood", 0),
        ("mood", 6),
    ],
)
def test_answers_outside_their_scale_are_refused_by_name(field, value):
    assert field in errors_of(**{field: value})


def test_unknown_warning_sign_names_are_refused():
    message = errors_of(warning_signs=["dark_urine", "purple_toes"])["warning_signs"]
    assert "purple_toes" in message


def test_a_note_of_2000_characters_is_kept_and_2001_refused():
    assert len(check(note="x" * 2000).columns["note"]) == 2000
    assert "2,000" in errors_of(note="x" * 2001)["note"]


def test_a_note_is_stored_exactly_as_typed():
    note = "  <script>alert('x')</script>\nline two  "
    assert check(note=note).columns["note"] == note


def test_unknown_fields_are_rejected():
    assert errors_of(colour="blue") == {"colour": "Unknown field."}


def test_every_bad_field_is_named_at_once():
    errors = errors_of(date="2099-01-01", temperature_c=50, headache=7, note="x" * 2500)
    assert set(errors) == {"date", "temperature_c", "headache", "note"}


def test_a_missing_or_malformed_client_id_is_refused():
    with pytest.raises(FieldError) as caught:
        validate_entry({"date": "2025-03-14"}, today=TODAY, author_role="guardian")
    assert "client_id" in caught.value.errors
    assert "client_id" in errors_of(client_id="not-a-uuid")


def test_a_child_report_holds_only_mood_and_strength():
    assert check(author_role="child", mood=5, strength=1).columns["mood"] == 5
    with pytest.raises(FieldError) as caught:
        check(author_role="child", mood=5, headache=3)
    assert caught.value.errors == {"headache": "A child's own report holds only mood and strength."}


def test_a_child_report_with_no_answer_is_refused():
    with pytest.raises(FieldError) as caught:
        check(author_role="child")
    assert list(caught.value.errors) == ["mood"]


@pytest.mark.parametrize("note", ["bad\x00value", "escape \x1b[31m red", "bell\x07"])
def test_a_note_with_control_characters_is_refused_naming_the_note(note):
    # NUL cannot be stored in PostgreSQL; the API must refuse it as the forms do.
    assert list(errors_of(note=note)) == ["note"]


def test_a_note_may_hold_line_breaks_and_tabs():
    assert check(note="Line one\r\n\tLine two").columns["note"] == "Line one\r\n\tLine two"
