"""The list pipeline every list page and its API resource share.

A list's filters are one django-filter FilterSet (a `ListFilterSet`, in the app's `filters.py`): the API viewset
names it as `filterset_class`, and the page binds it to the query string through `list_page`, which also sorts
(`?sort=`, from a fixed map of keys), paginates, answers `?format=csv` where the list offers a CSV, and gives the
template what the shared includes in qaf/templates/qaf/lists/ show: the filter panel, the selected filters with
a link that removes each, the sort headers and the pagination.

The page and the API read the same filters with two differences, both kept from before they were one:
- on the page an invalid value (a stale id in a bookmark) is that field's error and the other filters still
  apply; in the API any invalid value is a 400 (DjangoFilterBackend);
- a `ScopedChoiceFilter` is a select of the rows the user may choose on the page, and a plain row id in the API,
  where it narrows a queryset already scoped by the app's access module, so no id reaches another's rows.
A filter's `help_text` describes it in the API schema; the page shows no hint for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from qaf import selectors as qaf_selectors
from qaf.csvexport import csv_response
from qaf.forms import govuk_errors

PAGE_SIZE = 25


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A row id: a whole number, unlike NumberFilter's decimal."""

    field_class = forms.IntegerField


class TickWidget(forms.CheckboxInput):
    """A tick box on the page (sent as "on") that also reads the API's true/false and 1/0; anything else,
    or nothing, is neither."""

    VALUES = {"on": True, "true": True, "1": True, "false": False, "0": False}

    # CheckboxInput's is tick or no tick (bool); this one also reads "neither" (None), as NullBooleanField does.
    def value_from_datadict(self, data, files, name: str) -> bool | None:  # type: ignore[override]
        value = data.get(name)
        return self.VALUES.get(value.lower()) if isinstance(value, str) else None


class YesNoFilter(django_filters.BooleanFilter):
    """Yes, no or either: a tick box on the page (ticked: yes), `true`/`false` in the API."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", TickWidget)
        super().__init__(*args, **kwargs)


class EitherWayFilter(django_filters.BooleanFilter):
    """Yes, no or either as a select on the page (`choices`: the values "yes" and "no" and their labels, with
    the blank "either" first), `true`/`false` in the API (anything else is neither, as BooleanFilter reads
    it). A filter method receives True or False."""

    def __init__(self, *, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        self.page_choices = list(choices)
        super().__init__(**kwargs)

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            field: forms.Field
            if getattr(self.parent, "is_api", False):
                field = forms.NullBooleanField(required=False, label=self.label, widget=BooleanWidget)
            else:
                field = forms.TypedChoiceField(
                    required=False,
                    label=self.label,
                    choices=self.page_choices,
                    coerce=lambda value: {"yes": True, "no": False}[value],
                    empty_value=None,
                )
            self._field = field
        return self._field


class _TypedChoiceField(forms.TypedChoiceField):
    def __init__(self, *, empty_label: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if empty_label is not None:
            self.choices = [("", empty_label), *choice_pairs(self)]


class TypedChoiceFilter(django_filters.TypedChoiceFilter):
    """A choice whose value is coerced (`coerce=int`), with an `empty_label` for the page's "any" option."""

    field_class = _TypedChoiceField


@runtime_checkable
class ChoosesOwnRows(Protocol):
    """A choice field that works out the rows it offers from the user (ehcp.forms.ChildFilterField)."""

    def limit_to(self, user: Any) -> None: ...


@extend_schema_field(OpenApiTypes.INT)
class ScopedChoiceFilter(django_filters.ModelChoiceFilter):
    """One of the rows `choices(user)` offers: a select on the page (a row outside them is the field's error),
    a row id in the API. `api_label` describes it in the API schema. A filter method receives the row's id.
    A `field_class` with `limit_to(user)` (ehcp.forms.ChildFilterField) chooses its own rows. `errors_about` is the
    phrase its GOV.UK error messages use ("an agency from the list") unless the FilterSet's `errors_about` names
    another."""

    def __init__(
        self,
        *,
        choices: Callable[[Any], QuerySet],
        api_label: str,
        field_class: type[forms.ModelChoiceField] = forms.ModelChoiceField,
        errors_about: str = "",
        **kwargs: Any,
    ) -> None:
        self.choices = choices
        self.page_field_class = field_class
        self.errors_about = errors_about
        super().__init__(queryset=lambda request: choices(request.user), help_text=api_label, **kwargs)

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            field: forms.Field
            if getattr(self.parent, "is_api", False):
                field = forms.IntegerField(required=False, label=self.extra["help_text"])
            else:
                user = self.parent.request.user
                kwargs = {k: v for k, v in self.extra.items() if k not in ("help_text", "queryset")}
                kwargs["required"] = False
                if self.label is not None:
                    kwargs["label"] = self.label
                field_class = self.page_field_class
                if issubclass(field_class, ChoosesOwnRows):
                    chooser = field_class(**kwargs)
                    chooser.limit_to(user)
                    field = chooser
                else:
                    field = field_class(queryset=self.choices(user), **kwargs)
            self._field = field
        return self._field

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return super().filter(qs, row_id(value))


def agency_filter(
    *,
    api_label: str = "Agency (id)",
    label: str = "Agency",
    choices: Callable[[Any], QuerySet] = qaf_selectors.agencies_for_filter,
    **kwargs: Any,
) -> ScopedChoiceFilter:
    """A list's agency filter: one of the agencies `choices(user)` offers (by default the partnership's active
    agencies); `field_name="agency"` unless a `method` or another field is given."""
    if "method" not in kwargs:
        kwargs.setdefault("field_name", "agency")
    return ScopedChoiceFilter(
        choices=choices,
        label=label,
        empty_label="Any agency",
        api_label=api_label,
        errors_about="an agency from the list",
        **kwargs,
    )


def tagged_with_theme(queryset: QuerySet, name: str, theme: Any) -> QuerySet:
    """A theme filter's method: the rows whose `themes` include `theme` (a row or its id), each row once."""
    themes = queryset.model._meta.get_field("themes")
    tagged = themes.remote_field.through.objects.filter(theme_id=row_id(theme))
    return queryset.filter(pk__in=tagged.values(f"{themes.m2m_field_name()}_id"))


def theme_filter(
    *,
    api_label: str = "Tagged with this theme (id)",
    choices: Callable[[Any], QuerySet] = qaf_selectors.themes_for_filter,
    method: str | Callable[[QuerySet, str, Any], QuerySet] = tagged_with_theme,
) -> ScopedChoiceFilter:
    """A list's theme filter: one of the themes `choices(user)` offers, applied by `method` (by default, to the
    rows tagged with the theme; or the name of the FilterSet's own method)."""
    return ScopedChoiceFilter(
        choices=choices,
        label="Theme",
        empty_label="Any theme",
        api_label=api_label,
        method=method,
        errors_about="a theme from the list",
    )


def term_filter(
    *,
    label: str,
    api_label: str,
    choices: Callable[[Any], QuerySet] = qaf_selectors.terms_for_filter,
    **kwargs: Any,
) -> ScopedChoiceFilter:
    """A list's term filter: one of the partnership's terms, latest first; a `method` or `field_name` applies it."""
    return ScopedChoiceFilter(
        choices=choices,
        label=label,
        empty_label="Any term",
        api_label=api_label,
        errors_about="a term from the list",
        **kwargs,
    )


def due_in_term(queryset: QuerySet, term: Any) -> QuerySet:
    """The rows whose `due_on` falls within `term` (a row or its id), one of their own partnership's terms."""
    from qaf.models import Term

    terms = Term.objects.filter(
        pk=row_id(term),
        academic_year__partnership_id=OuterRef("partnership_id"),
        starts_on__lte=OuterRef("due_on"),
        ends_on__gte=OuterRef("due_on"),
    )
    return queryset.filter(Exists(terms))


def where_or_not(queryset: QuerySet, condition: Q, value: bool) -> QuerySet:
    """A yes/no filter's rows: those meeting `condition` for yes (True), the others for no (False)."""
    return queryset.filter(condition) if value else queryset.exclude(condition)


def row_id(value: Any) -> Any:
    """A chosen row's id (the page gives the row, the API its id); None and "" stay as they are."""
    return value.pk if isinstance(value, Model) else value


class ListFilterSet(django_filters.FilterSet):
    """A list's filters for the page and the API. Subclasses name:

    - `panel`: the filters the page's filter panel shows, in order (the rest are the API's names, or other names
      the page accepts);
    - `errors_about`: for GOV.UK error messages, the phrase each panel field asks for ("a status from the list");
      the agency, theme and term filters of `agency_filter`, `theme_filter` and `term_filter` bring their own
      ("an agency from the list"), which this replaces where it names them;
    - `hints`: the hint a panel field shows on the page, where it has one;
    - `page_fields`: a field the page asks for otherwise than the API, by a function of the FilterSet making it
      (a GOV.UK date field of day, month and year where the API takes an ISO date); it cleans to the same
      kind of value.
    """

    panel: Sequence[str] = ()
    errors_about: Mapping[str, str] = {}
    hints: Mapping[str, str] = {}
    page_fields: Mapping[str, Callable[[ListFilterSet], forms.Field]] = {}

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet | None = None,
        *,
        request: HttpRequest | Request | None = None,
        prefix: str | None = None,
    ) -> None:
        self.is_api = isinstance(request, Request)
        super().__init__(data, queryset, request=request, prefix=prefix)

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            if not self.is_api:
                for name, make in self.page_fields.items():
                    form.fields[name] = make(self)
            for name, thing in self.error_phrases().items():
                if name in form.fields:
                    govuk_errors(form.fields[name], thing)
            if not self.is_api:
                for name, field in form.fields.items():
                    field.help_text = self.hints.get(name, "")
        return self._form

    def error_phrases(self) -> dict[str, str]:
        """The phrase each field's GOV.UK error messages use: its filter's own, or the FilterSet's `errors_about`."""
        own = {name: f.errors_about for name, f in self.filters.items() if getattr(f, "errors_about", "")}
        return {**own, **self.errors_about}

    def panel_form(self) -> forms.Form:
        """The filter form with only the panel's fields (bound fields share the form's data and errors)."""
        form = self.form
        # The filter form's class is made by django-filter for each FilterSet; the filter panel's template reads
        # this attribute.
        form.panel_fields = [form[name] for name in self.panel]  # type: ignore[attr-defined]
        return form

    def selected(self) -> list[tuple[str, str, str]]:
        """The panel filters in use, as (name, label, chosen value's label): the selected-filter tags."""
        if not self.is_bound:
            return []
        self.is_valid()
        data = self.form.cleaned_data
        chosen = []
        for name in self.panel:
            value = data.get(name)
            field = self.form.fields[name]
            if (
                value is None
                or value == ""
                or (value is False and isinstance(field.widget, forms.CheckboxInput))
            ):
                continue
            chosen.append(
                (name, str(self.form.fields[name].label), value_label(self.form.fields[name], value))
            )
        return chosen


def value_label(field: forms.Field, value: Any) -> str:
    """How a selected-filter tag names a field's chosen value."""
    if isinstance(field.widget, forms.CheckboxInput):
        return "Yes"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(field, forms.TypedChoiceField):
        return str({field.coerce(key): label for key, label in choice_pairs(field) if key}.get(value, value))
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        return str(dict(choice_pairs(field)).get(value, value))
    return str(value)


def choice_pairs(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    """A choice field's choices as (value, label) pairs (a group's pair is its name and its choices)."""
    # Django keeps a field's choices normalised (a list, or an iterator of a callable's); the stubs type the
    # getter as everything the setter accepts (a mapping, a callable, an enum).
    return list(field.choices)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Sorting:
    """A list's fixed sort keys (`?sort=`) and what each orders by; an unknown key is the default."""

    orders: Mapping[str, Sequence[Any]]
    default: str

    def key(self, chosen: str | None) -> str:
        return chosen if chosen is not None and chosen in self.orders else self.default

    def apply(self, queryset: QuerySet, chosen: str | None) -> QuerySet:
        return queryset.order_by(*self.orders[self.key(chosen)])


@dataclass(frozen=True)
class Csv:
    """A list's CSV download: the filename and, for the filtered (unpaginated) rows, the header and lines."""

    filename: Callable[[], str]
    rows: Callable[[QuerySet], tuple[Sequence[str], Iterable[Sequence[object]]]]


@dataclass
class ListPage:
    """What a list template needs: `filters` (the FilterSet), `form` (its panel), `selected` (the tags),
    `page` (one page of rows), `sort` (the key in use), `sort_asked` (the `?sort=` given, when it is one of the
    keys: the filter panel keeps it), `clear_url` (the list with no filters)."""

    filters: ListFilterSet
    form: forms.Form
    selected: list[tuple[str, str, str]]
    page: Page
    clear_url: str
    sort: str = ""
    sort_asked: str = ""

    def context(self) -> dict[str, Any]:
        return {
            "list": self,
            "form": self.form,
            "page": self.page,
            "active_filters": self.selected,
            "clear_url": self.clear_url,
            "sort": self.sort,
        }


def filtered(
    filterset_class: type[ListFilterSet], request: HttpRequest, queryset: QuerySet
) -> tuple[ListFilterSet, QuerySet]:
    """The FilterSet bound to the page's query string (unbound when there is none) and the rows it keeps:
    every valid filter applies, an invalid one is left out and shown as its field's error."""
    filters = filterset_class(request.GET or None, queryset=queryset, request=request)
    return filters, filters.qs


def _filtered_sorted(
    request: HttpRequest, filterset_class: type[ListFilterSet], queryset: QuerySet, sorting: Sorting | None
) -> tuple[ListFilterSet, QuerySet, str, str]:
    """The list's filters and its rows filtered and sorted as the query string asks, with the sort asked for and
    the one applied (the default where the one asked is not offered)."""
    filters, rows = filtered(filterset_class, request, queryset)
    asked = request.GET.get("sort", "")
    sort = sorting.key(asked) if sorting else ""
    if sorting:
        rows = sorting.apply(rows, sort)
    return filters, rows, asked, sort


def list_page(
    request: HttpRequest,
    *,
    filterset_class: type[ListFilterSet],
    queryset: QuerySet,
    sorting: Sorting | None = None,
    page_size: int = PAGE_SIZE,
    csv: Csv | None = None,
) -> ListPage | HttpResponseBase:
    """One page of a filtered, sorted list, or (with `?format=csv` where the list has `csv`) every row of it as
    a CSV download. A page number past the end is the last page, and one that is not a number the first."""
    filters, rows, asked, sort = _filtered_sorted(request, filterset_class, queryset, sorting)
    if csv is not None and request.GET.get("format") == "csv":
        header, lines = csv.rows(rows)
        return csv_response(csv.filename(), header, lines)
    page = Paginator(rows, page_size).get_page(request.GET.get("page"))
    return ListPage(
        filters=filters,
        form=filters.panel_form(),
        selected=filters.selected(),
        page=page,
        clear_url=request.path,
        sort=sort,
        sort_asked=asked if sorting and asked == sort else "",
    )


def render_list(
    request: HttpRequest, template: str, listing: ListPage | HttpResponseBase, **context: Any
) -> HttpResponseBase:
    """Render a list page's template with the list's context and the page's own; a CSV answer passes through."""
    if isinstance(listing, HttpResponseBase):
        return listing
    return render(request, template, {**listing.context(), **context})


def csv_download(
    request: HttpRequest,
    *,
    filterset_class: type[ListFilterSet],
    queryset: QuerySet,
    csv: Csv,
    sorting: Sorting | None = None,
) -> StreamingHttpResponse:
    """Every row of a filtered (and sorted) list as its CSV, for a list whose CSV has an address of its own:
    exactly the rows its page shows with the same query string, on every page."""
    _filters, rows, _asked, _sort = _filtered_sorted(request, filterset_class, queryset, sorting)
    header, lines = csv.rows(rows)
    return csv_response(csv.filename(), header, lines)


def render_rows(
    request: HttpRequest,
    template: str,
    listing: ListPage | HttpResponseBase,
    row: Callable[[Any], dict[str, Any]],
    **context: Any,
) -> HttpResponseBase:
    """`render_list` for a template that shows `rows`: `row(record)` for each record of the page, what its
    row shows besides the record itself (a clock, a status tag); a CSV answer passes through."""
    if isinstance(listing, HttpResponseBase):
        return listing
    rows = [row(record) for record in listing.page.object_list]
    return render_list(request, template, listing, rows=rows, **context)
