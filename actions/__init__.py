"""Remedial actions and case escalations, raised from audits and from any other QA activity."""
