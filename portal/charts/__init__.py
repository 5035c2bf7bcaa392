"""Progress charts: the parent's diary chart, the child's own page and the clinician's chart."""
