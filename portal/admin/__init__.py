"""Administration: clinics and staff accounts."""
