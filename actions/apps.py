from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions and escalations"

    def ready(self) -> None:
        from actions import access
        from actions.selectors import child_panels
        from qaf import hooks, navigation

        navigation.register(
            "Actions",
            "actions:actions",
            order=33,
            allowed=lambda user: access.actions.can(user, "list"),
            section="Actions and escalations",
        )
        navigation.register(
            "Escalations",
            "actions:escalations",
            order=35,
            allowed=lambda user: access.escalations.can(user, "list"),
            section="Actions and escalations",
        )

        # The child's remedial actions and escalations on the child's page, through qaf.hooks.
        hooks.register_child_panel(child_panels.actions_panel)
        hooks.register_child_panel(child_panels.escalations_panel)
