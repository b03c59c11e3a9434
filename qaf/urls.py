"""The project URLconf: pages, sign-in and password reset, the API under /api/v1/, its schema and docs, admin
and health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qaf import health
from qaf.forms import NewPasswordForm, PasswordResetRequestForm, SignInForm

# Sign in, sign out and password reset, on Django's auth views with GOV.UK-styled templates.
accounts = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="qaf/sign_in.html", authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="qaf/password_reset.html",
            form_class=PasswordResetRequestForm,
            email_template_name="qaf/email/password_reset.txt",
            subject_template_name="qaf/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="qaf/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="qaf/password_reset_confirm.html", form_class=NewPasswordForm
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="qaf/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

api_v1 = [
    path("", include("qaf.api.urls")),
    path("", include("ehcp.api.urls")),
    path("", include("audits.api.urls")),
    path("", include("actions.api.urls")),
    path("", include("feedback.api.urls")),
]

urlpatterns = [
    path("", include("reporting.urls")),
    path("accounts/", include(accounts)),
    path("children/", include("ehcp.urls")),
    path("", include("actions.urls")),
    path("audits/", include("audits.urls")),
    path("feedback/", include("feedback.urls")),
    path("f/", include("feedback.urls.public")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler404 = "qaf.views.not_found"
handler403 = "qaf.views.forbidden"
handler500 = "qaf.views.server_error"
