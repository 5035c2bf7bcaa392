"""The JSON API under /api/v1: the same domain functions and rules as the pages, for the
offline-capable client and integrations."""
