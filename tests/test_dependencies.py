"""Every package the project's code imports is installed by ``pip install .``: declared in
``pyproject.toml``'s dependencies or required by one of them. A module that only the test
extras bring (numpy came with ``datasketch``) made a plain install fail at start-up while
``make`` installs, which add the extras, hid it."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "pipelines", "tintuc")


def name_of(requirement: Requirement) -> str:
    return re.sub(r"[-_.]+", "-", requirement.name).lower()


def installed_by_pip_install() -> set[str]:
    """The distributions ``pip install .`` brings: the declared ones and, transitively, what
    they require (their own extras left out)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    todo, seen = [name_of(Requirement(r)) for r in declared], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)  # this Python, no extra
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(name_of(requirement))
    return seen


def imported_top_level_modules() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(PACKAGES)


def test_every_imported_package_comes_with_pip_install():
    distributions = metadata.packages_distributions()
    installed = installed_by_pip_install()
    missing = {}
    for module in imported_top_level_modules():
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [])}
        if not names & installed:
            missing[module] = sorted(names) or "not installed at all"
    assert not missing, f"imported but not installed by `pip install .`: {missing}"
