"""Writes of the audits app: every change to tools, plans, audits, sampling and moderation."""
