"""Ids taken from URLs, forms and query strings: positive and within the database's range.

An INTEGER primary key holds at most 2^31 − 1 on PostgreSQL, and SQLite cannot bind a
Python int beyond 2^63 − 1 at all (OverflowError, a 500). Every id is checked here
before it reaches a query, so an impossible id is simply an id of nothing: a 404.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
# Lists are paged 20–50 rows a page; no list of the portal reaches this page.
MAX_PAGE = 10_000


def parse_id(raw: object) -> int | None:
    """The id `raw` names (an int or a string of digits), or None when it cannot be one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip() if raw is not None else ""
        if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
            return None
        value = int(text)
    return value if 1 <= value <= MAX_ID else None


def page_number(raw: object) -> int:
    """A ?page= value as a page from 1 to MAX_PAGE; anything else (1e21, -3, ²) is page 1."""
    value = parse_id(raw)
    return min(value, MAX_PAGE) if value is not None else 1


class IdConverter(IntegerConverter):
    """The `<int:…>` URL converter for ids: digits beyond the range of any row are a 404.

    Werkzeug's own min/max answer 405 when the same path has a rule for another
    method; raising NotFound here makes every impossible id a plain 404.
    """

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise NotFound()
        return number
