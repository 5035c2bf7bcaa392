"""Dates at the clinic: 'today' in its time zone, whole years for date limits."""

from datetime import UTC, date, datetime

import pytest

from portal.core import clock
from tests.conftest import suite_now


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2025, 6, 16), 2, date(2027, 6, 16)),
        (date(2025, 6, 16), -2, date(2023, 6, 16)),
        (date(2024, 2, 29), 2, date(2026, 2, 28)),
        (date(2024, 2, 29), -4, date(2020, 2, 29)),
    ],
)
def test_years_from_keeps_the_calendar_day(day, years, expected):
    assert clock.years_from(day, years) == expected


def test_today_is_the_clinic_date_not_the_utc_date(app, monkeypatch):
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    monkeypatch.setattr(clock, "now_utc", lambda: datetime(2025, 6, 30, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2025, 7, 1)


def test_the_suite_runs_at_its_fixed_instant_not_on_the_day_it_is_run(app):
    assert clock.today() == suite_now().astimezone(clock.local_zone()).date()
    assert abs(clock.now_utc() - suite_now()).total_seconds() < 60
