from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions and escalations"

    def ready(self) -> None:
        from actions import access
        from actions.selectors import child_panels
        from qaf import hooks, navigation

        navigation.register_section(
            "Actions and escalations",
            [
                ("Actions", "actions:actions", 33, navigation.may(access.actions, "list")),
                ("Escalations", "actions:escalations", 35, navigation.may(access.escalations, "list")),
            ],
        )

        # The child's remedial actions and escalations on the child's page, through qaf.hooks.
        hooks.register_child_panel(child_panels.actions_panel)
        hooks.register_child_panel(child_panels.escalations_panel)
