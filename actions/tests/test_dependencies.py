"""Dependencies point one way: audits and feedback → actions → ehcp → qaf. The actions app (its tests and
migrations included) imports neither audits nor feedback: it knows where an action came from only through the
generic source link and actions.sources. The product code of ehcp and qaf imports no actions module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth of its code (inside functions too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _top_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported_modules(path)}


def _python_files(app: str, *, with_tests: bool) -> list[Path]:
    files = sorted((ROOT / app).rglob("*.py"))
    if not with_tests:
        files = [path for path in files if "tests" not in path.relative_to(ROOT / app).parts]
    return files


def _offenders(app: str, forbidden: set[str], *, with_tests: bool) -> dict[str, set[str]]:
    found = {}
    for path in _python_files(app, with_tests=with_tests):
        bad = _top_packages(path) & forbidden
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_actions_imports_neither_audits_nor_feedback():
    assert _python_files("actions", with_tests=True), "no actions modules found"
    assert _offenders("actions", {"audits", "feedback", "reporting", "improvement"}, with_tests=True) == {}


@pytest.mark.parametrize("app", ["ehcp", "qaf"])
def test_ehcp_and_qaf_import_no_actions_module(app):
    assert _offenders(app, {"actions"}, with_tests=False) == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import os\n\ndef f():\n    from audits.models import Audit\n    import feedback.access\n"
    )
    assert _top_packages(module) == {"os", "audits", "feedback"}
