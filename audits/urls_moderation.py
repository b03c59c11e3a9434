"""Routes for moderation (filled in with the views)."""

urlpatterns: list = []
