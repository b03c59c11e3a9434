"""Forms of the partnership core, and the GOV.UK error messages every app's form fields carry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import QuerySet

from qaf.fields import GovukDateField
from qaf.models import Theme
from qaf.ratelimit import Limit

FieldT = TypeVar("FieldT", bound=forms.Field)
# The form classes `govuk_errors_for` decorates: those whose declared fields are in `base_fields`.
FormT = TypeVar("FormT", bound="type[forms.Form] | type[forms.ModelForm[Any]]")

# After this many failed sign-ins for one username, further attempts are refused for the window.
SIGN_IN_MAX_FAILURES = 10
SIGN_IN_WINDOW_SECONDS = 15 * 60
SIGN_IN_LIMIT = Limit("sign-in-failures", SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_SECONDS)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _limits(field: forms.Field, thing: str) -> dict[str, str]:
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    if low is not None and high is not None:
        between = f"{_sentence(thing)} must be between {low:,} and {high:,}"
        return {"min_value": between, "max_value": between}
    limits = {}
    if low is not None:
        limits["min_value"] = f"{_sentence(thing)} must be {low:,} or more"
    if high is not None:
        limits["max_value"] = f"{_sentence(thing)} must be {high:,} or fewer"
    return limits


def _explicit(field: forms.Field, code: str) -> bool:
    """Was this message given to the field itself (not one of Django's defaults)?"""
    defaults: dict = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return code in field.error_messages and (
        code not in defaults or str(field.error_messages[code]) != str(defaults[code])
    )


def _number_messages(field: forms.Field, thing: str, invalid: str) -> dict[str, str]:
    """An integer, decimal or float field's messages: "Enter …", `invalid`, and its limits."""
    return {"required": f"Enter {thing}", "invalid": invalid, **_limits(field, thing)}


def _text_messages(field: forms.Field, thing: str) -> dict[str, str]:
    """A text field's messages: "Enter …", the email format, and its lengths."""
    said = _sentence(thing)
    messages = {"required": f"Enter {thing}"}
    if isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {thing} in the correct format, like name@example.com"
    max_length, min_length = getattr(field, "max_length", None), getattr(field, "min_length", None)
    if max_length is not None:
        messages["max_length"] = f"{said} must be {max_length:,} characters or fewer"
    if min_length is not None:
        messages["min_length"] = f"{said} must be {min_length:,} characters or more"
    return messages


def _generated_messages(field: forms.Field, thing: str) -> dict[str, str]:
    """The GOV.UK messages about `thing` for a field of this kind, by error code."""
    said = _sentence(thing)
    if isinstance(field, GovukDateField):
        return {
            "required": f"Enter {thing}",
            "incomplete": f"{said} must be a real date",
            "invalid": f"{said} must be a real date",
        }
    if isinstance(field, forms.FileField):
        return {
            "required": f"Select {thing}",
            "missing": f"Select {thing}",
            "invalid": f"Select {thing}",
            "empty": "The selected file is empty",
        }
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)):
        codes = ("required", "invalid_choice", "invalid_list", "invalid_pk_value")
        return dict.fromkeys(codes, f"Select {thing}")
    if isinstance(field, forms.IntegerField):
        return _number_messages(field, thing, f"{said} must be a whole number")
    if isinstance(field, (forms.DecimalField, forms.FloatField)):
        return _number_messages(field, thing, f"{said} must be a number")
    return _text_messages(field, thing)


def govuk_errors(field: FieldT, thing: str, **messages: str) -> FieldT:
    """Give `field` the GOV.UK Design System's error messages about `thing`, a phrase naming what the field
    asks for ("the date the complaint was received", "the agency the complaint is about"): "Enter …" for
    text, numbers and dates, "Select …" for choices, and "… must be a whole number", "… must be 4,000
    characters or fewer", "… must be a real date" and the like, so that nobody sees Django's "This field is
    required.". Messages the field was given itself are kept; `messages`, by error code, replace any.
    Returns the field."""
    if isinstance(field, GovukDateField):
        field.label_for_errors = thing
    for code, message in _generated_messages(field, thing).items():
        if not _explicit(field, code):
            field.error_messages[code] = message
    field.error_messages.update(messages)
    return field


def govuk_errors_for(**phrases: str | tuple[str, dict[str, str]]) -> Callable[[FormT], FormT]:
    """A class decorator giving each named field of a form its GOV.UK error messages (see `govuk_errors`),
    from one phrase per field: `@govuk_errors_for(agency="the agency the complaint is about")`, or a phrase
    and the messages it does not fit: `seed=("the seed", {"max_value": "..."})`. Fields a form adds in
    `__init__` call `govuk_errors` themselves."""

    def decorate(form_class: FormT) -> FormT:
        for name, phrase in phrases.items():
            thing, messages = phrase if isinstance(phrase, tuple) else (phrase, {})
            govuk_errors(form_class.base_fields[name], thing, **messages)
        return form_class

    return decorate


def textarea_field(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    """A free-text answer in a textarea (GOV.UK's character count and styles come from the template); optional
    unless `required`. Other keywords (`help_text`, `max_length`, `error_messages`, ...) are CharField's."""
    return forms.CharField(label=label, required=required, widget=forms.Textarea, **kwargs)


def themes_field(*, label: str = "Themes", help_text: str = "") -> forms.ModelMultipleChoiceField[Theme]:
    """A record's themes: tick boxes, none needed. The form offers its partnership's themes in `__init__`
    (`model_choice_field(form, "themes").queryset = ...`); until then it offers none."""
    return forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def offer_agencies(
    field: forms.ModelChoiceField, agencies: QuerySet, *, empty_label: str = "Select an agency"
) -> None:
    """Offer `agencies` in an agency picker that starts on `empty_label`, so that no record is put down to
    whichever agency happens to come first. With only one agency to offer there is no choice to make: it is
    the one chosen."""
    field.queryset = agencies
    field.empty_label = None if len(agencies[:2]) == 1 else empty_label


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the service's wording and a throttle on repeated failures per username
    (counted in the cache: set CACHE_URL so that every web process shares the count)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your partnership admin.",
        "throttled": "There have been too many attempts to sign in as this user. Wait 15 minutes and try again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_errors(self.fields["username"], "your username")
        govuk_errors(self.fields["password"], "your password")

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        if username and SIGN_IN_LIMIT.exceeded(username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                SIGN_IN_LIMIT.count(username)
            raise
        SIGN_IN_LIMIT.reset(username)
        return cleaned


class PasswordResetRequestForm(PasswordResetForm):
    """Django's "forgotten password" form with the service's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_errors(self.fields["email"], "your email address")


class NewPasswordForm(SetPasswordForm):
    """Django's "choose a new password" form with the service's wording."""

    error_messages = {
        "password_mismatch": "The passwords do not match. Enter the same new password in both boxes",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_errors(self.fields["new_password1"], "a new password")
        govuk_errors(self.fields["new_password2"], "your new password again")


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, to set its choices for this form (typed as the field it is)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field `name` (one choice or several), to set its queryset for this user."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field
