"""Course-response reports: per patient and across the cohort, as pages, JSON and CSV."""
