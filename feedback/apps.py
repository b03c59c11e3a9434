from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Voice: feedback, compliments and complaints"

    def ready(self) -> None:
        from feedback import access
        from qaf import navigation

        # The voice start page links complaints, compliments, feedback, invitations, forms and advocacy: for
        # those who see the feedback analysis (working staff, SQA officers and board members).
        navigation.register(
            "Voice", "feedback:hub", order=60, allowed=navigation.may(access.responses, "see_analysis")
        )

        # Invitations: "Ask for feedback on this meeting" on the children pages, through qaf.hooks.
        from feedback.selectors import invitations as invitation_selectors
        from qaf import hooks

        hooks.register_meeting_followup(invitation_selectors.meeting_followups)

        # The child's complaints and the feedback asked for after its meetings, on the child's page.
        from feedback.selectors import child_panels

        hooks.register_child_panel(child_panels.complaints_panel)
        hooks.register_child_panel(child_panels.invitations_panel)

        # Complaints are where remedial actions come from too.
        from feedback import action_sources

        action_sources.register()
