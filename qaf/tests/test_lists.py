"""The list pipeline shared by every list page and the API: qaf.lists and qaf.api.exceptions."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from qaf.api.exceptions import exception_handler

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
