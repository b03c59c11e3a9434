"""One way to write a GOV.UK table: `{% load tables %}`, then

    {% table "Audits of" child.case_reference detail="latest due first" %}
    {% table_head "Audit" "Agency" "Days waiting:numeric" "Action:hidden" %}
      {% for audit in audits %}
      <tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">...</th>
        <td class="govuk-table__cell">...</td>
      </tr>
      {% endfor %}
    {% endtable %}

A page writes only its rows; the tags write the rest of GOV.UK Frontend's markup.

`{% table words... option=value... %}...{% endtable %}` writes the scroll region (qaf.templatetags.govuk's
`scroll_region`: a focusable region labelled with the words, joined by spaces, so a wide table scrolls inside
it on a phone), the `<table class="govuk-table">`, its caption and, around everything after the head, the
`<tbody class="govuk-table__body">`. Its options:

- `caption=`: the caption, when it is not the region's words (by default it is).
- `detail=`: words added to the caption after a comma: the rows' order ("latest due first") or their period.
- `paged=page`: adds ", page 2 of 5" to the caption, for one page of a paginated list.
- `size="s"` or `"m"`: a visible caption of that size. Without it the caption is visually hidden, for a
  table that already has a heading of its own above it.
- `classes="govuk-table--small-text-until-tablet"`: more classes for the `<table>`; `id="scale"`: its id.
- `sortable=True`: a table MOJ Frontend sorts in the browser (`data-module="moj-sortable-table"`); every
  column of its head is marked `aria-sort="none"` unless it says otherwise.
- `scroll=False`: no scroll region, for the few short tables that never had one (on a page of its own, the
  child's page and the audit panel); such a table needs no words when it has a caption.

Inside it, in this order:

- `{% table_caption %}...{% endtable_caption %}` (optional): a caption with markup of its own (a hint, a
  change link); `detail` and `paged` still follow it.
- `{% table_head "Theme" "Agencies:numeric" %}`: the head row, a `<th scope="col">` for each column. A
  column's words may end in flags after colons: `:numeric` (GOV.UK's right-aligned numeric header),
  `:hidden` (the words are for screen readers only, as over a column of links), `:ascending` or
  `:descending` (the column a sortable table is sorted by). A head whose cells need markup or a loop is
  written `{% table_head %}<th scope="col" class="govuk-table__header">...</th>{% endtable_head %}`.
- the rows, which the table puts in its `<tbody>`;
- `{% table_foot %}` (optional), then the rows of a `<tfoot>` (the totals of the columns).

Cells that several tables show alike are includes in templates/includes/tables/ (an action's due date with
its RAG tag, an action's status, an audit's subject).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, TextNode, Token
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from qaf.templatetags.govuk import ScrollRegionNode

register = template.Library()

TABLE_OPTIONS = {"caption", "detail", "paged", "size", "classes", "sortable", "id", "scroll"}
COLUMN_FLAGS = {"numeric", "hidden", "ascending", "descending"}


def _words_and_options(parser: Parser, bits: list[str]) -> tuple[list[FilterExpression], dict[str, str]]:
    """A tag's bits split into positional words and `name=value` options (values still uncompiled)."""
    words: list[FilterExpression] = []
    options: dict[str, str] = {}
    for bit in bits:
        name, equals, value = bit.partition("=")
        if equals and name.isidentifier():
            options[name] = value
        else:
            words.append(parser.compile_filter(bit))
    return words, options


def _joined(words: list[FilterExpression], context) -> str:
    return " ".join(str(word.resolve(context)) for word in words).strip()


def column_header(spec: object, *, sortable: bool = False) -> SafeString:
    """One `<th scope="col">` of a table's head from a column's words and flags ("Days waiting:numeric")."""
    parts = str(spec).split(":")
    flags: list[str] = []
    while len(parts) > 1 and parts[-1].strip() in COLUMN_FLAGS:  # a colon before other words is the label's
        flags.insert(0, parts.pop().strip())
    label = ":".join(parts)
    classes = "govuk-table__header" + (" govuk-table__header--numeric" if "numeric" in flags else "")
    sort = next((flag for flag in flags if flag in ("ascending", "descending")), "none" if sortable else "")
    words = (
        format_html('<span class="govuk-visually-hidden">{}</span>', label) if "hidden" in flags else label
    )
    if sort:
        return format_html('<th scope="col" class="{}" aria-sort="{}">{}</th>', classes, sort, words)
    return format_html('<th scope="col" class="{}">{}</th>', classes, words)


class TableHeadNode(Node):
    """The head row: a header for each column's words, or the cells written inside the block."""

    child_nodelists = ("nodelist",)

    def __init__(self, columns: list[FilterExpression], nodelist: NodeList) -> None:
        self.columns = columns
        self.nodelist = nodelist
        self.sortable = False  # set by the table it stands in

    def render(self, context) -> str:
        if self.columns:
            cells = format_html_join(
                "", "{}", ((column_header(c.resolve(context), sortable=self.sortable),) for c in self.columns)
            )
        else:
            cells = self.nodelist.render(context)
        return format_html(
            '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>', mark_safe(cells)
        )


class TableCaptionNode(Node):
    """A caption with markup of its own; the table it stands in renders it."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        return self.nodelist.render(context)


class TableNode(Node):
    """The `<table>` with its caption, head, body and foot (inside a scroll region unless scroll=False)."""

    child_nodelists = ("caption_nodelist", "head_nodelist", "body", "foot")

    def __init__(
        self,
        label: list[FilterExpression],
        options: dict[str, FilterExpression],
        caption: TableCaptionNode | None,
        head: TableHeadNode,
        body: NodeList,
        foot: NodeList | None,
    ) -> None:
        self.label = label
        self.options = options
        self.caption_nodelist = NodeList([caption] if caption else [])
        self.head_nodelist = NodeList([head])
        self.body = body
        self.foot = foot if foot is not None else NodeList()
        self.has_foot = foot is not None
        head.sortable = "sortable" in options

    def _option(self, name: str, context) -> object:
        expression = self.options.get(name)
        return expression.resolve(context) if expression is not None else None

    def _caption(self, context) -> str:
        if self.caption_nodelist:
            text = self.caption_nodelist.render(context).strip()
        else:
            caption = self._option("caption", context)
            text = conditional_escape(str(caption) if caption is not None else _joined(self.label, context))
        detail = self._option("detail", context)
        if detail:
            text += format_html(", {}", detail)
        page: Any = self._option("paged", context)
        if page is not None:
            text += format_html(", page {} of {}", page.number, page.paginator.num_pages)
        size = self._option("size", context)
        classes = (
            f"govuk-table__caption govuk-table__caption--{size}"
            if size
            else "govuk-table__caption govuk-visually-hidden"
        )
        return format_html('<caption class="{}">{}</caption>', classes, mark_safe(text))

    def _attributes(self, context) -> str:
        classes = " ".join(filter(None, ["govuk-table", str(self._option("classes", context) or "")]))
        attributes = format_html(' class="{}"', classes)
        if self._option("id", context):
            attributes += format_html(' id="{}"', self._option("id", context))
        if self._option("sortable", context):
            attributes += mark_safe(' data-module="moj-sortable-table"')
        return attributes

    def render(self, context) -> str:
        foot = format_html("\n<tfoot>{}</tfoot>", self.foot.render(context)) if self.has_foot else ""
        return format_html(
            '<table{}>\n{}\n{}\n<tbody class="govuk-table__body">{}</tbody>{}\n</table>',
            mark_safe(self._attributes(context)),
            self._caption(context),
            self.head_nodelist.render(context),
            self.body.render(context),
            foot,
        )


def _caption_and_head(
    tag: str, nodelist: NodeList
) -> tuple[TableCaptionNode | None, TableHeadNode, NodeList]:
    """Split a table's content into its optional caption, its head and the body after them."""
    caption: TableCaptionNode | None = None
    for index, node in enumerate(nodelist):
        if isinstance(node, TableCaptionNode) and caption is None:
            caption = node
        elif isinstance(node, TableHeadNode):
            return caption, node, NodeList(nodelist[index + 1 :])
        elif not (isinstance(node, TextNode) and not node.s.strip()):
            break
    raise template.TemplateSyntaxError(
        f"{tag} starts with its {{% table_head %}} (after an optional caption)"
    )


@register.tag
def table(parser: Parser, token: Token) -> Node:
    """`{% table "Complaints about" child.case_reference detail="latest received first" %}`: see the module."""
    tag, *bits = token.split_contents()
    label, raw_options = _words_and_options(parser, bits)
    unknown = set(raw_options) - TABLE_OPTIONS
    if unknown:
        raise template.TemplateSyntaxError(f"{tag} has no option {', '.join(sorted(unknown))}")
    scroll = raw_options.pop("scroll", "True") != "False"
    options = {name: parser.compile_filter(value) for name, value in raw_options.items()}
    content = parser.parse(("table_foot", "endtable"))
    foot = None
    if parser.next_token().contents == "table_foot":
        foot = parser.parse(("endtable",))
        parser.delete_first_token()
    caption, head, body = _caption_and_head(tag, content)
    if not label and (scroll or not (caption or "caption" in options)):
        raise template.TemplateSyntaxError(f"{tag} needs words naming the table")
    node: Node = TableNode(label, options, caption, head, body, foot)
    return ScrollRegionNode(label, NodeList([node])) if scroll else node


@register.tag
def table_head(parser: Parser, token: Token) -> TableHeadNode:
    """`{% table_head "Theme" "Agencies:numeric" %}`, or `{% table_head %}<th ...>{% endtable_head %}`."""
    columns = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = NodeList()
    if not columns:
        nodelist = parser.parse(("endtable_head",))
        parser.delete_first_token()
    return TableHeadNode(columns, nodelist)


@register.tag
def table_caption(parser: Parser, token: Token) -> TableCaptionNode:
    """`{% table_caption %}Places by ...<span class="govuk-hint">...</span>{% endtable_caption %}`."""
    nodelist = parser.parse(("endtable_caption",))
    parser.delete_first_token()
    return TableCaptionNode(nodelist)
