"""Sign in, sign out and password reset, on Django's auth views with GOV.UK-styled templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from qaf.forms import NewPasswordForm, PasswordResetRequestForm, SignInForm

urlpatterns = [
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
