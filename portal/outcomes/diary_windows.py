"""What the family's diary says around one given course, summarised per window.

The windows, counted in days from the course (its first and last infusion day):

* *before*: the 7 days before the first infusion day (not that day itself);
* *after*: the 14 days after the last infusion day;
* *side effects*: from the first infusion day to 7 days after the last.

report_data computes these summaries in SQL, one row per course, so that a
year of daily entries is never loaded entry by entry. Soft-deleted entries
never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BEFORE_DAYS = 7
AFTER_DAYS = 14
EFFECT_DAYS = 7
SEVERE_GRADE = 3
FEVER_C = 38.0  # CTCAE grade 1 and above
SYMPTOMS = ("headache", "nausea", "vomiting", "diarrhoea", "tiredness", "muscle_pain")


@dataclass(frozen=True)
class CourseDiary:
    """One course's diary summary: perceived strength before and after, and side effects."""

    before_strength: float | None = None  # mean perceived strength, −2 … +2
    before_entries: int = 0
    after_strength: float | None = None
    after_entries: int = 0
    effect_entries: int = 0  # entries of any kind in the side-effect window
    worst_grades: dict[str, int] = field(default_factory=dict)  # symptom → 0…3
    fever: bool = False

    def symptoms(self, minimum_grade: int = 1) -> frozenset[str]:
        """The symptoms reported at this grade or worse in the side-effect window."""
        return frozenset(s for s in SYMPTOMS if self.worst_grades.get(s, 0) >= minimum_grade)
