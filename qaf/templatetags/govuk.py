"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from django import forms, template
from django.http import QueryDict
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import format_html

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
