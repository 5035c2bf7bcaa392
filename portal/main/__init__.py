"""Landing, health and readiness."""
