"""ruff finds nothing (complexity at most 10, docstrings and annotations on services, selectors and access
policies: pyproject.toml says which), and no product module gains an unannotated argument or return.

The ratchet: `tests/untyped_baseline.py` holds, per product module outside the strict ones, how many
unannotated arguments and returns it has. A module may only go down. When counts fall, write the baseline
again with `.venv/bin/python -m tests.test_lint --update`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).with_name("ruff")
BASELINE = ROOT / "tests" / "untyped_baseline.py"
UNTYPED_RULES = "ANN001,ANN002,ANN003,ANN201,ANN202,ANN204,ANN205,ANN206"
NOT_PRODUCT = "*/tests/*,tests/*,conftest.py,*/migrations/*,node_modules,build,.venv,var,manage.py"


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def untyped_counts(root: Path = ROOT) -> dict[str, int]:
    """Unannotated arguments and returns per product file (path relative to `root`)."""
    result = subprocess.run(
        [
            str(RUFF),
            "check",
            "--isolated",
            "--select",
            UNTYPED_RULES,
            "--extend-exclude",
            NOT_PRODUCT,
            "--output-format",
            "json",
            "--exit-zero",
            ".",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = json.loads(result.stdout)
    return dict(sorted(Counter(str(Path(f["filename"]).relative_to(root)) for f in findings).items()))


def grown(counts: dict[str, int], baseline: dict[str, int]) -> list[str]:
    """The files whose count is above the baseline's (a file not in it has a baseline of 0)."""
    return [
        f"{path}: {count} unannotated (baseline {baseline.get(path, 0)})"
        for path, count in counts.items()
        if count > baseline.get(path, 0)
    ]


def _baseline() -> dict[str, int]:
    namespace: dict[str, dict[str, int]] = {}
    exec(BASELINE.read_text(), namespace)
    return namespace["UNTYPED"]


def test_ruff_finds_nothing():
    result = _ruff("check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_gains_an_untyped_function():
    problems = grown(untyped_counts(), _baseline())
    assert problems == [], (
        "Annotate new code; these modules have more unannotated arguments or returns:\n" + "\n".join(problems)
    )


def test_the_ratchet_catches_a_new_untyped_function(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(
        "def typed(a: int) -> int:\n    return a\n\n\ndef loose(a, b):\n    return a\n"
    )
    counts = untyped_counts(tmp_path)
    assert counts == {"app/views.py": 3}  # a, b and the return
    assert grown(counts, {"app/views.py": 3}) == []
    assert grown(counts, {"app/views.py": 2}) == ["app/views.py: 3 unannotated (baseline 2)"]
    assert grown(counts, {}) == ["app/views.py: 3 unannotated (baseline 0)"]


def test_the_lint_check_fails_on_a_complex_function(tmp_path):
    branches = "".join(f"    if a == {n}:\n        return {n}\n" for n in range(11))
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "tangle.py").write_text(
        f'"""A module."""\n\n\ndef tangle(a: int) -> int:\n{branches}    return a\n'
    )
    result = subprocess.run(
        [str(RUFF), "check", "--output-format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "C901" in result.stdout, result.stdout


def _write_baseline() -> None:
    lines = "".join(f"    {path!r}: {count},\n" for path, count in untyped_counts().items())
    BASELINE.write_text(
        '"""Unannotated arguments and returns per product module: tests/test_lint.py lets each only fall.\n'
        'Written by `.venv/bin/python -m tests.test_lint --update`."""\n\n'
        f"UNTYPED = {{\n{lines}}}\n"
    )


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    _write_baseline()
