"""The IVIG home-diary portal. `flask --app portal` finds `create_app` here.

The factory is handed on lazily, so importing one module of the portal (say
`portal.infusions.placement`) loads only what that module needs, not every blueprint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from portal.app import create_app

        return create_app
    raise AttributeError(f"module 'portal' has no attribute {name!r}")
