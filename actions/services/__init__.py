"""Every write to remedial actions and case escalations, and the emails and reminders they send."""
