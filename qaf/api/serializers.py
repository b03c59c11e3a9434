"""Serializers for the partnership core, and the one translation every API view uses from a service's
django ValidationError to DRF's 400 response."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from qaf.models import Agency


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send it as `Authorization: Token <token>`.")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "council", "is_active"]
        read_only_fields = fields


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
