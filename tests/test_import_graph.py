"""The import graph of the product code (every app's modules but their tests; demo/ is the demo data, not the
product). Dependencies point one way, `reporting → audits, feedback → actions → ehcp → qaf`: no app imports one
to its left, qaf imports no app, and no product module imports `demo`. And no services module and tasks module
import each other when loaded: tasks import services at the top; services queue tasks through a lazy import
inside a function (on commit), so loading either never needs the other half-loaded."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app's place in the order: an app may import only apps further along (a larger number).
ORDER = {"reporting": 0, "audits": 1, "feedback": 1, "actions": 2, "ehcp": 3, "qaf": 4}
APPS = (*ORDER, "demo")


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else Path(path.name)
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files() -> dict[str, Path]:
    """Every product module by its dotted name (tests left out)."""
    files = {}
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.relative_to(ROOT).parts:
                files[_module_name(path)] = path
    return files


def _absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _imports(node: ast.AST, importer: str, is_package: bool) -> Iterator[str]:
    """The modules one import statement names (for `from a import b`, both `a` and `a.b`)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        module = _absolute(node.module, node.level, importer, is_package)
        yield module
        yield from (f"{module}.{alias.name}" for alias in node.names)


def _top_level_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """The statements run when the module is loaded: not function bodies, nor `if TYPE_CHECKING:` blocks."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def imported(path: Path, *, loading_only: bool) -> set[str]:
    """The modules a file imports: anywhere in it, or (loading_only) only those run when it is loaded."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = _top_level_nodes(tree) if loading_only else ast.walk(tree)
    importer = _module_name(path)
    is_package = path.name == "__init__.py"
    return {name for node in nodes for name in _imports(node, importer, is_package) if name}


def _app(module: str) -> str:
    return module.split(".")[0]


def layering_offenders() -> dict[str, list[str]]:
    found = {}
    for name, path in product_files().items():
        app = _app(name)
        bad = sorted(
            target
            for target in imported(path, loading_only=False)
            if _app(target) in APPS
            and _app(target) != app
            and (_app(target) == "demo" or ORDER[_app(target)] <= ORDER[app])
        )
        if bad:
            found[name] = bad
    return found


def test_every_app_imports_only_apps_to_its_right_and_none_imports_demo():
    assert len(product_files()) > 100
    assert layering_offenders() == {}


def loading_graph() -> dict[str, set[str]]:
    """module → the product modules loading it loads (a dotted import loads each package on its way)."""
    files = product_files()
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for target in imported(path, loading_only=True):
            parts = target.split(".")
            targets.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        graph[name] = {target for target in targets if target in files and target != name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        for target in graph.get(pending.pop(), ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _is_services(module: str) -> bool:
    return "services" in module.split(".")


def _is_tasks(module: str) -> bool:
    return "tasks" in module.split(".")


def services_tasks_cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Each (services module, tasks module) pair that loading either loads the other."""
    cycles = []
    for services in filter(_is_services, graph):
        reached = _reachable(graph, services)
        for tasks in filter(_is_tasks, reached):
            if services in _reachable(graph, tasks):
                cycles.append((services, tasks))
    return sorted(cycles)


def test_no_services_module_and_tasks_module_load_each_other():
    graph = loading_graph()
    assert "actions.services.actions" in _reachable(graph, "actions.tasks")
    assert services_tasks_cycles(graph) == []


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "loading", "everywhere"),
    [
        ("import os\nfrom feedback import tasks\n", {"os", "feedback", "feedback.tasks"}, None),
        (
            "def f():\n    from audits.models import Audit\n",
            set(),
            {"audits.models", "audits.models.Audit"},
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ehcp.models import Child\n",
            {"typing", "typing.TYPE_CHECKING"},
            {"typing", "typing.TYPE_CHECKING", "ehcp.models", "ehcp.models.Child"},
        ),
    ],
)
def test_the_check_tells_loading_imports_from_lazy_ones(tmp_path, text, loading, everywhere):
    path = _write(tmp_path, "sample.py", text)
    assert imported(path, loading_only=True) == loading
    assert imported(path, loading_only=False) == (everywhere if everywhere is not None else loading)


def test_the_check_finds_a_services_tasks_cycle():
    graph = {
        "shop.services.orders": {"shop.tasks"},
        "shop.tasks": {"shop.services.orders"},
        "shop.services.lazy": set(),
    }
    assert services_tasks_cycles(graph) == [("shop.services.orders", "shop.tasks")]
