"""Serializers for the partnership core."""

from __future__ import annotations

from rest_framework import serializers

from qaf.models import Agency, Theme


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send it as `Authorization: Token <token>`.")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "council", "is_active"]
        read_only_fields = fields


# Field groups that many resources show alike. A serializer takes a group by naming its class among its bases
# (before ModelSerializer); its Meta.fields still lists the fields where they stand in the answer. They are
# described in comments, not docstrings: drf-spectacular takes a serializer's first docstring, a base class's
# too, as the description of its schema component.


# The agency a row belongs to: its id (`agency`) and its name (`agency_name`).
class AgencyFields(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)


# The ids of the themes a row is tagged with (`themes`).
class ThemeIdsField(serializers.Serializer):
    themes: serializers.PrimaryKeyRelatedField[Theme] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
