"""JSON in and out: a body nested too deeply is bad JSON (a 400), never a crash."""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

# No body the portal accepts nests deeper than an entry's list of warning signs.
MAX_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed value (a scalar is 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


class PortalJSONProvider(DefaultJSONProvider):
    """Flask's provider, with parsing that refuses what would exhaust the stack."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON nests too deeply.") from None
        if _depth(value) > MAX_DEPTH:
            raise ValueError("The JSON nests too deeply.")
        return value
