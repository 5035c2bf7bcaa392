"""Formal clinic assessments: record, edit and list them."""
