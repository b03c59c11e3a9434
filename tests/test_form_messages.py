"""Every form of every app says what to do, per field, in the GOV.UK style: none shows Django's default
messages ("This field is required.", "Enter a valid date.", "Select a valid choice. …", "Enter a whole
number.", "Ensure this value has at most … characters …").

The forms are found by walking the apps' forms modules, so a new form must be added to BUILDERS (with the
context it needs) before this passes, and then cannot slip back to Django's words.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import fields as django_fields
from django.forms import models as django_models
from django.test import RequestFactory

from audits.models import Grade
from audits.selectors import answering as answering_selectors
from audits.selectors.audits import SectionView
from audits.selectors.moderation import SectionToModerate
from audits.tests import test_plans_support as support
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory
from feedback.selectors.summary import halves_to_offer
from feedback.tests.factories import ComplaintFactory, FeedbackAnswerFactory, FeedbackFormFactory
from qaf.fields import GovukDateField
from qaf.models import AgencyKind, Role, User
from qaf.tests.factories import AgencyFactory, member

ROOT = Path(settings.BASE_DIR)
APPS = ("qaf", "ehcp", "actions", "audits", "feedback", "reporting", "improvement")


def _forms_modules() -> list[str]:
    names = []
    for app in APPS:
        base = ROOT / app
        paths = [
            base / "forms.py",
            *sorted(base.glob("forms_*.py")),
            *sorted((base / "forms").glob("*.py")),
            *sorted(base.glob("*/forms.py")),
        ]
        for path in paths:
            if path.is_file() and path.name != "__init__.py":
                names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


def _filtersets() -> list[type]:
    """The lists' FilterSets (each app's filters.py): their page forms are the filter panels."""
    from qaf.lists import ListFilterSet

    found = []
    for app in APPS:
        if (ROOT / app / "filters.py").is_file():
            module = importlib.import_module(f"{app}.filters")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, ListFilterSet) and cls.panel:
                    found.append(cls)
    return found


def _form_classes() -> list[type]:
    found = _filtersets()
    for name in _forms_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == name
                and issubclass(cls, forms.BaseForm)
                and not cls.__name__.startswith("_")
            ):
                found.append(cls)
    return found


def _default_patterns() -> list[re.Pattern]:
    """Django's own messages, for every field and validator, as patterns (their %(params)s match anything)."""
    texts = set()
    for module in (django_fields, django_models):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.Field):
                for klass in cls.__mro__:
                    texts.update(str(m) for m in getattr(klass, "default_error_messages", {}).values())
    for _, cls in inspect.getmembers(validators, inspect.isclass):
        if getattr(cls, "message", None):
            texts.add(str(cls.message))
    texts.update(str(m) for m in SetPasswordForm.error_messages.values())
    texts.update(str(m) for m in AuthenticationForm.error_messages.values())
    patterns = []
    for text in texts:
        pattern = re.escape(text)
        pattern = re.sub(r"%\\\(\w+\\\)[sd]", ".*", pattern)
        pattern = re.sub(r"%[sd]", ".*", pattern)
        patterns.append(re.compile(f"^{pattern}$"))
    # The length validators' messages are plural forms, chosen by the number.
    patterns.append(re.compile(r"^Ensure this value has at (most|least) \d+ characters? \(it has \d+\)\.$"))
    return patterns


DEFAULTS = _default_patterns()


def is_django_default(message: str) -> bool:
    return any(pattern.match(str(message)) for pattern in DEFAULTS)


@pytest.fixture
def forms_world(area, sqa_officer, practitioner, team_manager, board_member):
    """What the forms are built with: an SQA officer (who may choose from everything), an audit with its
    answers page, a plan activity, a complaint, a feedback answer."""
    advocacy = AgencyFactory(partnership=area.partnership, kind=AgencyKind.ADVOCACY, name="Advocacy service")
    member(advocacy, Role.AGENCY_MANAGER)
    with support.frozen():
        years = support.years(area.partnership)
    plan = support.plan_for(years[2025], sqa_officer)
    level2 = support.activity(
        plan, sqa_officer, level=2, lead_agency=area.sat, tool=support.tool(area.partnership, levels=[2])
    )
    child = ChildFactory(partnership=area.partnership)
    audit = AuditFactory(agency=area.school, child=child, assignees=[practitioner])
    sections = list(audit.tool_version.sections.order_by("order"))
    return {
        "area": area,
        "user": sqa_officer,
        "practitioner": practitioner,
        "audit": audit,
        "page": answering_selectors.audit_section_page(audit, sections[0].pk),
        "progress": answering_selectors.audit_progress(audit),
        "sections": sections,
        "plan": plan,
        "level2": level2,
        "child": child,
        "complaint": ComplaintFactory(agency=area.school),
        "feedback_form": FeedbackFormFactory(partnership=area.partnership, audience="parent_carer"),
        "answer": FeedbackAnswerFactory(response__agency=area.school, response__partnership=area.partnership),
    }


class _Graded:
    """A section the auditor graded, as the moderation page sees it."""

    def __init__(self, section):
        self.section, self.result = section, None

    auditor_grade = Grade.GOOD


def _moderation(c, data):
    from audits.forms.moderation import ModerationForm

    sections = [_Graded(s) for s in c["sections"][:1]] + [
        SectionToModerate(view=SectionView(section=s, questions=[], result=None)) for s in c["sections"][1:]
    ]
    return ModerationForm(data, sections=sections, auditor_grade=Grade.GOOD)


def _by_user(c, cls, data, **extra):
    return cls(data, user=c["user"], **extra)


# Form class name (module.Class) -> how to build it bound to `data`, with the context it needs.
BUILDERS: dict[str, Callable] = {
    "qaf.forms.SignInForm": lambda c, data: _cls("qaf.forms.SignInForm")(None, data=data),
    "qaf.forms.PasswordResetRequestForm": lambda c, data: _cls("qaf.forms.PasswordResetRequestForm")(data),
    "qaf.forms.NewPasswordForm": lambda c, data: _cls("qaf.forms.NewPasswordForm")(c["user"], data),
    "ehcp.forms.ChildFilterForm": lambda c, data: _by_user(c, _cls("ehcp.forms.ChildFilterForm"), data),
    "ehcp.forms.ChildForm": lambda c, data: _cls("ehcp.forms.ChildForm")(
        data, partnership_id=c["area"].partnership.pk
    ),
    "ehcp.imports.forms.ChildImportForm": lambda c, data: _cls("ehcp.imports.forms.ChildImportForm")(
        data, files={}
    ),
    "actions.forms.actions.SourceActionForm": lambda c, data: _cls("actions.forms.actions.SourceActionForm")(
        data, agency=c["audit"].agency
    ),
    "actions.forms.actions.GeneralActionForm": lambda c, data: _by_user(
        c, _cls("actions.forms.actions.GeneralActionForm"), data
    ),
    "audits.forms.answering.SectionAnswersForm": lambda c, data: _cls(
        "audits.forms.answering.SectionAnswersForm"
    )(data, version=c["audit"].tool_version, rows=c["page"].progress.rows),
    "audits.forms.answering.AuditSummaryForm": lambda c, data: _cls(
        "audits.forms.answering.AuditSummaryForm"
    )(data, audit=c["audit"], progress=c["progress"], theme_ids=[]),
    "audits.forms.audits.AuditFilterForm": lambda c, data: _by_user(
        c, _cls("audits.forms.audits.AuditFilterForm"), data
    ),
    "audits.forms.audits.PanelMemberForm": lambda c, data: _cls("audits.forms.audits.PanelMemberForm")(
        data, partnership_id=c["area"].partnership.pk
    ),
    "audits.forms.audits.CaseReviewSetupForm": lambda c, data: _cls(
        "audits.forms.audits.CaseReviewSetupForm"
    )(data, partnership_id=c["area"].partnership.pk),
    "actions.forms.escalations.EscalationFilterForm": lambda c, data: _by_user(
        c, _cls("actions.forms.escalations.EscalationFilterForm"), data
    ),
    "audits.forms.moderation.ModerationForm": _moderation,
    "audits.forms.moderation.ReauditLinkForm": lambda c, data: _cls(
        "audits.forms.moderation.ReauditLinkForm"
    )(data, candidates=type(c["audit"]).objects.filter(pk=c["audit"].pk)),
    "audits.forms.moderation.AgreementFilterForm": lambda c, data: _cls(
        "audits.forms.moderation.AgreementFilterForm"
    )(data, partnership_id=c["area"].partnership.pk),
    "audits.forms.plans.PlanCreateForm": lambda c, data: _cls("audits.forms.plans.PlanCreateForm")(
        data, partnership_id=c["area"].partnership.pk
    ),
    "audits.forms.plans.ActivityForm": lambda c, data: _cls("audits.forms.plans.ActivityForm")(
        data, plan=c["plan"]
    ),
    "audits.forms.plans.ScheduleForm": lambda c, data: _cls("audits.forms.plans.ScheduleForm")(
        data,
        activity=c["level2"],
        children=type(c["child"]).objects.filter(pk=c["child"].pk),
        auditors=User.objects.filter(pk=c["practitioner"].pk),
    ),
    "audits.forms.plans.Level3SampleForm": lambda c, data: _cls("audits.forms.plans.Level3SampleForm")(
        data, activity=c["level2"]
    ),
    "audits.forms.plans.QuotaSampleForm": lambda c, data: _cls("audits.forms.plans.QuotaSampleForm")(
        data, activity=c["level2"]
    ),
    "actions.forms.tracker.ActionFilterForm": lambda c, data: _by_user(
        c, _cls("actions.forms.tracker.ActionFilterForm"), data
    ),
    "actions.forms.tracker.ThemePeriodForm": lambda c, data: _by_user(
        c, _cls("actions.forms.tracker.ThemePeriodForm"), data, with_term=True
    ),
    "feedback.forms.advocacy.AdvocacyFilterForm": lambda c, data: _by_user(
        c, _cls("feedback.forms.advocacy.AdvocacyFilterForm"), data, years=[2025, 2026]
    ),
    "feedback.forms.advocacy.AdvocacyReturnForm": lambda c, data: _by_user(
        c, _cls("feedback.forms.advocacy.AdvocacyReturnForm"), data
    ),
    "feedback.forms.complaints.ComplaintChangeForm": lambda c, data: _by_user(
        c, _cls("feedback.forms.complaints.ComplaintChangeForm"), data, complaint=c["complaint"]
    ),
    "feedback.forms.forms_builder.FormMeetingsForm": lambda c, data: _cls(
        "feedback.forms.forms_builder.FormMeetingsForm"
    )(data, feedback_form=c["feedback_form"], defaults={}),
    "feedback.forms.forms_builder.QuestionForm": lambda c, data: _cls(
        "feedback.forms.forms_builder.QuestionForm"
    )(data, easy_read=True),
    "feedback.forms.responses.AnswerTagForm": lambda c, data: _by_user(
        c, _cls("feedback.forms.responses.AnswerTagForm"), data, answer=c["answer"]
    ),
    "feedback.forms.responses.HalfYearForm": lambda c, data: _cls("feedback.forms.responses.HalfYearForm")(
        data, halves=halves_to_offer(dt.date(2026, 3, 1))
    ),
}
# Forms taking only `user`, or nothing.
BY_USER = {
    "audits.forms.moderation.ModerationQueueFilterForm",
    "feedback.forms.complaints.ComplaintFilterForm",
    "feedback.forms.complaints.ComplimentFilterForm",
    "feedback.forms.complaints.ComplaintForm",
    "feedback.forms.complaints.ComplimentForm",
    "feedback.forms.invitations.InvitationFilterForm",
    "feedback.forms.invitations.InvitationForm",
    "feedback.forms.invitations.BulkInvitationForm",
    "feedback.forms.responses.ResponseFilterForm",
}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def _cls(name: str) -> type:
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(module), cls)


def build(context: dict, cls: type, data: dict):
    name = _name(cls)
    if not issubclass(cls, forms.BaseForm):  # a list's FilterSet: its page form, as the filter panel shows it
        request = RequestFactory().get("/", data or {})
        request.user = context["user"]
        form = cls(data, queryset=cls._meta.model.objects.none(), request=request).form
        for name in set(form.fields) - set(cls.panel):  # the API's names: the page shows no field for them
            del form.fields[name]
        return form
    if name in BUILDERS:
        return BUILDERS[name](context, data)
    if name in BY_USER:
        return cls(data, user=context["user"])
    return cls(data)


def _messages(form) -> list[tuple[str, str]]:
    form.is_valid()
    return [(field, str(message)) for field, errors in form.errors.items() for message in errors]


def _bad_data(form, kind: str) -> dict:
    """A POST that each field must refuse in its own words: `kind` is "wrong" (not a choice, not a number,
    too long), "low" (numbers below their minimum) or "high" (above their maximum)."""
    data: dict = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, GovukDateField):
            data.update({f"{key}_0": "31", f"{key}_1": "2", f"{key}_2": "2026"})
        elif isinstance(field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
            data[key] = ["not-a-choice"] if kind == "wrong" else ["999999999"]
        elif isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
            data[key] = "not-a-choice" if kind == "wrong" else "999999999"
        elif isinstance(field, forms.IntegerField):
            if kind == "wrong":
                data[key] = "twelve"
            elif kind == "low" and field.min_value is not None:
                data[key] = str(field.min_value - 1)
            elif kind == "high" and field.max_value is not None:
                data[key] = str(field.max_value + 1)
        elif isinstance(field, forms.CharField) and field.max_length:
            data[key] = "x" * (field.max_length + 1)
    return data


def test_every_forms_module_is_walked():
    names = {_name(cls) for cls in _form_classes()}
    assert "feedback.forms.complaints.ComplaintForm" in names
    assert "actions.forms.actions.GeneralActionForm" in names
    assert "ehcp.imports.forms.ChildImportForm" in names
    assert len(names) > 50


def test_the_check_knows_djangos_words():
    assert is_django_default("This field is required.")
    assert is_django_default("Select a valid choice. That choice is not one of the available choices.")
    assert is_django_default("Select a valid choice. 12 is not one of the available choices.")
    assert is_django_default("Enter a whole number.")
    assert is_django_default("Ensure this value has at most 40 characters (it has 41).")
    assert not is_django_default("Select the agency the complaint is about")


@pytest.mark.django_db
def test_no_form_shows_djangos_default_messages(forms_world):
    offenders = []
    for cls in _form_classes():
        form = build(forms_world, cls, {})
        posts = [{}] + [_bad_data(form, kind) for kind in ("wrong", "low", "high")]
        for post in posts:
            for field, message in _messages(build(forms_world, cls, post)):
                if is_django_default(message):
                    offenders.append(f"{_name(cls)}.{field}: {message}")
    assert offenders == []


@pytest.mark.django_db
def test_every_field_names_what_it_asks_for(forms_world):
    """The field definitions too, for the messages a POST above cannot reach (a required checkbox, a file)."""
    offenders = []
    for cls in _form_classes():
        form = build(forms_world, cls, None)
        for name, field in form.fields.items():
            if isinstance(field, GovukDateField):
                if field.label_for_errors == "the date":
                    offenders.append(f"{_name(cls)}.{name}: label_for_errors")
                continue
            codes = {"invalid_choice", "invalid", "invalid_list", "invalid_pk_value", "empty", "missing"}
            if field.required:
                codes.add("required")
            for code in codes & set(field.error_messages):
                if is_django_default(field.error_messages[code]):
                    offenders.append(f"{_name(cls)}.{name}: {code}")
    assert offenders == []


@pytest.mark.django_db
def test_the_upload_says_what_to_do(forms_world):
    from ehcp.imports.forms import ChildImportForm

    form = ChildImportForm({}, files={"file": SimpleUploadedFile("children.csv", b"")})
    assert _messages(form) == [("file", "The selected file is empty")]
