"""Routes for doing an audit: the task list, a section, the summary with submit, and the confirmation."""

from django.urls import path

from audits.views import form

urlpatterns: list = [
    path("<int:pk>/form/", form.audit_form, name="audit-form"),
    path("<int:pk>/form/summary/", form.audit_form_summary, name="audit-form-summary"),
    path("<int:pk>/form/submitted/", form.audit_form_submitted, name="audit-form-submitted"),
    path("<int:pk>/form/<int:section_pk>/", form.audit_form_section, name="audit-form-section"),
]
