"""The audit trail: the model, how views feed it, and the page where staff read it."""
