"""Routes for audit tools, under /audits/tools/ in the "audits" namespace."""

from django.urls import path

from audits.views import tools as views

VERSION = "tools/<int:pk>/versions/<int:number>/"

urlpatterns: list = [
    path("tools/", views.tool_list, name="tool-list"),
    path("tools/add/", views.tool_create, name="tool-create"),
    path("tools/<int:pk>/", views.tool_detail, name="tool-detail"),
    path("tools/<int:pk>/edit/", views.tool_edit, name="tool-edit"),
    path(VERSION, views.version_detail, name="tool-version"),
    path(f"{VERSION}scale/", views.version_scale, name="tool-version-scale"),
    path(f"{VERSION}approve/", views.version_approve, name="tool-version-approve"),
    path(f"{VERSION}discard/", views.version_discard, name="tool-version-discard"),
    path(f"{VERSION}new/", views.version_new, name="tool-version-new"),
    path(f"{VERSION}sections/add/", views.section_add, name="tool-section-add"),
    path(f"{VERSION}sections/<int:section_pk>/", views.section_edit, name="tool-section-edit"),
    path(f"{VERSION}sections/<int:section_pk>/remove/", views.section_remove, name="tool-section-remove"),
    path(f"{VERSION}sections/<int:section_pk>/move/", views.section_move, name="tool-section-move"),
    path(f"{VERSION}sections/<int:section_pk>/questions/add/", views.question_add, name="tool-question-add"),
    path(f"{VERSION}questions/<int:question_pk>/", views.question_edit, name="tool-question-edit"),
    path(f"{VERSION}questions/<int:question_pk>/remove/", views.question_remove, name="tool-question-remove"),
    path(f"{VERSION}questions/<int:question_pk>/move/", views.question_move, name="tool-question-move"),
]
