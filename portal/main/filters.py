"""Jinja filters for dates and numbers as families and clinicians read them."""

from datetime import date, datetime

from flask import Flask


def long_date(value: date | datetime | None) -> str:
    """'Mon 3 Mar 2025' — unambiguous in every locale."""
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def short_date(value: date | datetime | None) -> str:
    """'3 Mar 2025'."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def number(value: float | int | None, places: int = 1) -> str:
    """A number without trailing zeros, or a dash for none."""
    if value is None:
        return "–"
    text = f"{value:.{places}f}"
    if "." in text:  # strip trailing zeros of decimals only: 30 stays 30
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−") if text.startswith("-") else text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 day', '3 days'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        long_date=long_date, short_date=short_date, number=number, plural=plural
    )
