"""Pages of remedial actions and case escalations."""
