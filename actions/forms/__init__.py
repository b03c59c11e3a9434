"""Forms of the remedial action and escalation pages."""
