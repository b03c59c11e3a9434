"""Serializers for the partnership core."""

from __future__ import annotations

from rest_framework import serializers

from qaf.models import Agency


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send it as `Authorization: Token <token>`.")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "council", "is_active"]
        read_only_fields = fields
