"""Every access policy keeps its own promises, for every demo sign-in, on the seeded demo.

For each policy (`qaf.policies.Policy` subclass instance exported by an app's access.py) and each demo sign-in
of DESIGN.md §4 (plus an SQA officer of another partnership and a signed-out visitor): `visible(user)` and
`can(user, "view", obj)` agree on every object of the demo; `get_for_user` gives what is visible and 404s for
what is not (the same as for an id that does not exist); an action the policy does not know raises ValueError.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import Http404
from django.test.utils import override_settings

from actions import access as actions_access
from audits import access as audits_access
from demo.partnership import DEMO_PARTNERSHIP_NAME, DEMO_SIGN_INS
from demo.tests.demo_days import ORDINARY_DAY, seeded_on
from ehcp import access as ehcp_access
from feedback import access as feedback_access
from qaf.models import Role, User
from qaf.policies import Policy
from qaf.tests.factories import AgencyFactory, PartnershipFactory, member

POLICIES: dict[str, Policy] = {
    f"{module.__name__.split('.')[0]}.{name}": policy
    for module in (ehcp_access, audits_access, actions_access, feedback_access)
    for name, policy in vars(module).items()
    if isinstance(policy, Policy) and type(policy).__module__ == module.__name__
}
EXPECTED = {
    "ehcp.children", "ehcp.assessments", "ehcp.plans", "ehcp.reviews",
    "audits.audits", "audits.concerns", "audits.tools", "audits.plans",
    "actions.actions", "actions.escalations",
    "feedback.complaints", "feedback.compliments", "feedback.forms", "feedback.invitations", "feedback.responses",
    "feedback.advocacy",
}  # fmt: skip
PERSONAS = [*DEMO_SIGN_INS, "elsewhere.sqa", "anonymous"]
# Objects of each model checked one by one (spread over the demo's rows), to keep the test to seconds.
SAMPLE = 40


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo seeded once for this module (rolled back afterwards), with an SQA officer of another
    partnership."""
    with seeded_on(ORDINARY_DAY, django_db_blocker), override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
        member(AgencyFactory(partnership=PartnershipFactory()), Role.SQA_OFFICER, username="elsewhere.sqa")
        yield


def persona(name: str) -> User | AnonymousUser:
    if name == "anonymous":
        return AnonymousUser()
    if name == "elsewhere.sqa":
        return User.objects.get(username=name)
    return User.objects.get(username=name, partnership__name=DEMO_PARTNERSHIP_NAME)


def sample(policy: Policy) -> list:
    pks = list(policy.model._default_manager.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // SAMPLE)
    return list(policy.model._default_manager.filter(pk__in=pks[::step]))


def test_every_model_has_its_policy():
    assert set(POLICIES) == EXPECTED


@pytest.mark.usefixtures("demo", "db")
@pytest.mark.parametrize("policy_name", sorted(EXPECTED))
@pytest.mark.parametrize("name", PERSONAS)
def test_visible_and_can_view_agree_on_every_object(policy_name, name):
    policy = POLICIES[policy_name]
    user = persona(name)
    objects = sample(policy)
    assert objects, f"the demo has no {policy.model.__name__}"
    visible = set(policy.visible(user).values_list("pk", flat=True))
    for obj in objects:
        assert (obj.pk in visible) == policy.can(user, "view", obj), (policy_name, name, obj.pk)
        if obj.pk in visible:
            assert policy.get_for_user(user, obj.pk).pk == obj.pk
        else:
            with pytest.raises(Http404):
                policy.get_for_user(user, obj.pk)
    assert policy.aggregate_scope(user).model is policy.model


@pytest.mark.usefixtures("demo", "db")
@pytest.mark.parametrize("policy_name", sorted(EXPECTED))
def test_missing_and_hidden_rows_are_the_same_404(policy_name):
    policy = POLICIES[policy_name]
    user = persona("elsewhere.sqa")
    hidden = policy.model._default_manager.exclude(pk__in=policy.visible(user)).order_by("pk").first()
    assert hidden is not None
    missing = policy.model._default_manager.order_by("-pk").values_list("pk", flat=True).first() + 1000
    for pk in (hidden.pk, missing, "not-a-number"):
        with pytest.raises(Http404) as raised:
            policy.get_for_user(user, pk)
        assert str(raised.value) == "Not found"


@pytest.mark.parametrize("policy_name", sorted(EXPECTED))
def test_an_unknown_action_is_an_error_not_a_no(policy_name):
    policy = POLICIES[policy_name]
    assert "view" in policy.actions
    with pytest.raises(ValueError, match="no action 'fly'"):
        policy.can(AnonymousUser(), "fly")


def test_a_policy_must_define_every_action_it_lists():
    with pytest.raises(TypeError, match="can_<action>"):

        class Broken(Policy):  # noqa: F841
            model = User
            actions = frozenset({"view", "fly"})


# --- nothing outside the policies decides access by role -----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_APPS = ("qaf", "ehcp", "audits", "actions", "feedback", "reporting")
# The modules that may look at roles to decide access: the policies and the standing they build on.
POLICY_MODULES = {"qaf/access.py", "qaf/policies.py"} | {f"{app}/access.py" for app in PRODUCT_APPS}
STANDING_ATTRIBUTES = {"is_sqa", "is_sat", "is_board_only", "is_partnership_admin"}
ROLE_QUESTIONS = {"has_role", "agencies_for", "is_sqa_of"}


def product_modules() -> list[Path]:
    """Every module of the product apps, leaving out the policies, tests, migrations and demo data."""
    modules = []
    for app in PRODUCT_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            parts = set(path.relative_to(ROOT).parts)
            if relative in POLICY_MODULES or parts & {"tests", "migrations", "management"}:
                continue
            modules.append(path)
    return modules


def role_decisions(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a module decides access by role.

    - a comparison with a `Role.<NAME>` member (`role == Role.SQA_OFFICER`, `Role.BOARD_MEMBER in roles`);
    - a question to the user's standing about roles: a call of `has_role(...)`, `agencies_for(...)` or
      `is_sqa_of(...)`, or reading `is_sqa`, `is_sat`, `is_board_only` or `is_partnership_admin`.
    Naming a role elsewhere is not a decision about access and is allowed: a model field's `choices=Role.choices`,
    a form listing role choices, or a query keyword choosing people by role (`role=Role.HEAD_OF_SERVICE` to find
    whom to email, `role__in=WORKING_ROLES` to find who may carry out an action)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(
                isinstance(op, ast.Attribute) and isinstance(op.value, ast.Name) and op.value.id == "Role"
                for op in operands
            ):
                found.append((node.lineno, "comparison with a Role member"))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ROLE_QUESTIONS:
                found.append((node.lineno, f"{name}()"))
        elif isinstance(node, ast.Attribute) and node.attr in STANDING_ATTRIBUTES:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "qaf.access":
            found.extend((node.lineno, f"import {a.name}") for a in node.names if a.name in ROLE_QUESTIONS)
    return found


def test_no_product_module_outside_the_policies_decides_access_by_role():
    decisions = {
        path.relative_to(ROOT).as_posix(): found
        for path in product_modules()
        if (found := role_decisions(ast.parse(path.read_text(), filename=str(path))))
    }
    assert decisions == {}


def test_the_role_rule_sees_what_it_forbids_and_allows_what_it_allows():
    forbidden = """
if user_access(user).has_role(Role.BOARD_MEMBER): pass
if membership.role == Role.SQA_OFFICER: pass
ok = access.is_sqa or bool(access.agencies_for(*WORKING_ROLES))
ok = is_sqa_of(user, 1)
"""
    allowed = """
role = models.CharField(max_length=30, choices=Role.choices)
Membership.objects.filter(agency=agency, role=Role.HEAD_OF_SERVICE, role__in=WORKING_ROLES)
ROLES = [(Role.PRACTITIONER, "Practitioner")]
ok = policy.can(user, "list")
"""
    assert sorted(role_decisions(ast.parse(forbidden))) == [
        (2, "has_role()"),
        (3, "comparison with a Role member"),
        (4, ".is_sqa"),
        (4, "agencies_for()"),
        (5, "is_sqa_of()"),
    ]
    assert role_decisions(ast.parse(allowed)) == []
