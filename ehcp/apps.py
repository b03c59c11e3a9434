from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "Children and plans"

    def ready(self) -> None:
        from qaf import navigation
        from qaf.access import WORKING_ROLES, user_access

        navigation.register(
            "Children and plans",
            "ehcp:child-list",
            order=10,
            allowed=lambda user: bool(user_access(user).agencies_for(*WORKING_ROLES)),
        )
