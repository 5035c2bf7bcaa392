"""The clinic's remote review of home reports: dashboard, acknowledgements, replies."""
