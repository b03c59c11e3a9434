from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "Children and plans"

    def ready(self) -> None:
        from ehcp import access
        from qaf import navigation

        navigation.register(
            "Children and plans", "ehcp:child-list", order=10, allowed=navigation.may(access.children, "list")
        )
