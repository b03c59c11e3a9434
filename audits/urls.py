"""Audit pages. Each area keeps its routes in its own module; they share the "audits" namespace."""

from audits.urls_actions import urlpatterns as action_patterns
from audits.urls_audits import urlpatterns as audit_patterns
from audits.urls_escalations import urlpatterns as escalation_patterns
from audits.urls_form import urlpatterns as form_patterns
from audits.urls_moderation import urlpatterns as moderation_patterns
from audits.urls_plans import urlpatterns as plan_patterns
from audits.urls_tools import urlpatterns as tool_patterns
from audits.urls_tracker import urlpatterns as tracker_patterns

app_name = "audits"

urlpatterns = [
    *tool_patterns,
    *plan_patterns,
    *moderation_patterns,
    *form_patterns,
    *escalation_patterns,
    *tracker_patterns,
    *action_patterns,
    *audit_patterns,
]
