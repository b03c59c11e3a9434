"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.http import QueryDict
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from qaf import formats
from qaf.fields import DateInputWidget

register = template.Library()


@register.filter
def widget_type(field) -> str:
    """What GOV.UK component renders this bound field: date, radios, checkboxes, checkbox, select,
    textarea, file or input."""
    widget = field.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.filter
def input_type(field) -> str:
    return getattr(field.field.widget, "input_type", "text") or "text"


@register.filter
def is_checked(option_value, field) -> bool:
    """Is this option chosen in the bound field (works for single and multiple values)?"""
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    return str(option_value) in {str(v) for v in values if v is not None}


@register.filter
def history_value(value) -> str:
    """A value from an event's recorded details, dates in words: see qaf.formats.history_value."""
    return formats.history_value(value)


@register.filter
def rows_of(items: Iterable[Any], size: int) -> list[list[Any]]:
    """`{% for row in form.visible_fields|rows_of:4 %}`: the items cut into rows of `size` (the last row may be
    shorter), for fields laid out as a grid of columns across the page."""
    listed = list(items)
    return [listed[start : start + size] for start in range(0, len(listed), size)]


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and sort links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    """The current query string without one parameter (and back to page 1): a filter tag's remove link."""
    query: QueryDict = context["request"].GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def form_fields(context, form: forms.BaseForm, *names: str) -> SafeString:
    """`{% form_fields form "agency" "received_on" "summary" %}`: the named fields of a form, in the order given,
    each as a GOV.UK form group, exactly as `{% include "includes/field.html" with field=form.agency %}` writes
    one. A field that needs a narrower input (`width=10`) is still included on its own."""
    field_template = context.template.engine.get_template("includes/field.html")
    rendered = []
    for name in names:
        with context.push(field=form[name]):
            rendered.append(field_template.render(context))
    return mark_safe("".join(rendered))


@register.inclusion_tag("includes/period_picker.html")
def period_picker(
    form: forms.BaseForm, *names: str, button: str, screen_only: bool = False
) -> dict[str, Any]:
    """`{% period_picker form "year" "term" button="Show this period" %}`: a report's period picker, a GET form of
    the named fields of its period form and a secondary button with the words given. `screen_only=True` leaves
    it out of the printed page."""
    return {"fields": [form[name] for name in names], "button": button, "screen_only": screen_only}


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*trail: str) -> dict[str, list[tuple[str, str]]]:
    """`{% url 'audits:audit-list' as audits_url %}{% breadcrumbs "Audits" audits_url %}`: GOV.UK breadcrumbs,
    Home first, then one crumb for each pair of words and address given. A pair whose address is empty is
    left out, so a page shows a crumb only to those who may follow it."""
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of words and addresses")
    pairs = zip(trail[::2], trail[1::2], strict=True)
    return {"crumbs": [(str(words), str(address)) for words, address in pairs if address]}


class SummaryRowNode(template.Node):
    def __init__(self, key: FilterExpression, nodelist: template.NodeList) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context) -> str:
        return format_html(
            '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
            '<dd class="govuk-summary-list__value">{}</dd></div>',
            self.key.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def summary_row(parser: Parser, token: Token) -> SummaryRowNode:
    """`{% summary_row "Due" %}{{ action.due_on|date:"j F Y" }}{% endsummary_row %}`: one row of a GOV.UK summary
    list (`<dl class="govuk-summary-list">`), the key given (words or a variable) and what is between the tags
    as its value."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, the row's key")
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(parser.compile_filter(bits[1]), nodelist)


class ScrollRegionNode(template.Node):
    def __init__(self, label: list[FilterExpression], nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context) -> str:
        label = " ".join(str(part.resolve(context)) for part in self.label).strip()
        return format_html(
            '<div class="qaf-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            self.nodelist.render(context),
        )


@register.tag
def scroll_region(parser: Parser, token: Token) -> ScrollRegionNode:
    """`{% scroll_region "Complaints" %}<table>...</table>{% endscroll_region %}`: a wide table scrolls sideways
    inside its own region instead of widening the page on a phone. The region is labelled (the words given,
    joined by spaces) and focusable, so keyboard and screen reader users can find and scroll it."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a label naming the table")
    label = [parser.compile_filter(bit) for bit in bits[1:]]
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(label, nodelist)
