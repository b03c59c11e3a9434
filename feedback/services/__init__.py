"""Services of the feedback app, one module per area; complaints and compliments are re-exported here."""

from feedback.services.complaints import (
    CHANGED,
    LOGGED,
    TRACKED,
    complaint_log,
    complaint_response_due,
    complaint_update,
    compliment_log,
    partnership_feedback_delete,
)

__all__ = [
    "CHANGED",
    "LOGGED",
    "TRACKED",
    "complaint_log",
    "complaint_response_due",
    "complaint_update",
    "compliment_log",
    "partnership_feedback_delete",
]
