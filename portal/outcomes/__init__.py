"""Outcomes: pairing, diary windows and summaries, side effects, statistics, course response.

Below both the charts and the reports, so that neither depends on the other.
"""
