"""API resources of the audit engine: audit-tools, audit-plans, audits."""

from rest_framework.routers import SimpleRouter

from audits.api import audits, plans, tools

router = SimpleRouter()
tools.register(router)
plans.register(router)
audits.register(router)

urlpatterns = router.urls
