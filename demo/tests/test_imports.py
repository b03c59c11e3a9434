"""The product apps hold no demo code and import nothing from `demo`; `demo` may import any of them.

Every module of every product app (the project's own installed apps other than `demo`, their tests and
migrations included) is parsed, not imported, so an import inside a function or behind `TYPE_CHECKING` counts
too, and so does `importlib.import_module("demo...")`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()


def _product_apps() -> dict[str, Path]:
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and config.name != "demo":
            found[config.name] = path
    return found


def _is_demo(module: str) -> bool:
    return module == "demo" or module.startswith("demo.")


def demo_imports(source: str) -> list[int]:
    """The line numbers of `source` that import the `demo` app or one of its modules."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            lines += [node.lineno for alias in node.names if _is_demo(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and _is_demo(node.module):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _is_demo(first.value)
            ):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "source",
    [
        "import demo",
        "import demo.partnership as p",
        "from demo import voice",
        "from demo.partnership import DEMO_PARTNERSHIP_NAME",
        "def f():\n    from demo.tools import TOOLS",
        "if TYPE_CHECKING:\n    from demo.voice import VoiceDemo",
        "import importlib\nimportlib.import_module('demo.children')",
        "__import__('demo')",
    ],
)
def test_an_import_of_demo_is_found(source):
    assert demo_imports(source) == [source.count("\n") + 1]


@pytest.mark.parametrize(
    "source",
    [
        "import demolition",
        "from demographics import figures",
        "from . import demo",
        "from feedback.models import Demo",
        "call_command('seed_demo')",
        "importlib.import_module('audits.tasks')",
    ],
)
def test_other_imports_are_not_taken_for_demo(source):
    assert demo_imports(source) == []


def test_the_product_apps_are_found():
    assert {"qaf", "ehcp", "audits", "feedback", "reporting"} <= set(_product_apps())
    assert "demo" not in _product_apps()


def test_no_product_app_imports_demo():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for app_path in _product_apps().values()
        for path in sorted(app_path.rglob("*.py"))
        for line in demo_imports(path.read_text())
    ]
    assert found == []


def test_no_product_app_holds_a_demo_module_or_the_seed_command():
    found = [
        str(path.relative_to(ROOT))
        for app_path in _product_apps().values()
        for path in sorted(app_path.rglob("*.py"))
        if path.stem.startswith("demo") or path.stem == "seed_demo"
    ]
    assert found == []
