"""The list pipeline shared by every list page and the API: qaf.lists and qaf.api.exceptions."""

from __future__ import annotations

import django_filters
import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from ehcp.tests.factories import ChildFactory
from qaf.api.exceptions import exception_handler
from qaf.lists import Csv, ListFilterSet, Sorting, list_page
from qaf.models import Agency, AgencyKind
from qaf.tests.factories import AgencyFactory, PartnershipFactory

# --- the API's exception handler ----------------------------------------------------------------------


def _view_raising(error: Exception):
    class Raises(APIView):
        authentication_classes: list = []
        permission_classes: list = []

        def post(self, request):
            raise error

    return Raises.as_view()


def _post(error: Exception) -> Response:
    return _view_raising(error)(APIRequestFactory().post("/", {}, format="json"))


def test_a_services_field_errors_are_a_400_under_their_field_names():
    response = _post(
        ValidationError({"case_reference": ["Already used.", "Too long."], "initials": "Needed."})
    )

    assert response.status_code == 400
    assert response.data == {"case_reference": ["Already used.", "Too long."], "initials": ["Needed."]}


def test_a_services_errors_about_the_whole_object_are_non_field_errors():
    response = _post(ValidationError({NON_FIELD_ERRORS: ["Dates overlap."], "due_on": ["In the past."]}))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Dates overlap."], "due_on": ["In the past."]}


@pytest.mark.parametrize(
    "error", [ValidationError("Only a draft can be discarded."), ValidationError(["One.", "Two."])]
)
def test_a_services_message_without_fields_is_a_non_field_error(error):
    response = _post(error)

    assert response.status_code == 400
    assert response.data == {"non_field_errors": error.messages}


def test_the_handler_leaves_drfs_own_errors_as_they_were():
    assert exception_handler(NotFound(), {}).status_code == 404
    assert exception_handler(RuntimeError("boom"), {}) is None


# --- the list helper ----------------------------------------------------------------------------------


class AgencyFilterSet(ListFilterSet):
    """A small list to exercise the helper: the partnership's agencies by name and kind."""

    name = django_filters.CharFilter(label="Name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="Kind", choices=AgencyKind.choices, empty_label="Any kind")

    panel = ("name", "kind")
    errors_about = {"name": "the name", "kind": "a kind from the list"}

    class Meta:
        model = Agency
        fields: list[str] = []


SORTING = Sorting(orders={"name": ("name", "pk"), "-name": ("-name", "-pk")}, default="name")
CSV = Csv(
    filename=lambda: "agencies.csv", rows=lambda rows: (["name", "kind"], ([a.name, a.kind] for a in rows))
)


def _list(user, query: dict, **kwargs):
    request = RequestFactory().get("/agencies/", query)
    request.user = user
    kwargs.setdefault("sorting", SORTING)
    queryset = Agency.objects.filter(partnership__name="Agencies to list")
    return request, list_page(request, filterset_class=AgencyFilterSet, queryset=queryset, **kwargs)


def _names(listing) -> list[str]:
    return [agency.name for agency in listing.page.object_list]


@pytest.fixture
def agencies(db):
    partnership = PartnershipFactory(name="Agencies to list")
    for name, kind in [
        ("Cedar", AgencyKind.HEALTH),
        ("Alder", AgencyKind.EDUCATION),
        ("Birch", AgencyKind.HEALTH),
    ]:
        AgencyFactory(partnership=partnership, name=name, kind=kind)
    return partnership


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected", "in_use"),
    [
        ("name", ["Alder", "Birch", "Cedar"], "name"),
        ("-name", ["Cedar", "Birch", "Alder"], "-name"),
        ("", ["Alder", "Birch", "Cedar"], "name"),
        ("kind", ["Alder", "Birch", "Cedar"], "name"),  # not a key: the default
        ("-pk; drop table", ["Alder", "Birch", "Cedar"], "name"),
    ],
)
def test_sort_keys_come_from_the_fixed_map_and_anything_else_is_the_default(
    agencies, sqa_officer, sort, expected, in_use
):
    _request, listing = _list(sqa_officer, {"sort": sort})

    assert _names(listing) == expected
    assert listing.sort == in_use
    assert listing.sort_asked == (sort if sort == in_use else "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "expected_number"),
    [("1", 1), ("2", 2), ("3", 3), ("4", 3), ("999", 3), ("0", 3), ("x", 1), ("", 1)],
)
def test_a_page_past_the_end_is_the_last_page_and_a_non_number_the_first(
    agencies, sqa_officer, page, expected_number
):
    AgencyFactory.create_batch(4, partnership=agencies, kind=AgencyKind.SAT)  # 7 agencies

    _request, listing = _list(sqa_officer, {"page": page}, page_size=3)

    assert listing.page.paginator.num_pages == 3
    assert listing.page.number == expected_number
    assert len(listing.page.object_list) == (1 if expected_number == 3 else 3)


@pytest.mark.django_db
def test_filters_narrow_the_rows_and_are_the_selected_tags_in_panel_order(agencies, sqa_officer):
    _request, listing = _list(sqa_officer, {"kind": AgencyKind.HEALTH, "name": "r"})

    assert _names(listing) == ["Birch", "Cedar"]
    assert listing.selected == [("name", "Name", "r"), ("kind", "Kind", "Health")]
    assert [field.name for field in listing.form.panel_fields] == ["name", "kind"]


@pytest.mark.django_db
def test_an_invalid_filter_is_its_fields_govuk_error_and_the_others_still_apply(agencies, sqa_officer):
    _request, listing = _list(sqa_officer, {"kind": "volcano", "name": "ir"})

    assert _names(listing) == ["Birch"]
    assert listing.form.errors["kind"] == ["Select a kind from the list"]
    assert [name for name, _label, _value in listing.selected] == ["name"]


@pytest.mark.django_db
def test_each_selected_tag_links_to_the_list_without_it_and_back_to_page_one(agencies, sqa_officer):
    request, listing = _list(
        sqa_officer, {"kind": AgencyKind.HEALTH, "name": "e", "sort": "-name", "page": "2"}
    )

    html = render_to_string("qaf/lists/filter_panel.html", listing.context(), request=request)

    assert 'href="?name=e&amp;sort=-name"' in html  # removes kind
    assert 'href="?kind=health&amp;sort=-name"' in html  # removes name
    assert 'href="/agencies/">Clear filters' in html
    assert '<input type="hidden" name="sort" value="-name">' in html


@pytest.mark.django_db
def test_without_filters_there_are_no_tags(agencies, sqa_officer):
    request, listing = _list(sqa_officer, {})

    assert listing.selected == []
    assert "Selected filters" not in render_to_string(
        "qaf/lists/filter_panel.html", listing.context(), request=request
    )


@pytest.mark.django_db
def test_format_csv_is_every_filtered_row_in_the_lists_order(agencies, sqa_officer):
    AgencyFactory.create_batch(30, partnership=agencies, kind=AgencyKind.HEALTH)  # "Agency N"

    _request, response = _list(
        sqa_officer, {"format": "csv", "kind": AgencyKind.HEALTH, "sort": "-name"}, csv=CSV
    )

    assert response["Content-Disposition"] == 'attachment; filename="agencies.csv"'
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "name,kind"
    assert len(lines) == 1 + 32  # not one page of 25
    assert lines[1:3] == ["Cedar,health", "Birch,health"]


@pytest.mark.django_db
def test_format_csv_is_a_page_where_the_list_has_no_csv(agencies, sqa_officer):
    _request, listing = _list(sqa_officer, {"format": "csv"})

    assert _names(listing) == ["Alder", "Birch", "Cedar"]


# --- page and API: one FilterSet ----------------------------------------------------------------------


@pytest.fixture
def children(area):
    both = [area.school, area.other_school]
    ChildFactory(partnership=area.partnership, case_reference="A-1", primary_need="SEMH", agencies=both)
    ChildFactory(
        partnership=area.partnership, case_reference="A-2", primary_need="SEMH", agencies=[area.school]
    )
    ChildFactory(
        partnership=area.partnership, case_reference="B-1", primary_need="ASD", agencies=[area.school]
    )
    ChildFactory(
        partnership=area.partnership, case_reference="B-2", primary_need="SEMH", agencies=[area.health]
    )
    return area


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page_query", "api_query"),
    [
        ({"need": "SEMH"}, {"primary_need": "SEMH"}),
        ({"primary_need": "SEMH"}, {"primary_need": "SEMH"}),
        ({"q": "a-"}, {"search": "a-"}),
        (
            {"q": "a-", "need": "SEMH", "agency": "school"},
            {"search": "a-", "primary_need": "SEMH", "agency": "school"},
        ),
        ({"agency": "other_school"}, {"agency": "other_school"}),
    ],
)
def test_the_children_page_and_api_give_the_same_rows_for_the_same_filter(
    client, children, sqa_officer, page_query, api_query
):
    def ids(query):
        return {k: getattr(children, v).pk if k == "agency" else v for k, v in query.items()}

    client.force_login(sqa_officer)
    page = client.get(reverse("ehcp:child-list"), ids(page_query))
    api = APIClient()
    api.force_authenticate(sqa_officer)
    rows = api.get("/api/v1/children/", ids(api_query)).json()["results"]

    on_page = [child.case_reference for child in page.context["page"].object_list]
    assert on_page == [row["case_reference"] for row in rows]
    assert on_page  # the filter keeps some rows, and not all of them
    assert len(on_page) < 4


@pytest.mark.django_db
def test_the_api_still_takes_any_agency_id_where_the_page_refuses_one_it_does_not_offer(
    client, children, agency_manager
):
    client.force_login(agency_manager)
    page = client.get(reverse("ehcp:child-list"), {"agency": children.other_school.pk})
    api = APIClient()
    api.force_authenticate(agency_manager)
    response = api.get("/api/v1/children/", {"agency": children.other_school.pk})

    assert page.context["form"].errors["agency"] == ["Select an agency from the list"]
    assert response.status_code == 200
    assert {row["case_reference"] for row in response.json()["results"]} <= {"A-1"}
