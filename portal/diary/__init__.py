"""The family's home diary: entries placed on the infusion calendar, and their alerts."""
