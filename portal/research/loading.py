"""The hub's side of a site summary: register a site, check a file, store its courses.

A file is accepted whole or not at all: it must be a site summary of a known format,
name a registered site, carry that site's signature over exactly its payload, be
newer than the site's summary already loaded, and hold only rows of the agreed shape.
A refusal is a FieldError on the upload's "file" field, saying which rule failed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from portal.assessments.measures import REPORTED_BY_NAME
from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.text_rules import CONTROL_CHARACTERS
from portal.outcomes.course_outcomes import OUTCOME_LABELS
from portal.research import signing
from portal.research.models import ResearchSite, SiteSummary, SummaryCourse
from portal.research.site_summary import BAND_NAMES, FORMAT, VERSION, canonical

MAX_COURSES = 100_000
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
LOT_HASH = re.compile(r"^[0-9a-f]{16}$")
FIELD = "file"
# A row holds exactly these keys: each stored, apart from the dose per day (derived).
STORED = (
    "total_dose_g_per_kg",
    "days",
    "interval_days",
    "product",
    "lots",
    "age_band",
    "myometry_change",
    "before_day",
    "after_day",
    "changes",
    "subjective_change",
    "diary_reported",
    "side_effects",
)
ROW_KEYS = frozenset({*STORED, "daily_mg_per_kg"})


def _refuse(message: str) -> FieldError:
    return FieldError(FIELD, message)


def site_code(text: str, field: str = "code") -> str:
    """A site's code: 2 to 40 lower-case letters, digits and hyphens."""
    code = (text or "").strip().lower()
    if not CODE.match(code):
        raise FieldError(field, "Use 2 to 40 lower-case letters, digits and hyphens.")
    return code


def register_site(code: str, name: str, public_key: str, by: User | None) -> ResearchSite:
    """A site whose summaries the hub will accept; its code is new, its key well formed."""
    errors = {}
    try:
        code = site_code(code)
    except FieldError as error:
        errors.update(error.errors)
    try:
        key = signing.parse_public_key(public_key)
    except FieldError as error:
        errors.update(error.errors)
    if not errors and db.session.scalar(select(ResearchSite.id).where(ResearchSite.code == code)):
        errors["code"] = "A site with this code is registered already."
    if errors:
        raise FieldError(errors)
    site = ResearchSite(code=code, name=name.strip() or code, public_key=key)
    site.created_by_id = by.id if by else None
    db.session.add(site)
    db.session.flush()
    return site


@dataclass(frozen=True)
class SignedSummary:
    payload: dict
    signature: str
    digest: str


def read_summary(data: bytes) -> SignedSummary:
    """The file's payload and signature, if it is a site summary at all."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse("This is not a site summary: it is not JSON in UTF-8.") from None
    payload = document.get("payload") if isinstance(document, dict) else None
    signature = document.get("signature") if isinstance(document, dict) else None
    if not isinstance(payload, dict) or not isinstance(signature, str):
        raise _refuse("This is not a site summary: it has no signed payload.")
    if payload.get("format") != FORMAT:
        raise _refuse("This is not a site summary of the IVIG diary portal.")
    if payload.get("version") != VERSION:
        raise _refuse(f"This summary is of format version {payload.get('version')!r}; "
                      f"this hub reads version {VERSION}.")  # fmt: skip
    return SignedSummary(payload, signature, hashlib.sha256(data).hexdigest())


def _site(payload: dict) -> ResearchSite:
    code = payload.get("site")
    site = None
    if isinstance(code, str) and CODE.match(code):
        site = db.session.scalar(select(ResearchSite).where(ResearchSite.code == code))
    if site is None:
        raise _refuse("This summary names a site that is not registered at this hub.")
    return site


def _number(value: object, low: float, high: float, *, integer: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if integer and not isinstance(value, int):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return low <= value <= high  # a 400-digit int compares without becoming a float


def _optional(value: object, low: float, high: float, *, integer: bool = False) -> bool:
    return value is None or _number(value, low, high, integer=integer)


def _row_problem(row: object) -> str | None:
    """What is wrong with one course row, or None."""
    if not isinstance(row, dict):
        return "not a course"
    unknown = sorted(set(row) - ROW_KEYS)
    if unknown:
        return f"fields that a summary never holds ({', '.join(unknown)[:80]})"
    checks = {
        "daily_mg_per_kg": _number(row.get("daily_mg_per_kg"), 10, 3000),
        "total_dose_g_per_kg": _number(row.get("total_dose_g_per_kg"), 0.1, 3),
        "days": _number(row.get("days"), 1, 5, integer=True),
        "interval_days": _optional(row.get("interval_days"), 0, 3650, integer=True),
        "product": isinstance(row.get("product"), str)
        and len(row["product"]) <= 80
        and not CONTROL_CHARACTERS.search(row["product"]),
        "lots": isinstance(row.get("lots"), list)
        and len(row["lots"]) <= 20
        and all(isinstance(h, str) and LOT_HASH.match(h) for h in row["lots"]),
        "age_band": isinstance(row.get("age_band"), str) and row["age_band"] in BAND_NAMES,
        "myometry_change": _optional(row.get("myometry_change"), -500, 500),
        "before_day": _optional(row.get("before_day"), -7, 0, integer=True),
        "after_day": _optional(row.get("after_day"), 1, 14, integer=True),
        "changes": isinstance(row.get("changes"), dict)
        and all(k in REPORTED_BY_NAME and _number(v, -1e6, 1e6) for k, v in row["changes"].items()),
        "subjective_change": _optional(row.get("subjective_change"), -4, 4),
        "diary_reported": isinstance(row.get("diary_reported"), bool),
        "side_effects": isinstance(row.get("side_effects"), list)
        and all(isinstance(s, str) and s in OUTCOME_LABELS for s in row["side_effects"]),
    }
    wrong = [name for name, ok in checks.items() if not ok]
    wrong += sorted(ROW_KEYS - set(row) - set(wrong))
    return f"{', '.join(wrong)} not as agreed" if wrong else None


def _courses(payload: dict) -> list[dict]:
    rows = payload.get("courses")
    if not isinstance(rows, list) or len(rows) > MAX_COURSES:
        raise _refuse(f"The summary must hold a list of at most {MAX_COURSES} courses.")
    for number, row in enumerate(rows, start=1):
        problem = _row_problem(row)
        if problem:
            raise _refuse(f"Course {number} of the summary: {problem}. Nothing was loaded.")
    return rows


def _generated_on(payload: dict) -> date:
    try:
        return date.fromisoformat(str(payload.get("generated_on")))
    except ValueError:
        raise _refuse("The summary has no valid date of writing.") from None


def _current(site: ResearchSite) -> SiteSummary | None:
    return db.session.scalar(
        select(SiteSummary).where(
            SiteSummary.site_id == site.id, SiteSummary.superseded_at.is_(None)
        )
    )


def _check_order(site: ResearchSite, generated_on: date, digest: str) -> SiteSummary | None:
    if db.session.scalar(select(SiteSummary.id).where(SiteSummary.digest == digest)):
        raise _refuse("This very file was loaded already; nothing changed.")
    current = _current(site)
    if current is not None and generated_on < current.generated_on:
        raise _refuse(
            f"{site.name} sent a newer summary (written {current.generated_on.isoformat()}) "
            "that is loaded already; this older one was not."
        )
    return current


def load_summary(data: bytes, *, by: User | None, now: datetime) -> SiteSummary:
    """Check a summary file and store its courses; the site's earlier summary is superseded."""
    signed = read_summary(data)
    payload = signed.payload
    site = _site(payload)
    try:
        message = canonical(payload)
    except (RecursionError, ValueError):
        raise _refuse("This summary cannot be read back as it was signed.") from None
    if not signing.verify(site.public_key, message, signed.signature):
        raise _refuse(
            f"The signature does not match the key registered for {site.name}: the file "
            "was changed after signing, or signed with another key."
        )
    generated_on = _generated_on(payload)
    rows = _courses(payload)
    current = _check_order(site, generated_on, signed.digest)
    if current is not None:
        current.superseded_at = now
    salt_id = payload.get("lot_salt_id")
    summary = SiteSummary(
        site=site,
        generated_on=generated_on,
        format_version=VERSION,
        digest=signed.digest,
        lot_salt_id=salt_id if isinstance(salt_id, str) and len(salt_id) <= 16 else "",
        course_count=len(rows),
        loaded_at=now,
        loaded_by_id=by.id if by else None,
    )
    db.session.add(summary)
    db.session.flush()
    if rows:  # one statement for every course, however many
        db.session.execute(
            SummaryCourse.__table__.insert(),
            [{**{name: row[name] for name in STORED}, "summary_id": summary.id} for row in rows],
        )
    return summary
