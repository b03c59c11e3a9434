from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Compliments and complaints"

    def ready(self) -> None:
        from qaf import navigation
        from qaf.access import WORKING_ROLES, user_access

        navigation.register(
            "Complaints",
            "feedback:complaint-list",
            order=60,
            allowed=lambda user: bool(user_access(user).agencies_for(*WORKING_ROLES)),
        )
