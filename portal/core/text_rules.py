"""What free text may hold, for forms, the JSON API and imported spreadsheets alike."""

from __future__ import annotations

import re

# NUL cannot be stored in PostgreSQL text and the other C0 controls have no place
# in a name or a note; tabs and line breaks are allowed. A lone UTF-16 surrogate
# (JSON's "\ud800") is half a character: no database can store it as text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character (other than tab or line break)
    or a lone surrogate."""
    return bool(CONTROL_CHARACTERS.search(text))


def first_control_character(text: str) -> int | None:
    """The 1-based position of the first refused character, or None."""
    match = CONTROL_CHARACTERS.search(text)
    return match.start() + 1 if match else None
