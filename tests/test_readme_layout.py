"""The README's "Project layout" section matches the tree: every path it names exists, and every top-level
folder and file of the project, and every module and package of the apps it describes file by file, is named.

The layout blocks are read as a column of names followed by a description: an entry line (indented at most
four spaces) starts with names (a folder ends with "/", a file has a dot, or is a Makefile or Dockerfile), and
the first word that is not a name starts the description; deeper-indented lines continue a description. An
entry indented under a folder names something inside that folder."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Django's own boilerplate and what every app has, which the layout does not list for each app.
UNLISTED_IN_APPS = {"__init__.py", "admin.py", "apps.py", "migrations", "templates", "static", "tests"}
UNLISTED_AT_TOP = {"README.md", "conftest.py"}
NAME = re.compile(r"(?:[\w-]+/)+|[\w-]*\.[\w.-]+|Makefile|Dockerfile")


def _layout_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Project layout", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)```", section, flags=re.S)


def _entries(block: str) -> list[tuple[Path, str]]:
    """(the folder an entry is in, one name of the entry) for every name in a layout block."""
    entries: list[tuple[Path, str]] = []
    parents: dict[int, Path] = {-1: Path()}
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent > 4:
            continue
        names = []
        for word in line.split():
            if not NAME.fullmatch(word):
                break
            names.append(word)
        parent = parents[max(level for level in parents if level < indent)]
        parents = {level: path for level, path in parents.items() if level < indent}
        for name in names:
            entries.append((parent, name.rstrip(":")))
            if name.endswith("/"):
                parents[indent] = parent / name.rstrip("/")
    return entries


def _tracked_top_level() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {path.split("/")[0] for path in listed.splitlines()}


def test_every_path_the_layout_names_exists():
    missing = [
        str(parent / name)
        for block in _layout_blocks()
        for parent, name in _entries(block)
        if not (ROOT / parent / name.rstrip("/")).exists()
    ]
    assert missing == []


def test_the_layout_names_every_top_level_entry():
    named = {str(parent / name.rstrip("/")) for parent, name in _entries(_layout_blocks()[0])}
    tracked = _tracked_top_level() if (ROOT / ".git").exists() else {p.name for p in ROOT.iterdir()}
    unnamed = sorted(
        entry for entry in tracked if not entry.startswith(".") and entry not in UNLISTED_AT_TOP | named
    )
    assert unnamed == []


def test_the_apps_described_file_by_file_name_all_their_modules():
    entries = _entries(_layout_blocks()[1])
    apps = {name.rstrip("/") for parent, name in entries if parent == Path()}
    assert apps, "the second layout block describes no app"
    for app in sorted(apps):
        named = {
            name.split("/")[0] for parent, name in entries if parent.parts[:1] == (app,) and len(parent.parts) == 1
        }
        present = {
            path.name
            for path in (ROOT / app).iterdir()
            if path.name not in UNLISTED_IN_APPS and not path.name.startswith((".", "__pycache__"))
        }
        assert sorted(present - named) == [], app
