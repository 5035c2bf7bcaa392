"""Medication history and weights for a patient."""
