"""Routes for the annual audit plan, scheduling audits from it, and sampling cases."""

from django.urls import path

from audits.views import plans, scheduling

urlpatterns: list = [
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/add/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reopen/", plans.plan_reopen, name="plan-reopen"),
    path("plans/<int:pk>/activities/add/", plans.activity_create, name="activity-create"),
    path("plans/activities/<int:pk>/", plans.activity_edit, name="activity-edit"),
    path("plans/activities/<int:pk>/remove/", plans.activity_remove, name="activity-remove"),
    path("plans/activities/<int:pk>/schedule/", scheduling.activity_schedule, name="activity-schedule"),
    path("plans/activities/<int:pk>/sample/", scheduling.activity_sample, name="activity-sample"),
    path("plans/sample-items/<int:pk>/swap/", scheduling.sample_item_swap, name="sample-item-swap"),
]
