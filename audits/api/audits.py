"""API views for audits."""


def register(router) -> None:
    """Add this module's viewsets to the router."""
