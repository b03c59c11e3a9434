from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from audits import access, action_sources
        from qaf import navigation

        navigation.register_section(
            "Audits",
            [
                ("Audits", "audits:audit-list", 30, navigation.may(access.audits, "list")),
                ("Audit plan", "audits:plan-list", 40, navigation.may(access.plans, "list")),
                ("Moderation", "audits:moderation", 45, navigation.may(access.audits, "see_agreement")),
                ("Audit tools", "audits:tool-list", 50, navigation.may(access.tools, "manage")),
            ],
        )

        # Audits, dip samples and safeguarding concerns are where actions and escalations come from.
        action_sources.register()

        # The child's audits on the child's page, through qaf.hooks.
        from audits.selectors import child_panels
        from qaf import hooks

        hooks.register_child_panel(child_panels.audits_panel)
