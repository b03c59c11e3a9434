"""Reads of the audits app: what its pages, API and reports show."""
