"""Infusion courses: recorded by the clinic, shown to the family on a calendar."""
