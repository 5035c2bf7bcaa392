"""The clinic's formal measures: names, ranges, which way is better, and mean myometry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One formal measure as stored, typed, imported and reported."""

    name: str  # the model attribute and the spreadsheet column
    label: str
    minimum: float
    maximum: float
    unit: str = ""
    whole: bool = False  # scores are whole numbers
    places: int = 1  # decimals shown and accepted in forms
    higher_is_better: bool = True

    def describe_range(self) -> str:
        """'between 0 and 52' with the unit, for messages and hints."""
        unit = f" {self.unit}" if self.unit else ""
        return f"between {self.minimum:,g} and {self.maximum:,g}{unit}"

    def problem(self, value: float) -> str | None:
        """Why a value cannot be stored for this measure, naming it; None when it can."""
        if not self.minimum <= value <= self.maximum:
            return f"{self.label} must be {self.describe_range()}."
        if self.whole and value != int(value):
            return f"{self.label} must be a whole number."
        return None

    def improved(self, change: float) -> bool:
        """True when a change in this measure is an improvement (walking time: shorter)."""
        return change > 0 if self.higher_is_better else change < 0


def _myometry(group: str, label: str) -> Measure:
    return Measure(f"myometry_{group}", label, 0, 1000)


MYOMETRY = (
    _myometry("neck_flexors", "Neck flexors"),
    _myometry("knee_extension_right", "Knee extension, right"),
    _myometry("knee_extension_left", "Knee extension, left"),
    _myometry("shoulder_abduction", "Shoulder abduction"),
    _myometry("hip_flexion", "Hip flexion"),
    _myometry("hip_abduction", "Hip abduction"),
)

FUNCTION = (
    Measure("motor_ability_score", "Motor ability score", 0, 40, whole=True, places=0),
    Measure(
        "walk_28ft_seconds", "Walking time for 28 ft", 0.5, 600, unit="s", higher_is_better=False
    ),
    Measure("cmas", "CMAS", 0, 52, whole=True, places=0),
    Measure("mmt8", "MMT8", 0, 80, whole=True, places=0),
    Measure("chaq", "CHAQ disability index", 0, 3, places=3, higher_is_better=False),
    Measure("physician_global", "Physician global activity", 0, 10, higher_is_better=False),
    Measure("parent_global", "Parent global activity", 0, 10, higher_is_better=False),
)

ENZYMES = (
    Measure("ck", "CK", 0, 200_000, unit="U/L", higher_is_better=False),
    Measure("ldh", "LDH", 0, 50_000, unit="U/L", higher_is_better=False),
    Measure("ast", "AST", 0, 20_000, unit="U/L", higher_is_better=False),
    Measure("alt", "ALT", 0, 20_000, unit="U/L", higher_is_better=False),
    Measure("aldolase", "Aldolase", 0, 2_000, unit="U/L", higher_is_better=False),
)

# Everything typed or imported, in the order of the clinic's spreadsheet.
RECORDED = MYOMETRY + FUNCTION + ENZYMES
BY_NAME = {m.name: m for m in RECORDED}

MEAN_MYOMETRY = Measure("mean_myometry", "Mean myometry score", 0, 1000, places=2)
# What a course's response is reported in: the derived mean first, then the rest.
REPORTED = (MEAN_MYOMETRY, *FUNCTION, *ENZYMES)

REPORTED_BY_NAME = {m.name: m for m in REPORTED}
_REPORTED_RECORDED = [m.name for m in REPORTED[1:]]

MOTOR_ABILITY_ITEMS = 20
MOTOR_ABILITY_ITEM_MAX = 2


def _mean(values: list[float]) -> float | None:
    # sum/len rather than statistics.fmean: this runs for every assessment of a cohort.
    return sum(values) / len(values) if values else None


def mean_myometry(values: Mapping[str, float | None]) -> float | None:
    """The mean myometry score over the five muscle groups present.

    Knee extension is measured on both sides and counts as one group: the mean of
    the sides present. The score is never typed; None when no group was measured.
    """
    right = values.get("myometry_knee_extension_right")
    left = values.get("myometry_knee_extension_left")
    groups = (
        values.get("myometry_neck_flexors"),
        _mean([float(v) for v in (right, left) if v is not None]),
        values.get("myometry_shoulder_abduction"),
        values.get("myometry_hip_flexion"),
        values.get("myometry_hip_abduction"),
    )
    mean = _mean([float(v) for v in groups if v is not None])
    # Readings have one decimal; rounding keeps float noise out of later comparisons.
    return None if mean is None else round(mean, 6)


def reported_values(values: Mapping[str, float | None]) -> dict[str, float]:
    """The reported measures present in one assessment, the derived mean myometry first."""
    mean = mean_myometry(values)
    result = {MEAN_MYOMETRY.name: mean} if mean is not None else {}
    for name in _REPORTED_RECORDED:
        value = values.get(name)
        if value is not None:
            result[name] = float(value)
    return result
