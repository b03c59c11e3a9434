"""Migration 0003 on existing data: forms get the meetings they are for and each partnership its default forms,
titles that were the staff name are replaced, and every invitation gets its own short code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qaf.tests.migrating import latest, migrate

BEFORE = [("feedback", "0002_voice")]
AFTER = [("feedback", "0003_form_defaults_short_codes")]


@pytest.mark.django_db(transaction=True)
def test_existing_forms_get_defaults_public_titles_and_invitations_short_codes():
    apps = migrate(BEFORE)
    try:
        Partnership = apps.get_model("qaf", "Partnership")
        Agency = apps.get_model("qaf", "Agency")
        Form = apps.get_model("feedback", "FeedbackForm")
        Version = apps.get_model("feedback", "FeedbackFormVersion")
        Invitation = apps.get_model("feedback", "FeedbackInvitation")
        now = timezone.now()

        def form(partnership, name, audience, title, *, approved=True, created=now):
            made = Form.objects.create(partnership=partnership, name=name, audience=audience)
            Form.objects.filter(pk=made.pk).update(created_at=created)
            status = "approved" if approved else "draft"
            version = Version.objects.create(
                form=made, number=1, status=status, title=title, approved_at=now if approved else None
            )
            return made, version

        with_defaults = Partnership.objects.create(name="Has the defaults", slug="has-defaults")
        own_forms = Partnership.objects.create(name="Own forms only", slug="own-forms")
        default_parent, default_version = form(
            with_defaults, "Parent or carer: after a meeting", "parent_carer", "Tell us about the meeting"
        )
        # Approved after the default form: until now it took over every parent invitation.
        form(
            with_defaults,
            "Parent: after a tribunal mediation",
            "parent_carer",
            "Parent: after a tribunal mediation",
            created=now + dt.timedelta(days=1),
        )
        form(with_defaults, "Staff survey: quality of EHC plans", "staff", "Staff survey")
        first, _ = form(own_forms, "Our parent form", "parent_carer", "How did it go?", created=now)
        form(own_forms, "Our later form", "parent_carer", "Later", created=now + dt.timedelta(days=3))
        form(own_forms, "Not approved", "professional", "Draft", approved=False)
        agency = Agency.objects.create(partnership=with_defaults, name="School", kind="education")
        for _ in range(3):
            Invitation.objects.create(
                partnership=with_defaults,
                version=default_version,
                audience="parent_carer",
                agency=agency,
                meeting_kind="annual_review",
                meeting_on=dt.date(2026, 3, 2),
                delivery="handout",
                expires_at=now + dt.timedelta(days=30),
            )

        apps = migrate(AFTER)

        Form = apps.get_model("feedback", "FeedbackForm")
        Default = apps.get_model("feedback", "FeedbackFormDefault")
        Version = apps.get_model("feedback", "FeedbackFormVersion")
        Invitation = apps.get_model("feedback", "FeedbackInvitation")
        defaults = {
            (row.partnership.slug, row.audience, row.meeting_kind): row.form.name
            for row in Default.objects.select_related("partnership", "form")
        }
        assert defaults == {
            ("has-defaults", "parent_carer", "annual_review"): "Parent or carer: after a meeting",
            ("has-defaults", "parent_carer", "planning"): "Parent or carer: after a meeting",
            ("has-defaults", "parent_carer", "other"): "Parent or carer: after a meeting",
            ("has-defaults", "staff", "survey"): "Staff survey: quality of EHC plans",
            ("own-forms", "parent_carer", "annual_review"): "Our parent form",
            ("own-forms", "parent_carer", "planning"): "Our parent form",
            ("own-forms", "parent_carer", "other"): "Our parent form",
        }
        kinds = dict(Form.objects.values_list("name", "meeting_kinds"))
        assert kinds["Parent or carer: after a meeting"] == ["annual_review", "planning", "other"]
        assert kinds[first.name] == ["annual_review", "planning", "other"]
        assert kinds["Parent: after a tribunal mediation"] == [] and kinds["Our later form"] == []
        assert kinds["Staff survey: quality of EHC plans"] == []
        titles = dict(Version.objects.values_list("form__name", "title"))
        assert titles["Parent: after a tribunal mediation"] == "Tell us about the meeting"
        assert titles["Parent or carer: after a meeting"] == "Tell us about the meeting"
        assert titles["Our parent form"] == "How did it go?"
        codes = list(Invitation.objects.values_list("short_code", flat=True))
        assert len(codes) == 3 and len(set(codes)) == 3
        assert all(len(code) == 8 and set(code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for code in codes)
    finally:
        migrate(latest())
