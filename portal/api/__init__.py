"""The JSON API under /api/v1: the same services and rules as the pages, for the
offline-capable client and integrations."""
