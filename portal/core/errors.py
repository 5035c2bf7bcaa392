"""The one error a domain function raises for input it cannot accept, field by field."""

from __future__ import annotations

from collections.abc import Mapping


class FieldError(ValueError):
    """Input refused as given: a message for each field at fault, safe to show the user.

    `FieldError("email", "That login is already in use.")` names one field;
    `FieldError({"mood": …, "date": …})` names several. Views put the messages on the
    form's fields (portal.core.forms.show_field_errors); the JSON API returns them.
    """

    def __init__(self, field: str | Mapping[str, str], message: str = "") -> None:
        errors = dict(field) if isinstance(field, Mapping) else {field: message}
        super().__init__("; ".join(f"{name}: {text}" for name, text in errors.items()))
        self.errors: dict[str, str] = errors

    @property
    def field(self) -> str:
        """The first field at fault."""
        return next(iter(self.errors))

    @property
    def message(self) -> str:
        """The message for the first field at fault."""
        return self.errors[self.field]
