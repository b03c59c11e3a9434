"""No function or method of the product code (demo data included; tests and migrations left out) is longer
than 60 lines, counted from its `def` line to its last line, decorators not counted: a longer one is split
into helpers named after what they do."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("qaf", "ehcp", "actions", "audits", "feedback", "reporting", "demo")
MAX_LINES = 60


def _product_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def long_functions(path: Path, *, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """(qualified name, length) of each function in `path` longer than `limit` lines."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                length = child.end_lineno - child.lineno + 1
                if length > limit:
                    found.append((name, length))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def test_no_product_function_is_longer_than_60_lines():
    files = _product_files()
    assert len(files) > 100
    offenders = [
        f"{path.relative_to(ROOT)}:{name} ({length} lines)"
        for path in files
        for name, length in long_functions(path)
    ]
    assert not offenders, f"Functions over {MAX_LINES} lines; split them:\n" + "\n".join(offenders)


def test_the_count_leaves_out_decorators_and_sees_methods(tmp_path):
    def body(lines: int, indent: str) -> str:
        return "".join(f"{indent}x{i} = {i}\n" for i in range(lines))

    module = tmp_path / "sample.py"
    module.write_text(
        "@decorator\n@other\ndef short():\n"
        + body(59, "    ")
        + "\n\nclass A:\n    def long(self):\n"
        + body(60, "        ")
    )
    assert long_functions(module) == [("A.long", 61)]
