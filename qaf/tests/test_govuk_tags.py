"""The GOV.UK template tags of qaf/templatetags/govuk.py write GOV.UK Frontend's markup."""

from __future__ import annotations

from django import forms
from django.template import Context, Template


def _render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)
    left_out = forms.CharField(label="Left out")


def test_form_fields_writes_the_named_fields_in_the_order_given():
    html = _render('{% form_fields form "note" "name" %}', form=_Form())

    assert html.index('for="id_note"') < html.index('for="id_name"')
    assert '<textarea class="govuk-textarea" id="id_note"' in html
    assert '<input class="govuk-input" id="id_name" name="name" type="text"' in html
    assert "id_left_out" not in html


def test_form_fields_writes_what_the_field_include_writes():
    form = _Form(data={})
    one_by_one = _render(
        '{% include "includes/field.html" with field=form.name %}{% include "includes/field.html" with field=form.note %}',
        form=form,
    )

    assert _render('{% form_fields form "name" "note" %}', form=form) == one_by_one
    assert "govuk-form-group--error" in one_by_one


def test_breadcrumbs_start_at_home_and_leave_out_a_crumb_with_no_address():
    html = _render('{% breadcrumbs "Audits" "/audits/" "Actions" missing %}')

    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    assert html.count('<li class="govuk-breadcrumbs__list-item">') == 2
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    assert '<a class="govuk-breadcrumbs__link" href="/audits/">Audits</a>' in html
    assert "Actions" not in html


def test_summary_row_writes_a_key_and_a_value():
    html = _render(
        '{% summary_row "Due" %}<b>{{ due }}</b>{% endsummary_row %}{% summary_row key %}x{% endsummary_row %}',
        due="1 May 2026",
        key="<Why>",
    )

    assert html == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Due</dt>'
        '<dd class="govuk-summary-list__value"><b>1 May 2026</b></dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">&lt;Why&gt;</dt>'
        '<dd class="govuk-summary-list__value">x</dd></div>'
    )


def test_rows_of_cuts_a_list_into_rows_the_last_shorter():
    html = _render("{% for row in items|rows_of:3 %}[{{ row|join:',' }}]{% endfor %}", items=range(1, 8))

    assert html == "[1,2,3][4,5,6][7]"


class _PeriodForm(forms.Form):
    year = forms.ChoiceField(label="Academic year", choices=[("1", "2025 to 2026")], required=False)
    term = forms.ChoiceField(label="Term", choices=[("", "The whole year")], required=False)


def test_period_picker_is_a_get_form_of_the_named_fields_and_a_secondary_button():
    html = _render('{% period_picker form "year" button="Show this year" %}', form=_PeriodForm())

    assert html.startswith('<form method="get" novalidate class="govuk-!-margin-bottom-6">')
    assert '<select class="govuk-select" id="id_year" name="year"' in html
    assert "id_term" not in html
    assert (
        '<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Show this year</button>'
        in html
    )


def test_a_screen_only_period_picker_is_left_out_of_print():
    html = _render(
        '{% period_picker form "year" "term" button="Show" screen_only=True %}', form=_PeriodForm()
    )

    assert 'class="govuk-!-display-none-print govuk-!-margin-bottom-6"' in html
    assert "id_term" in html
