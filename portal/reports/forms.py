"""The choice of groups to compare on the regimens page (a GET form: it changes nothing)."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import SelectField, SubmitField

from portal.core.forms import CHOOSE_FROM_LIST, PortalForm, choose_pair, options
from portal.outcomes.regimens import DIMENSIONS, RegimenGroup, default_pair


class RegimenChoiceForm(PortalForm):
    """Group by one dimension, then compare two of its groups."""

    class Meta:
        csrf = False

    by = SelectField(
        "Group courses by",
        choices=options((key, label) for key, (label, _) in DIMENSIONS.items()),
        default="regimen",
    )
    a = SelectField("First group", choices=[], validate_choice=False)
    b = SelectField("Second group", choices=[], validate_choice=False)
    submit = SubmitField("Compare")

    def dimension(self) -> str:
        """The dimension asked for; anything else is the default, with a message."""
        if self.by.data in DIMENSIONS:
            return self.by.data
        if self.by.raw_data:
            self.by.errors = [*self.by.errors, CHOOSE_FROM_LIST]
        self.by.data = "regimen"
        return "regimen"

    def pair(self, groups: Sequence[RegimenGroup]) -> tuple[str, str] | None:
        """The two groups to compare: those asked for, or the two largest."""
        choices = [(g.key, g.label) for g in groups]
        return choose_pair(self.a, self.b, choices, default_pair(groups))
