"""The audit engine's models, one module per aggregate: tools, the annual plan, audits, moderation, sampling,
safeguarding concerns."""

from audits.models.audits import (
    Audit,
    AuditAnswer,
    AuditAssignment,
    AuditEvent,
    AuditKind,
    AuditLevel,
    AuditSectionResult,
    AuditStatus,
    CaseReviewRecord,
    Level2Form,
    PanelMember,
)
from audits.models.concerns import SafeguardingConcern
from audits.models.grades import Grade
from audits.models.grants import AuditUserObjectPermission
from audits.models.moderation import Moderation, ModerationSectionGrade
from audits.models.plans import ActivityKind, AuditPlan, AuditPlanStatus, PlannedActivity
from audits.models.sampling import Sample, SampleItem
from audits.models.tools import (
    AuditTool,
    AuditToolVersion,
    ToolKind,
    ToolQuestion,
    ToolSection,
    ToolVersionStatus,
)

__all__ = [
    "SafeguardingConcern",
    "ActivityKind",
    "Audit",
    "AuditAnswer",
    "AuditAssignment",
    "AuditEvent",
    "AuditKind",
    "AuditLevel",
    "AuditPlan",
    "AuditPlanStatus",
    "AuditSectionResult",
    "AuditStatus",
    "AuditTool",
    "AuditUserObjectPermission",
    "AuditToolVersion",
    "CaseReviewRecord",
    "Grade",
    "Level2Form",
    "Moderation",
    "ModerationSectionGrade",
    "PanelMember",
    "PlannedActivity",
    "Sample",
    "SampleItem",
    "ToolKind",
    "ToolQuestion",
    "ToolSection",
    "ToolVersionStatus",
]
