"""Route of the six-monthly themed board summary, under /feedback/summary/ in the "feedback" namespace."""

from django.urls import path

from feedback.views import response_analysis as analysis

urlpatterns = [
    path("", analysis.board_summary, name="board-summary"),
]
