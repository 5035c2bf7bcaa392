"""How the hostile-input tests describe one form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FormSpec:
    """A form: the actor posting it, its URL in a world, and valid values for its fields."""

    name: str
    actor: str
    url: Callable[[object, object], str]  # (world, account) -> URL
    valid: Callable[[object], dict[str, object]]
    # POST (a form), GET (a search or filter form) or JSON (the API, CSRF in a header).
    method: str = "POST"
    # A new account for every example, for forms whose success changes the account.
    fresh_account: Callable[[object], object] | None = None
    # Log in with the password only: the form is the second step.
    password_step_only: bool = False
    # Fields sent as an uploaded file holding the (valid or hostile) text.
    files: tuple[str, ...] = ()
    # A search sent by POST (to keep its terms out of URLs): it answers with a page of
    # results, not a redirect, and changes nothing.
    search: bool = False
    # Tick-box groups spread over a page: their error sits by an element with the
    # field's id (a hint) rather than by one labelled input.
    grouped: tuple[str, ...] = ()
    # A form whose success is a page rather than a redirect (recovery codes, shown once
    # on the answer itself): the words that page shows.
    accepted_text: str | None = None

    @property
    def searches(self) -> bool:
        """True for a form that looks things up rather than saving them."""
        return self.method == "GET" or self.search
