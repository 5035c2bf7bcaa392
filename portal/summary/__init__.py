"""The clinic summary of a patient: a PDF over a date range, for clinic letters."""
