from django.apps import AppConfig


class QafConfig(AppConfig):
    name = "qaf"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from qaf import navigation
        from qaf.access import administers_partnership

        navigation.register("Home", "home", order=0, allowed=lambda user: True)
        navigation.register(
            "Administration",
            "admin:index",
            order=90,
            allowed=lambda user: user.is_staff and (user.is_superuser or administers_partnership(user)),
        )
