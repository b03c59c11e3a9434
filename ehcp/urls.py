from django.urls import path

from ehcp import views
from ehcp.imports import views as import_views

app_name = "ehcp"

urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("add/", views.child_create, name="child-create"),
    path("import/", import_views.import_upload, name="import-upload"),
    path("import/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("<int:pk>/", views.child_detail, name="child-detail"),
    path("<int:pk>/edit/", views.child_edit, name="child-edit"),
    path("<int:pk>/assessments/add/", views.assessment_edit, name="assessment-create"),
    path("<int:pk>/assessments/<int:assessment_pk>/", views.assessment_edit, name="assessment-edit"),
    path("<int:pk>/plans/add/", views.plan_create, name="plan-create"),
    path("<int:pk>/reviews/add/", views.review_edit, name="review-create"),
    path("<int:pk>/reviews/<int:review_pk>/", views.review_edit, name="review-edit"),
]
