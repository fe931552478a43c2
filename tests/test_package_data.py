"""Every data file the code reads ships in an installed package: each non-Python file under the
packages is matched by a ``[tool.setuptools.package-data]`` pattern of its nearest package."""
from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "adapters", "bot", "scheduler")


def package_of(path: Path) -> Path:
    folder = path.parent
    while not (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def test_every_data_file_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    unshipped = []
    for top in PACKAGES:
        for path in (ROOT / top).rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            package = package_of(path)
            name = ".".join(package.relative_to(ROOT).parts)
            relative = path.relative_to(package).as_posix()
            if not any(fnmatch(relative, pattern) for pattern in patterns.get(name, [])):
                unshipped.append(f"{name}: {relative}")
    assert unshipped == []
