"""A site summary: de-identified rows, hashed lots, a signature over exactly its payload."""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portal.outcomes.course_outcomes import course_outcomes
from portal.research import signing
from portal.research.site_summary import (
    age_band,
    build_summary,
    canonical,
    hash_lot,
    signed_file,
    summary_row,
)
from tests.unit.outcomes.records import Patient, diary

SALT = b"network-salt-for-tests"
D0 = date(2024, 2, 5)


def outcomes():
    ada = Patient("HOSP-0042", born=date(2016, 7, 9))
    ada.course(D0, days=3, lots=("A1", "B2"), change=(20.0, 23.5), effects=diary(headache=3))
    ada.course(D0 + timedelta(days=42), days=5, lots=("A1",), effects=diary())
    return course_outcomes([ada.record])


def test_a_row_holds_the_regimen_interval_lots_change_effects_and_age_band_only():
    first, second = (summary_row(o, SALT) for o in outcomes())
    assert first == {
        "total_dose_g_per_kg": 2.0,
        "days": 3,
        "daily_mg_per_kg": 666.7,
        "interval_days": None,
        "product": "Privigen",
        "lots": sorted([hash_lot(SALT, "Privigen", "A1"), hash_lot(SALT, "Privigen", "B2")]),
        "age_band": "5-9",
        "myometry_change": 3.5,
        "before_day": -1,
        "after_day": 10,
        "changes": {"mean_myometry": 3.5},
        "subjective_change": None,
        "diary_reported": True,
        "side_effects": ["any_severe", "any_symptom", "headache", "severe_headache"],
    }
    assert second["interval_days"] == 42 and second["myometry_change"] is None
    assert second["before_day"] is None and second["side_effects"] == []


def test_the_summary_names_no_patient_and_no_date_of_a_course():
    payload = build_summary(outcomes(), site="north", generated_on=date(2026, 12, 2), salt=SALT)
    text = json.dumps(payload)
    assert "HOSP-0042" not in text and "2016" not in text
    assert re.findall(r"\d{4}-\d{2}-\d{2}", text) == ["2026-12-02"]  # the day it was written
    assert "A1" not in text and "B2" not in text  # lots only as hashes


def test_one_lot_has_one_hash_for_every_site_of_the_network_and_another_elsewhere():
    assert hash_lot(SALT, "Privigen", "a1 ") == hash_lot(SALT, " privigen", "A1")
    assert hash_lot(SALT, "Privigen", "A1") != hash_lot(b"another-network", "Privigen", "A1")
    assert hash_lot(SALT, "Privigen", "A1") != hash_lot(SALT, "Octagam", "A1")


def test_rows_are_shuffled_so_neighbours_tell_nothing_of_one_child():
    many = outcomes() * 10
    orders = {
        tuple(json.dumps(r) for r in build_summary(many, site="n", generated_on=D0, salt=SALT,
                                                   shuffle=random.Random(seed))["courses"])
        for seed in range(5)
    }  # fmt: skip
    assert len(orders) > 1


def test_age_bands_are_five_years_wide_and_never_the_age():
    assert [age_band(a) for a in (0, 4, 5, 9, 10, 14, 15, 17, None)] == [
        "0-4", "0-4", "5-9", "5-9", "10-14", "10-14", "15+", "15+", "unknown",
    ]  # fmt: skip


def test_the_signature_covers_exactly_the_payload():
    key = Ed25519PrivateKey.generate()
    payload = build_summary(outcomes(), site="north", generated_on=D0, salt=SALT)
    document = json.loads(signed_file(payload, key))
    public = signing.public_key_text(key)
    assert document["public_key"] == public
    assert signing.verify(public, canonical(document["payload"]), document["signature"])
    document["payload"]["courses"][0]["myometry_change"] = 30.0
    assert not signing.verify(public, canonical(document["payload"]), document["signature"])
    other = signing.public_key_text(Ed25519PrivateKey.generate())
    assert not signing.verify(other, canonical(payload), document["signature"])
