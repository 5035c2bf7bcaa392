"""What every import shares: who imports into which clinic, the plan, and the report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.auth.models import User
from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.patients.models import Patient


@dataclass(frozen=True)
class ImportScope:
    """An import by a clinician into their clinic, or from the command line (clinic None)."""

    today: date
    clinic: Clinic | None = None
    by: User | None = None

    def patients(self, refs: Iterable[str]) -> dict[str, Patient]:
        """Reference → patient, for the references this importer may write to."""
        wanted = sorted({r.upper() for r in refs if r})
        if not wanted:
            return {}
        query = select(Patient).where(func.upper(Patient.patient_ref).in_(wanted))
        if self.clinic is not None:
            query = query.where(Patient.clinic_id == self.clinic.id)
        return {p.patient_ref.upper(): p for p in db.session.scalars(query)}

    def unknown_patient(self, ref: str) -> str:
        where = " in your clinic" if self.clinic is not None else ""
        return f"patient_ref: no patient {ref}{where} (import the patients first)"


@dataclass(frozen=True)
class RowProblem:
    line: int
    reasons: tuple[str, ...]


@dataclass
class Plan:
    """What an import would do: nothing is written until every row is known to be good."""

    problems: list[RowProblem] = field(default_factory=list)
    actions: list[Callable[[], object]] = field(default_factory=list)
    unchanged: int = 0

    def reject(self, line: int, reasons: Iterable[str]) -> None:
        self.problems.append(RowProblem(line, tuple(reasons)))


@dataclass(frozen=True)
class ImportReport:
    kind: str
    rows: int
    added: int = 0
    unchanged: int = 0
    problems: tuple[RowProblem, ...] = ()
    file_problem: str | None = None

    @property
    def accepted(self) -> bool:
        return self.file_problem is None and not self.problems

    def summary(self) -> str:
        """One sentence for a flash message or the command line."""
        if self.file_problem:
            return f"Nothing was imported: {self.file_problem}"
        if self.problems:
            bad = len(self.problems)
            rows = "row has a problem" if bad == 1 else "rows have problems"
            return f"Nothing was imported: {bad} of {self.rows} {rows}."
        already = f"; {self.unchanged} already recorded" if self.unchanged else ""
        return f"Imported {self.added} {self.kind} row(s) of {self.rows}{already}."


def same_number(a: float | None, b: float | None) -> bool:
    """Equal within float noise, or both missing."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9
