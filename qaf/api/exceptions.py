"""The API's exception handler: DRF's own, plus a service's django ValidationError as a 400.

Services raise django.core.exceptions.ValidationError (the pages put it on their forms); an API view calls the
same service directly and this handler gives the caller a 400 whose body has the serializers' shape: field
errors under their field names, errors about the whole object under `non_field_errors`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def drf_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """The DRF error for a service's ValidationError: field errors keep their field names, errors about
    the whole object go under `non_field_errors`, as DRF's own serializers put them."""
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
            for name, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return serializers.ValidationError(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK's EXCEPTION_HANDLER: a django ValidationError is answered as DRF's ValidationError."""
    if isinstance(exc, DjangoValidationError):
        exc = drf_validation_error(exc)
    return drf_exception_handler(exc, context)
