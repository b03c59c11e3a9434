"""API views for tools."""


def register(router) -> None:
    """Add this module's viewsets to the router."""
