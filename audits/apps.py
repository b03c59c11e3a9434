from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self) -> None:
        from audits import access
        from qaf import navigation
        from qaf.access import WORKING_ROLES, user_access
        from qaf.models import Role

        navigation.register(
            "Audits",
            "audits:audit-list",
            order=30,
            allowed=lambda user: bool(user_access(user).agencies_for(*WORKING_ROLES)),
            section="Audits",
        )
        navigation.register(
            "Audit plan",
            "audits:plan-list",
            order=40,
            allowed=lambda user: user_access(user).partnership_id is not None,
            section="Audits",
        )
        navigation.register(
            "Audit tools", "audits:tool-list", order=50, allowed=access.can_manage_tools, section="Audits"
        )
        navigation.register(
            "Actions",
            "audits:actions",
            order=33,
            allowed=lambda user: bool(user_access(user).agencies_for(*WORKING_ROLES)),
            section="Actions and escalations",
        )
        navigation.register(
            "Escalations",
            "audits:escalations",
            order=35,
            allowed=lambda user: (
                user_access(user).is_sqa
                or user_access(user).has_role(Role.HEAD_OF_SERVICE, Role.AGENCY_MANAGER)
            ),
            section="Actions and escalations",
        )
        navigation.register(
            "Moderation", "audits:moderation", order=45, allowed=access.can_see_agreement, section="Audits"
        )
