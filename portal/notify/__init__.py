"""Reaching the family: email (and its development outbox)."""
