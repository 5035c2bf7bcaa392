"""The least a Flask app can do for the diary's calls: the lean peer of benchmarks/throughput.py.

A signed-cookie login (Flask's own session), one user lookup per request, then either one
INSERT with a unique client_id and a commit, or one SELECT of a month of entries. No
audit, no device session, no permissions beyond "this user's child", no templates.
Its tables (lean_users, lean_entries) sit beside the portal's in the same database.

Served by gunicorn exactly as the portal is:  gunicorn 'benchmarks.lean_peer:create()'
with LEAN_DATABASE_URL and LEAN_SECRET_KEY in the environment.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from flask import Flask, abort, request, session
from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    insert,
    select,
)

metadata = MetaData()
lean_users = Table(
    "lean_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(200), nullable=False, unique=True),
    Column("patient_id", Integer, nullable=False),
)
lean_entries = Table(
    "lean_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", Integer, nullable=False, index=True),
    Column("author_id", ForeignKey("lean_users.id"), nullable=False),
    Column("client_id", String(36), nullable=False, unique=True),
    Column("entry_date", Date, nullable=False),
    Column("strength", Integer),
)


def make_engine(url: str):
    """An engine with the same SQLite settings as the portal's (WAL, busy timeout)."""
    engine = create_engine(url)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def create() -> Flask:
    """The lean app on LEAN_DATABASE_URL."""
    app = Flask(__name__)
    app.secret_key = os.environ["LEAN_SECRET_KEY"]
    engine = make_engine(os.environ["LEAN_DATABASE_URL"])

    def current_user(connection):
        user_id = session.get("uid")
        if not isinstance(user_id, int):
            abort(401)
        row = connection.execute(select(lean_users).where(lean_users.c.id == user_id)).first()
        if row is None:
            abort(401)
        return row

    @app.post("/login")
    def login():
        with engine.connect() as connection:
            row = connection.execute(
                select(lean_users.c.id).where(lean_users.c.email == request.form["email"])
            ).first()
        if row is None:
            abort(403)
        session["uid"] = row.id
        return {"ok": True}

    @app.get("/patients/<int:patient_id>/diary")
    def month(patient_id: int):
        start = date.fromisoformat(request.args["from"])
        with engine.connect() as connection:
            user = current_user(connection)
            if user.patient_id != patient_id:
                abort(404)
            rows = connection.execute(
                select(lean_entries.c.id, lean_entries.c.entry_date, lean_entries.c.strength)
                .where(lean_entries.c.patient_id == patient_id, lean_entries.c.entry_date >= start)
                .order_by(lean_entries.c.entry_date.desc())
            ).all()
        return {
            "entries": [
                {"id": r.id, "date": r.entry_date.isoformat(), "strength": r.strength} for r in rows
            ]
        }

    @app.post("/patients/<int:patient_id>/diary")
    def add(patient_id: int):
        payload = request.get_json()
        with engine.begin() as connection:
            user = current_user(connection)
            if user.patient_id != patient_id:
                abort(404)
            connection.execute(
                insert(lean_entries).values(
                    patient_id=patient_id,
                    author_id=user.id,
                    client_id=str(payload["client_id"]),
                    entry_date=date.fromisoformat(payload["date"]),
                    strength=payload.get("strength"),
                )
            )
        return {"ok": True}, 201

    return app


def seed(url: str, patient_id: int, email: str, today: date, days: int) -> None:
    """The lean tables, one user linked to `patient_id`, and `days` daily entries."""
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        user_id = connection.execute(
            insert(lean_users).values(email=email, patient_id=patient_id)
        ).inserted_primary_key[0]
        connection.execute(
            insert(lean_entries),
            [
                {
                    "patient_id": patient_id,
                    "author_id": user_id,
                    "client_id": f"00000000-0000-4000-8000-{n:012d}",
                    "entry_date": today - timedelta(days=n),
                    "strength": n % 3,
                }
                for n in range(days)
            ],
        )
    engine.dispose()
