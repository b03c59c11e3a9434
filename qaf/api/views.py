"""API views of the partnership core: sign-in tokens and the partnership's agencies."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle

from qaf.access import user_access
from qaf.api.serializers import AgencySerializer, TokenResponseSerializer
from qaf.api.viewsets import documented
from qaf.models import Agency


class TokenSignInThrottle(AnonRateThrottle):
    """Slows password guessing against the token endpoint (per client address)."""

    scope = "auth-token"
    rate = "20/minute"


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_create",
        summary="Exchange a username and password for an API token",
        description=(
            "Returns the user's token (the same one on every call until it is revoked). Send it on later "
            "requests as `Authorization: Token <token>`."
        ),
        request=AuthTokenSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="Missing or wrong username or password.",
                examples=[
                    OpenApiExample(
                        "Wrong credentials",
                        value={"non_field_errors": ["Unable to log in with provided credentials."]},
                    )
                ],
            ),
            429: OpenApiResponse(description="Too many attempts from this address; wait a minute."),
        },
        auth=[],
        tags=["auth"],
    )
)
class TokenView(ObtainAuthToken):
    # The endpoint signs people in, so it authenticates nobody itself (and needs no CSRF token).
    authentication_classes = ()
    throttle_classes = (TokenSignInThrottle,)


@documented(
    "agencies",
    list="The agencies of the caller's partnership",
    retrieve="One agency of the caller's partnership",
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies of the caller's partnership; every signed-in member of the partnership may read them."""

    serializer_class = AgencySerializer
    filterset_fields = ["kind", "is_active"]

    def get_queryset(self) -> QuerySet[Agency]:
        partnership_id = user_access(self.request.user).partnership_id
        if partnership_id is None:
            return Agency.objects.none()
        return Agency.objects.filter(partnership_id=partnership_id).order_by("name", "id")
