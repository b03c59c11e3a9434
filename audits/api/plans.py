"""API views for plans."""


def register(router) -> None:
    """Add this module's viewsets to the router."""
