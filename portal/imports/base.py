"""What every import shares: who imports into which clinic, the plan, and the report.

An import runs in two parts. Planning reads the whole file and the clinic's
records (a few queries, whatever the file's length) and decides every row
without writing anything. Only a file whose every row is good is written, in one
short transaction of bulk INSERTs (ids returned in the file's order, then one
audit row each), so the database's write lock is held for a fraction of a second
and a refused or failed file leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    Select,
    Table,
    any_,
    bindparam,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from portal.audit.capture import audit_bulk_created
from portal.auth.models import User
from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.patients.models import Patient

# Ids bound into one IN (…): below SQLite's and PostgreSQL's limits on parameters.
IN_CHUNK = 5000


@dataclass(frozen=True)
class ImportScope:
    """An import by a clinician into their clinic, or from the command line (clinic None)."""

    today: date
    clinic: Clinic | None = None
    by: User | None = None

    def patients(self, refs: Iterable[str]) -> PatientRefs:
        """The patients these references name, among those this importer may write to."""
        wanted = {r.upper() for r in refs if r}
        query = select(Patient)
        if self.clinic is not None:
            query = query.where(Patient.clinic_id == self.clinic.id)
        found: dict[str, Patient] = {}
        ambiguous: set[str] = set()
        for patient in db.session.scalars(query):  # the clinic's references, loaded once
            ref = patient.patient_ref.upper()
            if ref not in wanted:
                continue
            if ref in found:
                ambiguous.add(ref)
            found[ref] = patient
        return PatientRefs(found, ambiguous)

    def unknown_patient(self, ref: str) -> str:
        where = " in your clinic" if self.clinic is not None else ""
        return f"patient_ref: no patient {ref}{where} (import the patients first)"


@dataclass(frozen=True)
class PatientRefs:
    """Reference → patient; on the command line a reference several clinics use is ambiguous."""

    found: dict[str, Patient]
    ambiguous: set[str]

    def ids(self) -> list[int]:
        return [p.id for p in self.found.values()]

    def reason(self, ref: str, scope: ImportScope) -> str | None:
        """Why the reference names no single patient, or None when it does."""
        if ref in self.ambiguous:
            return (
                f"patient_ref: more than one clinic has a patient {ref}; import with --clinic NAME"
            )
        return None if ref in self.found else scope.unknown_patient(ref)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reasons: tuple[str, ...]


@dataclass
class Plan:
    """What an import would do: nothing is written until every row is known to be good.

    `new` holds one value per row to add, in the kind's own shape; the kind's writer
    turns them into rows.
    """

    problems: list[RowProblem] = field(default_factory=list)
    new: list[Any] = field(default_factory=list)
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
    sheet: str = ""  # the worksheet read, for a workbook

    def place(self, problem: RowProblem, *, capital: bool = True) -> str:
        """Where a row is: 'Line 4' of a CSV file, 'Sheet “Clinic”, row 4' of a workbook."""
        if self.sheet:
            return f"{'S' if capital else 's'}heet “{self.sheet}”, row {problem.line}"
        return f"{'L' if capital else 'l'}ine {problem.line}"

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


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """The values a slice at a time, for IN (…) lists of any length."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rows_of_patients(query: Select, column, patient_ids: Sequence[int]) -> Iterator[Any]:
    """The query's rows for these patients, a chunk of ids per statement."""
    for part in chunks(sorted(set(patient_ids))):
        yield from db.session.scalars(query.where(column.in_(part)))


class ImportCollision(Exception):
    """Rows written meanwhile by someone else stand where the import's rows should be."""


def bulk_insert(model: type, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows as one executemany (no RETURNING: SQLite would then go row by row)."""
    if rows:
        db.session.execute(insert(model.__table__), rows)


def _insert_sqlite(model: type, rows: list[dict[str, Any]]) -> list[int]:
    # SQLite gives each new row the rowid after the largest one, and the write lock the
    # first INSERT takes is held until the commit: the rows just written are exactly
    # the last len(rows) ids, in order. Counting them proves it.
    bulk_insert(model, rows)
    last = db.session.scalar(text("SELECT last_insert_rowid()"))
    first = last - len(rows) + 1
    written = db.session.scalar(
        select(func.count()).select_from(model).where(model.id.between(first, last))
    )
    if written != len(rows):
        raise ImportCollision(model.__tablename__)
    return list(range(first, last + 1))


def bulk_create(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """INSERT the rows in bulk; their ids in order, and an audit 'create' event for each.

    The audit rows are one INSERT … SELECT over the new ids, done by the database
    itself, so the whole write stays a fraction of a second even for 20,000 rows.
    """
    if not rows:
        return []
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        ids = _insert_sqlite(model, rows)
        audit_bulk_created(db.session, table, table.c.id.between(ids[0], ids[-1]))
        return ids
    ids = _insert_postgresql(table, rows)
    new_ids = bindparam("new_ids", value=ids, type_=ARRAY(Integer))  # one parameter, not 20,000
    audit_bulk_created(db.session, table, table.c.id == any_(new_ids))
    return ids


def _insert_postgresql(table: Table, rows: list[dict[str, Any]]) -> list[int]:
    # The ids are drawn from the table's sequence first (one query), then the rows go in
    # through COPY, which PostgreSQL loads many times faster than INSERTs.
    draw = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
    ids = list(db.session.scalars(draw, {"table": table.name, "n": len(rows)}))
    columns = [c for c in table.columns if c.server_default is None and c.name != "id"]
    defaults = {c.name: _default(c) for c in columns}  # one import, one created_at
    json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in ("id", *defaults))
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row_id, row in zip(ids, rows, strict=True):
                values = [row.get(name, defaults[name]) for name in defaults]
                for index, name in enumerate(defaults):
                    if name in json_columns and values[index] is not None:
                        values[index] = Jsonb(values[index])
                copy.write_row([row_id, *values])
    except psycopg.errors.IntegrityError:
        # The driver's own error (COPY goes past SQLAlchemy): a row written meanwhile.
        raise ImportCollision(table.name) from None
    finally:
        cursor.close()
    return ids


def _default(column: Column) -> Any:
    """The value a column's default gives a new row (None when it has none)."""
    if column.default is None:
        return None
    return column.default.arg(None) if column.default.is_callable else column.default.arg
