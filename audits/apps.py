from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from audits import access, action_sources
        from qaf import navigation

        navigation.register(
            "Audits",
            "audits:audit-list",
            order=30,
            allowed=lambda user: access.audits.can(user, "list"),
            section="Audits",
        )
        navigation.register(
            "Audit plan",
            "audits:plan-list",
            order=40,
            allowed=lambda user: access.plans.can(user, "list"),
            section="Audits",
        )
        navigation.register(
            "Audit tools",
            "audits:tool-list",
            order=50,
            allowed=lambda user: access.tools.can(user, "manage"),
            section="Audits",
        )
        navigation.register(
            "Moderation",
            "audits:moderation",
            order=45,
            allowed=lambda user: access.audits.can(user, "see_agreement"),
            section="Audits",
        )

        # Audits, dip samples and safeguarding concerns are where actions and escalations come from.
        action_sources.register()

        # The child's audits on the child's page, through qaf.hooks.
        from audits.selectors import child_panels
        from qaf import hooks

        hooks.register_child_panel(child_panels.audits_panel)
