"""The clinic side: enrolling patients, codes for guardians, the patient record."""
