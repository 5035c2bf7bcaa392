"""FHIR R4 (R4B models): a patient's record as a Bundle, and what the portal publishes."""
