"""Bringing a clinic spreadsheet in: the import page and the import command."""
