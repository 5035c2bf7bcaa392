"""The formal assessment form: any subset of the measures, each checked against its range."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, FloatField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.assessments import measures
from portal.assessments.measures import MOTOR_ABILITY_ITEMS, Measure
from portal.assessments.records import AssessmentData
from portal.core.forms import PortalForm

# WTForms 3.3 takes choices as a {value: label} dict; tuples are deprecated.
ITEM_CHOICES = {"": "–", "0": "0", "1": "1", "2": "2"}


def field_label(measure: Measure) -> str:
    return f"{measure.label} ({measure.unit})" if measure.unit else measure.label


class InRange:
    """Refuses a value the measure cannot take, with a message naming the measure."""

    def __init__(self, measure: Measure) -> None:
        self.measure = measure

    def __call__(self, form: PortalForm, field: FloatField) -> None:
        if field.data is not None and (message := self.measure.problem(field.data)):
            raise ValidationError(message)


def _measure_field(measure: Measure, described: bool = True) -> FloatField:
    step = "1" if measure.whole else "any"
    return FloatField(
        field_label(measure),
        validators=[Optional(), InRange(measure)],
        invalid_value_message=f"{measure.label} must be a number {measure.describe_range()}.",
        description=f"B{measure.describe_range()[1:]}." if described else "",
        render_kw={
            "inputmode": "numeric" if measure.whole else "decimal",
            "step": step,
            "min": f"{measure.minimum:g}",
            "max": f"{measure.maximum:g}",
        },
    )


def item_name(number: int) -> str:
    return f"motor_item_{number:02d}"


class AssessmentForm(PortalForm):
    assessed_on = DateField("Date of assessment", validators=[InputRequired("Enter the date.")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)], render_kw={"rows": 3})
    submit = SubmitField("Save assessment")

    def item_fields(self) -> list[SelectField]:
        return [self[item_name(n)] for n in range(1, MOTOR_ABILITY_ITEMS + 1)]

    def motor_items(self) -> tuple[int, ...] | None:
        """The 20 function scores when all were given, else None."""
        scores = [f.data for f in self.item_fields()]
        if all(s in ("0", "1", "2") for s in scores):
            return tuple(int(s) for s in scores)
        return None

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the 20 function scores against the total."""
        valid = super().validate(extra_validators)
        return self._check_items() and valid

    def _check_items(self) -> bool:
        scored = [f.data for f in self.item_fields() if f.data]
        total_field = self["motor_ability_score"]
        if not scored:
            return True
        problem = None
        if len(scored) < MOTOR_ABILITY_ITEMS:
            problem = f"Score all {MOTOR_ABILITY_ITEMS} functions, or none and type the total."
        else:
            total = sum(int(s) for s in scored)
            if total_field.data is not None and total_field.data != total:
                problem = f"The 20 functions add up to {total}; clear the total or correct one."
            total_field.data = total
        if problem:
            total_field.errors = [*total_field.errors, problem]
        return problem is None

    def check(self, today: date, born: date) -> bool:
        """Date and 'something recorded' checks the field validators cannot make."""
        day = self.assessed_on.data
        problem = None
        if day and day > today:
            problem = "The date of assessment cannot be in the future."
        elif day and day < born:
            problem = "The date of assessment is before the date of birth."
        elif day and not self._anything_recorded():
            problem = "Enter at least one measurement or a note for this date."
        if problem:
            self.assessed_on.errors = [*self.assessed_on.errors, problem]
        return problem is None

    def _anything_recorded(self) -> bool:
        measured = any(self[m.name].data is not None for m in measures.RECORDED)
        return (
            measured
            or any(f.data for f in self.item_fields())
            or bool((self.notes.data or "").strip())
        )

    def values(self) -> dict[str, float | None]:
        return {m.name: self[m.name].data for m in measures.RECORDED}

    def fill_items(self, items: list[int] | None) -> None:
        """Show stored function scores when editing."""
        for field, score in zip(self.item_fields(), items or [], strict=False):
            field.data = str(score)

    def assessment_data(self) -> AssessmentData:
        """What was typed, as the assessments domain takes it."""
        return AssessmentData(
            assessed_on=self.assessed_on.data,
            values=self.values(),
            motor_ability_items=self.motor_items(),
            notes=self.notes.data or "",
        )


for _measure in measures.RECORDED:
    # The six myometry fields share one range, given once above them.
    described = _measure not in measures.MYOMETRY
    setattr(AssessmentForm, _measure.name, _measure_field(_measure, described))
for _number in range(1, MOTOR_ABILITY_ITEMS + 1):
    setattr(
        AssessmentForm,
        item_name(_number),
        SelectField(f"Function {_number}", choices=ITEM_CHOICES, validators=[Optional()]),
    )


GROUPS = {
    "myometry": [m.name for m in measures.MYOMETRY],
    "function": ["motor_ability_score", "walk_28ft_seconds", "cmas", "mmt8", "chaq"],
    "activity": ["physician_global", "parent_global"],
    "enzymes": [m.name for m in measures.ENZYMES],
}
