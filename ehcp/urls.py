from django.urls import path

from ehcp import views, views_import

app_name = "ehcp"

urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("import/", views_import.import_upload, name="import-upload"),
    path("import/<int:pk>/", views_import.import_detail, name="import-detail"),
]
