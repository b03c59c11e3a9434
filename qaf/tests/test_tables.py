"""The table tags (qaf.templatetags.tables) write GOV.UK Frontend's table markup around a page's rows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_a_table_sits_in_a_scroll_region_named_by_its_words_with_a_hidden_caption():
    html = render(
        '{% table "Audits of" ref detail="latest due first" %}{% table_head "Audit" "Agency" %}'
        '<tr class="govuk-table__row"><td class="govuk-table__cell">1</td></tr>{% endtable %}',
        ref="NCC-1 & <2>",
    )
    assert html == (
        '<div class="qaf-table-scroll" role="region" aria-label="Audits of NCC-1 &amp; &lt;2&gt;" tabindex="0">'
        '<table class="govuk-table">\n'
        '<caption class="govuk-table__caption govuk-visually-hidden">'
        "Audits of NCC-1 &amp; &lt;2&gt;, latest due first</caption>\n"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Audit</th>'
        '<th scope="col" class="govuk-table__header">Agency</th></tr></thead>\n'
        '<tbody class="govuk-table__body"><tr class="govuk-table__row"><td class="govuk-table__cell">1</td></tr>'
        "</tbody>\n</table></div>"
    )


def test_column_flags_make_numeric_and_hidden_headers_and_a_colon_in_the_words_stays():
    html = render(
        '{% table "T" %}{% table_head "Days waiting:numeric" "Action:hidden" name %}{% endtable %}',
        name="Scores: A",
    )
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Days waiting</th>' in html
    )
    assert (
        '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>'
        in html
    )
    assert '<th scope="col" class="govuk-table__header">Scores: A</th>' in html


def test_a_visible_caption_a_caption_of_its_own_and_one_page_of_a_list():
    page = SimpleNamespace(number=2, paginator=SimpleNamespace(num_pages=5))
    html = render('{% table "Tools" size="m" paged=page %}{% table_head "Tool" %}{% endtable %}', page=page)
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Tools, page 2 of 5</caption>' in html
    )
    html = render('{% table "Agreement" caption="By level" %}{% table_head "Level" %}{% endtable %}')
    assert 'aria-label="Agreement"' in html and ">By level</caption>" in html
    html = render(
        '{% table "Places" %}{% table_caption %}Places by <b>team</b>{% endtable_caption %}'
        '{% table_head "Team" %}{% endtable %}'
    )
    assert ">Places by <b>team</b></caption>" in html


def test_a_sortable_table_marks_every_column_and_the_one_it_is_sorted_by():
    html = render(
        '{% table "Escalations" sortable=True %}{% table_head "Agency" "Due:ascending" %}{% endtable %}'
    )
    assert '<table class="govuk-table" data-module="moj-sortable-table">' in html
    assert '<th scope="col" class="govuk-table__header" aria-sort="none">Agency</th>' in html
    assert '<th scope="col" class="govuk-table__header" aria-sort="ascending">Due</th>' in html


def test_a_head_written_by_hand_a_foot_more_classes_an_id_and_no_scroll_region():
    html = render(
        '{% table "Scale" scroll=False classes="govuk-table--small-text-until-tablet" id="scale" %}'
        '{% table_head %}<th scope="col">{{ name }}</th>{% endtable_head %}<tr></tr>'
        "{% table_foot %}<tr><td>Total</td></tr>{% endtable %}",
        name="Answer",
    )
    assert html.startswith('<table class="govuk-table govuk-table--small-text-until-tablet" id="scale">')
    assert '<tr class="govuk-table__row"><th scope="col">Answer</th></tr></thead>' in html
    assert (
        '<tbody class="govuk-table__body"><tr></tr></tbody>\n<tfoot><tr><td>Total</td></tr></tfoot>' in html
    )
    assert "qaf-table-scroll" not in html


@pytest.mark.parametrize(
    "source",
    [
        "{% table %}{% table_head 'A' %}{% endtable %}",  # no words to name it
        "{% table 'T' colour='red' %}{% table_head 'A' %}{% endtable %}",  # no such option
        "{% table 'T' %}<tr></tr>{% endtable %}",  # no head
    ],
)
def test_a_table_written_wrongly_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
