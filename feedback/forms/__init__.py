"""Forms of the feedback app, one module per area; complaints and compliments are re-exported here."""

from feedback.forms.complaints import (
    ComplaintChangeForm,
    ComplaintFilterForm,
    ComplaintForm,
    ComplimentFilterForm,
    ComplimentForm,
)

__all__ = [
    "ComplaintChangeForm",
    "ComplaintFilterForm",
    "ComplaintForm",
    "ComplimentFilterForm",
    "ComplimentForm",
]
