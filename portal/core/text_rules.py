"""What free text may hold, for forms and the JSON API alike."""

from __future__ import annotations

import re

# NUL cannot be stored in PostgreSQL text and the other C0 controls have no place
# in a name or a note; tabs and line breaks are allowed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character other than tab or line break."""
    return bool(CONTROL_CHARACTERS.search(text))
