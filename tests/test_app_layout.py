"""The shape of an app: one URLconf (urls.py or a urls/ package) and one tasks module, no `urls_*.py`,
`views_*.py`, `forms_*.py` or `tasks_*.py` beside them, and packages whose __init__.py hands on nothing of
their modules, so every name is imported from the module that defines it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("qaf", "ehcp", "feedback", "reporting")
SPLIT = ("urls_", "views_", "forms_", "tasks_")
# Packages of modules that are imported one by one (models packages are left out: Django loads models from the
# package itself).
PACKAGES = ("feedback/views", "feedback/selectors", "feedback/forms", "feedback/services", "ehcp/imports")


@pytest.mark.parametrize("app", APPS)
def test_an_app_has_one_urlconf_and_one_tasks_module(app):
    base = ROOT / app
    split = sorted(path.name for path in base.glob("*.py") if path.name.startswith(SPLIT))
    assert split == []
    assert not ((base / "urls.py").exists() and (base / "urls").is_dir())
    assert not ((base / "tasks.py").exists() and (base / "tasks").is_dir())


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_init_imports_nothing_from_its_modules(package):
    tree = ast.parse((ROOT / package / "__init__.py").read_text())
    dotted = package.replace("/", ".")
    imports = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(dotted)
    ]
    assert imports == []
    assert [name for name in ast.walk(tree) if isinstance(name, ast.Assign)] == []
