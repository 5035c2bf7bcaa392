"""A site summary: the clinic's given courses, de-identified, as a signed file to send.

Rules (docs/clinical-rules.md, "Site summaries"):

* One row per given course: its regimen (total dose, days, dose per day), the days
  since the same child's previous course, the product and its lots (each hashed
  with the network's salt, so one lot has one hash at every site), the change in
  mean myometry and every other paired measure, the family's perceived change, the
  side effects the diary reported, and the child's age band at the course.
* Nothing else: no name, hospital reference, date of birth, internal id or date. The
  before and after assessments are given in days from the course (−1, +10).
* Rows are shuffled, so that neighbouring rows tell nothing of being one child's.
* The file is the payload in canonical JSON, signed with the site's Ed25519 key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Sequence
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portal.clinic.models import Clinic
from portal.infusions.models import daily_dose_mg_per_kg
from portal.outcomes.cohort_data import load_records, scope_filter
from portal.outcomes.course_outcomes import OUTCOME_LABELS, CourseOutcome, course_outcomes
from portal.research import signing

FORMAT = "ivig-portal-site-summary"
VERSION = 1
AGE_BANDS = ((0, 5, "0-4"), (5, 10, "5-9"), (10, 15, "10-14"), (15, None, "15+"))
UNKNOWN_AGE = "unknown"
BAND_NAMES = {name for _, _, name in AGE_BANDS} | {UNKNOWN_AGE}


def age_band(age: int | None) -> str:
    """A five-year band, never the age itself."""
    if age is None:
        return UNKNOWN_AGE
    for low, high, name in AGE_BANDS:
        if age >= low and (high is None or age < high):
            return name
    return UNKNOWN_AGE


def hash_lot(salt: bytes, product: str, lot_number: str) -> str:
    """A lot's name at every site of the network, which gives the lot number away to none."""
    text = f"{product.strip().casefold()}\x1f{lot_number.strip().casefold()}"
    return hmac.new(salt, text.encode(), hashlib.sha256).hexdigest()[:16]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summary_row(outcome: CourseOutcome, salt: bytes) -> dict:
    """One course as the hub receives it."""
    course, response = outcome.course, outcome.response
    myometry = response.myometry
    lots = sorted({hash_lot(salt, course.product, n) for n in course.lots if n.strip()})
    return {
        "total_dose_g_per_kg": round(course.total_dose_g_per_kg, 2),
        "days": course.days,
        "daily_mg_per_kg": daily_dose_mg_per_kg(course.total_dose_g_per_kg, course.days),
        "interval_days": outcome.interval_days,
        "product": course.product.strip(),
        "lots": lots,
        "age_band": age_band(outcome.age_years),
        "myometry_change": _round(myometry.change) if myometry else None,
        "before_day": (response.before.day - course.start).days if myometry else None,
        "after_day": (response.after.day - course.span.end).days if myometry else None,
        "changes": {name: _round(c.change) for name, c in sorted(response.changes.items())},
        "subjective_change": _round(response.subjective.change) if response.subjective else None,
        "diary_reported": outcome.reported,
        "side_effects": sorted(outcome.side_effects()),
    }


def build_summary(
    outcomes: Sequence[CourseOutcome],
    *,
    site: str,
    generated_on: date,
    salt: bytes,
    shuffle: random.Random | None = None,
) -> dict:
    """The payload of a site summary: the site's code, the day, and the courses shuffled."""
    rows = [summary_row(outcome, salt) for outcome in outcomes]
    (shuffle or random.SystemRandom()).shuffle(rows)
    return {
        "format": FORMAT,
        "version": VERSION,
        "site": site,
        "generated_on": generated_on.isoformat(),
        "lot_salt_id": signing.salt_id(salt),
        "outcomes": list(OUTCOME_LABELS),
        "courses": rows,
    }


def canonical(payload: dict) -> bytes:
    """The bytes a signature covers: sorted keys, no spaces, UTF-8."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def signed_file(payload: dict, key: Ed25519PrivateKey) -> bytes:
    """The file a site sends: the payload, its signature and the signing key's public half."""
    document = {
        "payload": payload,
        "public_key": signing.public_key_text(key),
        "signature": signing.sign(key, canonical(payload)),
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def clinic_summary(
    clinic: Clinic, *, site: str, generated_on: date, salt: bytes, key: Ed25519PrivateKey
) -> tuple[bytes, int]:
    """The signed summary file of one clinic's given courses, and how many it holds."""
    outcomes = course_outcomes(load_records(scope_filter(clinic=clinic)))
    payload = build_summary(outcomes, site=site, generated_on=generated_on, salt=salt)
    return signed_file(payload, key), len(outcomes)
