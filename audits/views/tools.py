"""Pages for audit tools: the list, a tool, a version's content (the draft editor when it is a draft), and the
forms that build a draft, approve it and make a new version.

Every working member of the partnership may read tools (audits.access.tools.visible; others get a 404). Only
SQA officers change them (access.tools.can(user, "manage"); others get a 403). An approved or retired version is frozen:
its editing pages answer 403 with the reason (qaf.versioning.views), and the services refuse too.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from audits import access
from audits.forms.tools import ChangeNoteForm, QuestionForm, ScaleFormSet, SectionForm, ToolForm
from audits.models import AuditToolVersion, ToolQuestion, ToolSection
from audits.selectors import tools as selectors
from audits.services import tools as services
from qaf import pages
from qaf.pages import apply_errors, form_saved
from qaf.types import AuthenticatedHttpRequest
from qaf.versioning.views import VersionPages, row_or_404

PAGE_SIZE = 50

PAGES = VersionPages(
    urls="audits:tool",
    plural="Audit tools",
    noun="tool",
    load_version=selectors.version_for_page,
    can_manage=lambda user: access.tools.can(user, "manage"),
    refused="Only SQA officers change audit tools.",
    kept="audits that used it",
    frozen_reason="Audits record the version they used, so its sections and questions never change.",
)
_version_url = PAGES.version_url
draft_view = PAGES.draft_view


def _plain(weight: Decimal) -> str:
    """1.00 -> "1", 1.50 -> "1.5": as a person would type it."""
    return f"{float(weight):g}"


def _section(version: AuditToolVersion, section_pk: int) -> ToolSection:
    return row_or_404(version.sections.all(), section_pk, "section")


def _question(version: AuditToolVersion, question_pk: int) -> ToolQuestion:
    by_question = {q: s for s in version.sections.all() for q in s.questions.all()}
    question = row_or_404(by_question, question_pk, "question")
    question.section = by_question[question]
    return question


# --- reading ----------------------------------------------------------------------------------------------


@login_required
def tool_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.tools.can(request.user, "list"):
        raise Http404("Audit tools are for the partnership's working staff")
    page = Paginator(selectors.tools_for_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/tools/tool_list.html",
        {"page": page, "can_manage": access.tools.can(request.user, "manage")},
    )


@login_required
def tool_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tool = selectors.tool_for_page(request.user, pk)
    context = PAGES.template_context(request, tool)
    current = context["current"]
    context |= {"tool": tool, "sections": selectors.version_content(current) if current else []}
    return render(request, "audits/tools/tool_detail.html", context)


@login_required
def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_page(request.user, pk, number)
    context = PAGES.version_context(request, version)
    context |= {"tool": version.tool, "sections": list(version.sections.all())}
    return render(request, "audits/tools/version_detail.html", context)


# --- tools ------------------------------------------------------------------------------------------------


@login_required
def tool_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    PAGES.require_manage(request)
    partnership = pages.own_partnership(request.user, PAGES.refused)
    form = ToolForm(pages.posted(request))
    done = form_saved(
        request,
        form,
        lambda data: services.tool_create(partnership=partnership, user=request.user, **data),
        "Tool created. Add its sections and questions to version 1.",
        lambda tool: reverse("audits:tool-version", args=[tool.pk, 1]),
    )
    return done or render(request, "audits/tools/tool_form.html", {"form": form, "tool": None})


@login_required
def tool_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tool = selectors.tool_for_page(request.user, pk)
    PAGES.require_manage(request)
    initial = {"name": tool.name, "kind": tool.kind, "levels": [str(n) for n in tool.levels]}
    form = ToolForm(pages.posted(request), initial={**initial, "description": tool.description})
    done = form_saved(
        request,
        form,
        lambda data: services.tool_update(tool=tool, **data),
        "Tool details saved",
        PAGES.template_url(tool),
    )
    return done or render(request, "audits/tools/tool_form.html", {"form": form, "tool": tool})


# --- a draft version --------------------------------------------------------------------------------------


@draft_view
def version_scale(request: AuthenticatedHttpRequest, version: AuditToolVersion) -> HttpResponse:
    initial = [{"label": o["label"], "score": o["score"]} for o in version.scale]
    formset = ScaleFormSet(pages.posted(request), initial=initial, prefix="scale")
    note = ChangeNoteForm(pages.posted(request), initial={"change_note": version.change_note})
    if request.method == "POST" and formset.is_valid() and note.is_valid():
        options = [option for form in formset for option in [form.option()] if option is not None]
        try:
            services.tool_version_update(
                version=version, scale=options, change_note=note.cleaned_data["change_note"]
            )
        except ValidationError as error:
            apply_errors(note, error)
        else:
            messages.success(request, "Answer scale saved")
            return redirect(_version_url(version, "scale"))
    return render(
        request, "audits/tools/scale_form.html", {"version": version, "formset": formset, "form": note}
    )


@draft_view
def section_add(request: AuthenticatedHttpRequest, version: AuditToolVersion) -> HttpResponse:
    form = SectionForm(pages.posted(request))
    done = form_saved(
        request,
        form,
        lambda data: services.section_add(version=version, **data),
        "Section added",
        _version_url(version),
    )
    return done or PAGES.item_page(request, version, form, title="Add a section", back=_version_url(version))


@draft_view
def section_edit(
    request: AuthenticatedHttpRequest, version: AuditToolVersion, section_pk: int
) -> HttpResponse:
    section = _section(version, section_pk)
    form = SectionForm(
        pages.posted(request),
        initial={"code": section.code, "title": section.title, "weight": _plain(section.weight)},
    )
    to = _version_url(version, f"section-{section.pk}")
    done = form_saved(
        request, form, lambda data: services.section_update(section=section, **data), "Section saved", to
    )
    return done or PAGES.item_page(request, version, form, title=f"Change section {section}", back=to)


@draft_view
def question_add(
    request: AuthenticatedHttpRequest, version: AuditToolVersion, section_pk: int
) -> HttpResponse:
    section = _section(version, section_pk)
    form = QuestionForm(pages.posted(request))
    to = _version_url(version, f"section-{section.pk}")
    done = form_saved(
        request, form, lambda data: services.question_add(section=section, **data), "Question added", to
    )
    return done or PAGES.item_page(request, version, form, title=f"Add a question to {section}", back=to)


@draft_view
def question_edit(
    request: AuthenticatedHttpRequest, version: AuditToolVersion, question_pk: int
) -> HttpResponse:
    question = _question(version, question_pk)
    initial = {
        "text": question.text,
        "guidance": question.guidance,
        "weight": _plain(question.weight),
        "allow_not_applicable": question.allow_not_applicable,
    }
    form = QuestionForm(pages.posted(request), initial=initial)
    to = _version_url(version, f"question-{question.pk}")
    done = form_saved(
        request, form, lambda data: services.question_update(question=question, **data), "Question saved", to
    )
    return done or PAGES.item_page(request, version, form, title="Change the question", back=to)


@draft_view
def section_remove(
    request: AuthenticatedHttpRequest, version: AuditToolVersion, section_pk: int
) -> HttpResponse:
    section = _section(version, section_pk)
    count = len(section.questions.all())
    return PAGES.remove(
        request,
        version,
        title=f"Remove section {section}?",
        body=f"Its {count} question{'s' if count != 1 else ''} will be removed too.",
        what="section",
        remove=lambda: services.section_remove(section=section),
        then=_version_url(version),
        back=_version_url(version, f"section-{section.pk}"),
    )


question_remove = PAGES.question_remove_view(
    find=_question, remove=services.question_remove, then=lambda question: f"section-{question.section_id}"
)
section_move = PAGES.move_view(what="section", find=_section, move=services.section_move)
question_move = PAGES.move_view(what="question", find=_question, move=services.question_move)


version_approve = PAGES.approve_view(
    approve=services.tool_version_approve,
    body="Once approved, this version cannot be changed: new audits will use it.",
    retire_note="audits that used it keep it",
)


@draft_view
def version_discard(request: AuthenticatedHttpRequest, version: AuditToolVersion) -> HttpResponse:
    def act() -> str:
        services.tool_version_discard(version=version)
        return PAGES.template_url(version.tool)

    return PAGES.confirm(
        request,
        version,
        title=f"Discard draft version {version.number} of {version.tool.name}?",
        body="Its sections and questions will be deleted. Approved versions are not affected.",
        button="Discard draft",
        act=act,
        done=f"Draft version {version.number} discarded",
        back=_version_url(version),
        warning=True,
        danger=True,
    )


version_new = PAGES.new_version_view(form_class=ChangeNoteForm, new_from=services.tool_version_new_from)
