"""Keeping health values out of the logs: every record is scrubbed as it is made.

The engine is created with ``hide_parameters=True``, but a value can still reach a
log line by other roads: PostgreSQL's ``DETAIL: Failing row contains (…)``, the
engine's own DEBUG lines (result rows, parameters), a statement compiled with its
literals, or an exception message quoted in a traceback. `scrub` removes each of
those; `install_log_privacy` applies it to every record of every logger (the
app's, werkzeug's, gunicorn's, SQLAlchemy's) through the log record factory, so no
handler, however it was added, sees the raw text.
"""

from __future__ import annotations

import logging
import re
import traceback

HIDDEN_PARAMETERS = "[parameters hidden]"
HIDDEN_ROW = "[row hidden]"
HIDDEN_DETAIL = "[detail hidden]"

# "[parameters: (…)]" (one line or many) in SQLAlchemy's error messages.
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$|\s*\(Background)", re.DOTALL)
# The engine's log lines that carry bound values: "[generated in 0.0002s] (1, 'x')",
# "[cached since 3s ago] {...}", "[raw sql] (...)", "[insertmanyvalues 1/3 …] (…)".
_PARAMETER_LINE = re.compile(
    r"\[(?:generated in|cached since|raw sql|dialect \w+ does not support caching|"
    r"insertmanyvalues|no key)[^\]]*\]\s*.*",
    re.DOTALL,
)
# PostgreSQL (psycopg) quotes the offending values after DETAIL / Key (…)=(…).
_DETAIL = re.compile(r"DETAIL:.*?(?=\n\[|\n\(Background|\nHINT:|\Z)", re.DOTALL)
_KEY_VALUE = re.compile(r"Key \(([^)]*)\)=\(.*?\)( already exists| is not present)?")
_FAILING_ROW = re.compile(r"Failing row contains \(.*?\)\.?", re.DOTALL)
# Statements: their string and number literals become '?'.
_SQL = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|SELECT\b[\s\S]*?\bFROM|VALUES\s*\()",
    re.IGNORECASE,
)
_STRING_LITERAL = re.compile(r"'(?:[^']|'')*'|E'(?:[^'\\]|\\.|'')*'")
_NUMBER_LITERAL = re.compile(r"(?<![\w.$:])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_ENGINE_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool")


# Where a statement ends inside a longer text: the next "[…]" block, a traceback line.
_SQL_END = re.compile(
    r"\n\[|\n\(Background|\nTraceback|\n\s*File \"|\n\S+(?:Error|Exception|Violation)\b"
)


def _scrub_statement(statement: str) -> str:
    statement = _STRING_LITERAL.sub("'?'", statement)
    return _NUMBER_LITERAL.sub("?", statement)


def _scrub_sql(text: str) -> str:
    """Literals out of every SQL statement the text holds; other text is left alone."""
    parts: list[str] = []
    position = 0
    while (match := _SQL.search(text, position)) is not None:
        end = _SQL_END.search(text, match.end())
        stop = end.start() if end else len(text)
        parts += [text[position : match.start()], _scrub_statement(text[match.start() : stop])]
        position = stop
    parts.append(text[position:])
    return "".join(parts)


def scrub(text: str) -> str:
    """The text with parameter dumps, row values and SQL literals removed."""
    if not text:
        return text
    text = _PARAMETERS.sub(HIDDEN_PARAMETERS, text)
    text = _FAILING_ROW.sub("Failing row " + HIDDEN_ROW, text)
    text = _KEY_VALUE.sub(lambda m: f"Key ({m.group(1)})=(?){m.group(2) or ''}", text)
    text = _DETAIL.sub("DETAIL: " + HIDDEN_DETAIL, text)
    return _scrub_sql(text)


def _scrub_engine_message(message: str) -> str:
    """SQLAlchemy's own log lines: statements keep their shape, values never show."""
    stripped = message.lstrip()
    if stripped.startswith(("Row ", "Col ")):
        return HIDDEN_ROW
    if _PARAMETER_LINE.match(stripped):
        return HIDDEN_PARAMETERS
    return scrub(message)


class HealthDataFilter(logging.Filter):
    """Rewrites a record in place so that its message and traceback hold no values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_portal_scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        if record.name.startswith(_ENGINE_LOGGERS):
            message = _scrub_engine_message(message)
        else:
            message = scrub(message)
        record.msg, record.args = message, ()
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = scrub(text.rstrip("\n"))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        record._portal_scrubbed = True
        return True


_FILTER = HealthDataFilter()
# Loggers whose handlers exist before the app's factory runs (gunicorn sets its own up).
KNOWN_LOGGERS = ("", "werkzeug", "gunicorn.error", "gunicorn.access", "sqlalchemy", "flask.app")


def install_log_privacy(app_logger: logging.Logger | None = None) -> None:
    """Scrub every log record from now on (idempotent; safe to call once per app)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "_portal_scrubbing", False):

        def scrubbing_factory(*args, **kwargs) -> logging.LogRecord:
            record = current(*args, **kwargs)
            _FILTER.filter(record)
            return record

        scrubbing_factory._portal_scrubbing = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(scrubbing_factory)
    # Belt and braces for records built by hand (logging.makeLogRecord) and handed
    # straight to a handler: the handlers that exist now filter them too.
    loggers = [logging.getLogger(name) for name in KNOWN_LOGGERS]
    if app_logger is not None:
        loggers.append(app_logger)
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
