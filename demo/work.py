"""Doing the demo's audits as their auditors would, through the real services, then dating what was done.

`demo.audits` schedules the year's audits and decides, for each, how far it has got (a `Job`); this
module answers the sections, saves the summary, submits, moderates and closes through audits.services, records
the Level 4 consent and meeting, and finally moves the timestamps (the audit's, its history's, its
moderation's) back to the days the work was done, so the pages read like a year in progress.

Two steps are written directly, exactly as the services would write them, because going through the
services there regrades the whole audit each time and would cost the demo seconds: the answers to every
section but the last (the service call for the last one grades them all), and a summary that overrides no
grade (submitting regrades anyway).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils import timezone

from audits import grading
from audits.models import (
    Audit,
    AuditAnswer,
    AuditAssignment,
    AuditEvent,
    AuditSectionResult,
    AuditStatus,
    Moderation,
    PanelMember,
    ToolSection,
)
from audits.services import answering, case_review, moderation, workflow
from demo import findings
from ehcp.models import Child
from qaf.history.services import event_record
from qaf.models import Theme, User

DONE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)
MINUTE = dt.timedelta(minutes=1)
# The audits' work ends this long before the seed's moment at the latest, leaving room for what follows it
# (the re-audit link, and the actions raised on an audit with their history), all before that moment.
RESERVE = 30 * MINUTE
# History actions dated to when the audit was scheduled, and those dated to the work on it.
SCHEDULING_KINDS = {"scheduled", "assignment_notified", "panel_member_added", "case_review_set_up"}
WORK_KINDS = {"answered", "case_review_updated", "consent_recorded"}


@dataclass
class Job:
    """One scheduled audit and what the demo does with it."""

    audit: Audit
    child: Child
    family: str  # which findings bank its strengths and areas come from
    created: dt.date
    due: dt.date
    author: User  # saves the summary and submits
    editors: list[User]  # answer the sections in turn (the Level 3 panel shares the work)
    moderator: User
    year_group: int
    period: tuple[dt.date, dt.date]  # the half term (or term) the audit belongs to
    future: bool = False
    forced: bool = False  # its state and grade are set on purpose (the re-audit pair)
    state: str = AuditStatus.SCHEDULED
    rank: float = 3
    # The overall grades the auditor may give: one the answers compute, else the first, as an override.
    grades: tuple[str, ...] = ()
    started_by: dt.date | None = None  # the work had begun by this day
    days: dict[str, dt.date] = field(default_factory=dict)  # started, submitted, moderated, closed
    consent_on: dt.date | None = None
    met_on: dt.date | None = None
    extra_strength: str = ""
    after: Job | None = None  # the audit this one re-audits: its work starts after that one was submitted
    stamps: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.state in DONE


@dataclass
class Work:
    """What doing the audits needs: the seeded random source, the sections of each tool version, people."""

    rng: random.Random
    sqa: User
    sections: dict[int, list[ToolSection]]
    themes: dict[str, Theme]
    moderated: int = 0  # moderations so far, and how many of them agreed with the auditor's overall grade
    agreed: int = 0


def _rank(grade: str) -> int:
    return next(r for r, g in findings.GRADES_BY_RANK.items() if g == grade)


def _shift(grade: str, step: int) -> str:
    rank = _rank(grade)
    moved = rank + step
    if moved not in findings.GRADES_BY_RANK:
        moved = rank - step
    return findings.GRADES_BY_RANK[moved]


def _themes(work: Work, job: Job, section_grades: dict[int, str]) -> list[int]:
    ids = set(job.audit.themes.values_list("pk", flat=True))
    weak = {findings.Grade.REQUIRES_IMPROVEMENT, findings.Grade.INADEQUATE}
    sections = work.sections[job.audit.tool_version_id]
    extra = {
        "Looked-after children": job.child.looked_after,
        "Quality of health advice": any(
            findings.is_health(s) and section_grades.get(s.pk) in weak for s in sections
        ),
        "Preparation for adulthood": job.year_group >= 9 and work.rng.random() < 0.4,
    }
    ids |= {work.themes[name].pk for name, applies in extra.items() if applies and name in work.themes}
    return sorted(ids)


def _case_review(work: Work, job: Job) -> None:
    record = job.audit.case_review
    given_by, how = work.rng.choice(findings.CONSENT)
    meeting = work.rng.choice(findings.MEETINGS) if job.met_on else {}
    case_review.case_review_update(
        record=record,
        by=job.author,
        consent_given_by=given_by,
        consent_given_on=job.consent_on,
        consent_how=how,
        met_on=job.met_on,
        **meeting,
    )


def _moderate(work: Work, job: Job, section_grades: dict[int, str]) -> None:
    rng = work.rng
    given, lowered, disagreed = {}, 0, False
    for section in work.sections[job.audit.tool_version_id]:
        grade = section_grades.get(section.pk)
        if not grade:
            continue
        if rng.random() < (0.35 if findings.is_hotspot(section) else 0.06):
            step = -1 if rng.random() < 0.8 else 1
            lowered += step < 0
            disagreed = True
            grade = _shift(grade, step)
        given[section.pk] = grade
    overall = job.audit.overall_grade
    # Moderators mostly agree with the overall grade: never so seldom that fewer than half of them did.
    may_differ = 2 * work.agreed >= work.moderated + 1
    if may_differ and ((lowered >= 2 and rng.random() < 0.6) or rng.random() < 0.1):
        overall, disagreed = _shift(overall, -1), True
    work.moderated += 1
    work.agreed += overall == job.audit.overall_grade
    notes = rng.choice(findings.MODERATION_DISAGREE if disagreed else findings.MODERATION_AGREE)
    moderation.audit_moderate(
        audit=job.audit, moderator=job.moderator, overall_grade=overall, section_grades=given, notes=notes
    )


def _answer_directly(work: Work, job: Job, answered: list[tuple[ToolSection, dict]]) -> None:
    """Write the answers to these sections as `answering.audit_answers_save` would (the answers, the audit
    started, one "answered" event a section with the grade computed so far), but without regrading the stored
    section results after each one: the service call for the last section does that over all the answers.
    Saving every section through the service would cost the demo several seconds."""
    audit = job.audit
    specs = [
        grading.SectionSpec(
            s.pk, s.weight, tuple(grading.QuestionSpec(q.pk, q.weight) for q in s.questions.all())
        )
        for s in work.sections[audit.tool_version_id]
    ]
    so_far: dict[int, str] = {}
    rows = []
    for index, (section, answers) in enumerate(answered):
        editor = job.editors[index % len(job.editors)]
        rows += [
            AuditAnswer(audit=audit, question_id=pk, value=value, evidence=evidence, answered_by=editor)
            for pk, (value, evidence) in answers.items()
        ]
        so_far.update({pk: value for pk, (value, _) in answers.items()})
        event_record(
            subject=audit,
            user=editor,
            kind="answered",
            section=section.pk,
            section_title=str(section),
            questions=sorted(answers),
            started=index == 0,
            computed_grade=grading.compute(specs, audit.tool_version.scale, so_far).grade,
        )
    AuditAnswer.objects.bulk_create(rows)
    audit.status, audit.started_at = AuditStatus.IN_PROGRESS, timezone.now()
    Audit.objects.filter(pk=audit.pk).update(status=audit.status, started_at=audit.started_at)


def _summary_directly(job: Job, strengths: str, areas: str, theme_ids: list[int]) -> None:
    """Write the summary as `answering.audit_summary_save` would when no grade is overridden: the grades
    stay as the answers made them, so there is nothing to regrade (audit_submit regrades anyway)."""
    audit = job.audit
    audit.strengths, audit.areas_for_development = strengths, areas
    Audit.objects.filter(pk=audit.pk).update(strengths=strengths, areas_for_development=areas)
    audit.themes.set(theme_ids)
    event_record(
        subject=audit,
        user=job.author,
        kind="summary_saved",
        themes=theme_ids,
        override=None,
        section_overrides={},
        overall_grade=audit.overall_grade,
    )


def _override_draw(rng, job: Job) -> tuple[str, str]:
    """The overall grade the auditor sets over the computed one, and why ("", "" when none): the job's grade
    when the computed one is not among them, else now and then one step up or down."""
    audit = job.audit
    override, reason = "", ""
    if job.grades and audit.computed_grade not in job.grades:
        override = job.grades[0]
    elif rng.random() < 0.07 and audit.computed_grade and not job.grades:
        override = _shift(audit.computed_grade, rng.choice([-1, 1]))
    if override:
        better = _rank(override) > _rank(audit.computed_grade) if audit.computed_grade else False
        reason = rng.choice(findings.OVERRIDE_UP if better else findings.OVERRIDE_DOWN)
    return override, reason


def carry_out(work: Work, job: Job) -> None:
    """Take the audit as far as `job.state` says, through the services, as its auditors would."""
    if job.state == AuditStatus.SCHEDULED:
        return
    audit, rng = job.audit, work.rng
    if audit.level == 4 and job.consent_on:
        _case_review(work, job)
    sections = work.sections[audit.tool_version_id]
    count = len(sections) if job.done else rng.randint(1, max(1, len(sections) - 1))
    answered = [
        (
            section,
            findings.section_answers(
                rng,
                section,
                audit.tool_version.scale,
                rank=job.rank,
                year_group=job.year_group,
                plan_stage=audit.plan_stage,
            ),
        )
        for section in sections[:count]
    ]
    if len(answered) > 1:
        _answer_directly(work, job, answered[:-1])
    last, answers = answered[-1]
    answering.audit_answers_save(
        audit=audit, by=job.editors[(count - 1) % len(job.editors)], section=last, answers=answers
    )
    if not job.done:
        return
    section_grades = dict(
        AuditSectionResult.objects.filter(audit=audit).exclude(grade="").values_list("section_id", "grade")
    )
    override, reason = _override_draw(rng, job)
    strengths, areas = findings.findings(rng, job.family, override or audit.computed_grade)
    if job.extra_strength:
        strengths = f"{job.extra_strength}\n{strengths}"
    theme_ids = _themes(work, job, section_grades)
    if override:
        answering.audit_summary_save(
            audit=audit,
            by=job.author,
            strengths=strengths,
            areas=areas,
            theme_ids=theme_ids,
            section_overrides={},
            override_grade=override,
            override_reason=reason,
        )
    else:
        _summary_directly(job, strengths, areas, theme_ids)
    answering.audit_submit(audit=audit, by=job.author)
    if job.state in (AuditStatus.MODERATED, AuditStatus.CLOSED):
        _moderate(work, job, section_grades)
    if job.state == AuditStatus.CLOSED:
        workflow.audit_close(audit=audit, by=work.sqa)


# --- dating the work -------------------------------------------------------------------------------------


def _stamps(job: Job, now: dt.datetime, rng: random.Random) -> dict[str, dt.datetime]:
    """When each step happened, in working hours of its day, in order, none later than RESERVE before `now`."""
    hours = {"created": 9, "started": 10, "submitted": 14, "moderated": 11, "closed": 16}
    days = {"created": job.created, **job.days}
    steps = [name for name in hours if name in days]
    stamps: dict[str, dt.datetime] = {}
    previous = None
    latest = now - RESERVE
    for index, name in enumerate(steps):
        when = timezone.make_aware(dt.datetime.combine(days[name], dt.time(hours[name], rng.randrange(60))))
        when = min(when, latest - (len(steps) - index) * MINUTE)
        if name == "started" and job.after is not None and "submitted" in job.after.stamps:
            when = max(when, job.after.stamps["submitted"] + MINUTE)
        if previous is not None:
            when = max(when, previous + MINUTE)
        stamps[name] = previous = when
    return stamps


def _event_times(job: Job, events: list[AuditEvent], now: dt.datetime) -> None:
    stamps = job.stamps
    start = stamps.get("started", stamps["created"])
    end = stamps.get("submitted") or max(start, min(now - MINUTE, start + dt.timedelta(days=3)))
    # The answers spread over the work, then the summary, all before the audit was submitted.
    work = [e for e in events if e.kind in WORK_KINDS] + [e for e in events if e.kind == "summary_saved"]
    for index, event in enumerate(work, start=1):
        event.at = start + (end - start) * index / (len(work) + 1)
    for event in events:
        if event.kind in SCHEDULING_KINDS:
            event.at = stamps["created"]
        elif event.kind in ("submitted", "moderated", "closed"):
            event.at = stamps[event.kind]
        elif event.kind == "reaudit_linked":
            event.at = stamps.get("moderated", stamps.get("submitted", event.at)) + MINUTE


def backdate(jobs: list[Job], *, now: dt.datetime, rng: random.Random) -> None:
    """Move the audits' timestamps, history, assignments, panel and moderations to the days of the work."""
    for job in jobs:
        job.stamps = _stamps(job, now, rng)
    audits = {job.audit.pk: job for job in jobs}
    for job in jobs:
        audit, stamps = job.audit, job.stamps
        audit.created_at = stamps["created"]
        audit.started_at = stamps.get("started")
        audit.submitted_at = stamps.get("submitted")
        audit.moderated_at = stamps.get("moderated")
        audit.closed_at = stamps.get("closed")
        audit.due_on = job.due
    Audit.objects.bulk_update(
        [job.audit for job in jobs],
        ["created_at", "started_at", "submitted_at", "moderated_at", "closed_at", "due_on"],
        batch_size=500,
    )
    by_audit: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.filter(audit_id__in=audits).order_by("pk"):
        by_audit[event.audit_id].append(event)
    for audit_id, events in by_audit.items():
        _event_times(audits[audit_id], events, now)
    AuditEvent.objects.bulk_update(
        [e for events in by_audit.values() for e in events], ["at"], batch_size=1000
    )
    # Scheduling needs a due date from today on; the demo's earlier audits were due earlier.
    scheduled = [e for events in by_audit.values() for e in events if e.kind == "scheduled"]
    for event in scheduled:
        event.details = {**event.details, "due_on": audits[event.audit_id].due.isoformat()}
    AuditEvent.objects.bulk_update(scheduled, ["details"], batch_size=1000)
    _restamp(AuditAssignment, "created", "assigned_at", audits)
    _restamp(PanelMember, "created", "added_at", audits)
    _restamp(Moderation, "moderated", "created_at", audits)


Stamped = TypeVar("Stamped", AuditAssignment, PanelMember, Moderation)


def _restamp(model: type[Stamped], stamp: str, name: str, audits: dict[int, Job]) -> None:
    """Set `name` of the audits' `model` rows to when the work did `stamp` (else when the audit was created)."""
    rows = list(model.objects.filter(audit_id__in=audits))
    for row in rows:
        stamps = audits[row.audit_id].stamps
        setattr(row, name, stamps.get(stamp, stamps["created"]))
    model.objects.bulk_update(rows, [name], batch_size=1000)
