"""Everything the portal holds about one child, for the family to download.

Tables are found, not listed: every table with a patient_id column, and every
table owned by one of those through a foreign key (a course's lots, an entry's
versions), so a feature added later is included without touching this module.
Secrets (hashes, tokens) and the audit trail (which names staff and addresses)
are left out, and so are deleted rows (with the rows they own).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Table, select

from portal.core.extensions import db
from portal.patients.models import Patient

EXCLUDED_TABLES = {"audit_events", "user_sessions"}
EXCLUDED_COLUMNS = {
    "code_hash",
    "password_hash",
    "token_hash",
    "totp_secret_encrypted",
    "totp_pending_secret",
    "totp_last_step",
}
# No part of an enrolment code leaves the portal: its last four characters (shown to the
# clinic to tell codes apart) would shorten the guessing of a code still unused.
EXCLUDED_TABLE_COLUMNS = {"enrolment_codes": {"hint"}}
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(table: Table, column, values) -> list[dict]:
    if not values:
        return []
    query = select(table).where(column.in_(values)).order_by(*table.primary_key.columns)
    if "deleted_at" in table.columns:
        # A record deleted in error (soft deletion, a family's deleted entry) is not held
        # for the family any more; rows owned by it are left out with it.
        query = query.where(table.c.deleted_at.is_(None))
    excluded = EXCLUDED_COLUMNS | EXCLUDED_TABLE_COLUMNS.get(table.name, set())
    return [
        {key: _plain(value) for key, value in row._mapping.items() if key not in excluded}
        for row in db.session.execute(query)
    ]


def _owned_tables() -> Iterator[Table]:
    for table in db.metadata.sorted_tables:
        if table.name not in EXCLUDED_TABLES and "patient_id" in table.columns:
            yield table


def _child_tables(parent: Table) -> Iterator[tuple[Table, object]]:
    for table in db.metadata.sorted_tables:
        if table.name in EXCLUDED_TABLES or "patient_id" in table.columns:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is parent and fk.column.name == "id":
                yield table, fk.parent


def patient_record(patient: Patient, exported_at: datetime) -> dict:
    """The child's details and every row held about them, as plain JSON values."""
    patients = db.metadata.tables["patients"]
    tables: dict[str, list[dict]] = {}
    for table in _owned_tables():
        rows = _rows(table, table.c.patient_id, [patient.id])
        tables[table.name] = rows
        ids = [row["id"] for row in rows if "id" in row]
        for child, column in _child_tables(table):
            tables[child.name] = tables.get(child.name, []) + _rows(child, column, ids)
    return {
        "exported_at": exported_at.isoformat(),
        "patient": _rows(patients, patients.c.id, [patient.id])[0],
        "clinic": {"name": patient.clinic.name, "phone": patient.clinic.phone},
        "tables": tables,
    }


def record_json(record: dict) -> str:
    """The record as an indented JSON document."""
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def record_csv(record: dict) -> str:
    """The record in one long CSV: table, row id, field, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row_id", "field", "value"])
    sections = [("patients", [record["patient"]]), ("clinics", [record["clinic"]])]
    sections += sorted(record["tables"].items())
    for name, rows in sections:
        for row in rows:
            for field, value in row.items():
                writer.writerow([name, row.get("id", ""), field, _cell(value)])
    return out.getvalue()
