"""Today's date where the clinic is; domain functions take dates as arguments, views ask here."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from portal.core.database import now_utc


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("PORTAL_TIMEZONE", "Europe/London"))


def today() -> date:
    """The calendar date at the clinic now."""
    return now_utc().astimezone(local_zone()).date()


def local_time(moment: datetime) -> datetime:
    """A UTC time shown in the clinic's zone."""
    return moment.astimezone(local_zone())


def years_from(day: date, years: int) -> date:
    """The same calendar day `years` later (negative: earlier); 29 February falls to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
