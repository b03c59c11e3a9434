"""The history of a record: who did what to it, and when, kept for every change.

Audits, remedial actions, escalations and complaints each keep their history in their own table, as rows of a
model that subclasses `models.HistoryEvent` and names the record it belongs to in `subject_field`. A service
writes an event with `services.event_record` inside its own transaction, so the change and its history commit
together; a page reads it with `selectors.history_for` and shows it with the qaf/history/timeline.html include.
This package imports no app: each concrete event model says, through its class attributes, what it records
and how its kinds read.
"""
