"""The house stands in layers: each app imports only the apps below it, and no module imports
itself back through others. The order is INSTALLED_APPS' (crm/settings.py), as
docs/architecture.md draws it."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# From the ground up: the platform package, then the project's apps in INSTALLED_APPS' order.
LAYERS = ["infra", *(app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists())]


def modules() -> dict[str, Path]:
    """Every module of the project's apps, by dotted name; tests and migrations aside."""
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # "from crm import timeline" names a module; "from crm.models import User" does not.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) - {name} for name, path in known.items()}


def upward(edges: dict[str, set[str]]) -> list[str]:
    """The imports that run from an app to one above it."""
    layer = {app: number for number, app in enumerate(LAYERS)}
    return sorted(
        f"{module} imports {target}"
        for module, targets in edges.items()
        for target in targets
        if layer[target.split(".")[0]] > layer[module.split(".")[0]]
    )


def test_every_app_imports_only_the_apps_below_it():
    assert upward(graph()) == []


def test_no_module_imports_itself_back():
    edges = graph()
    circles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])

    assert circles == []


def test_every_app_of_the_project_is_installed_and_so_checked():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}

    assert set(LAYERS[1:]) == apps
    assert not (ROOT / "infra" / "apps.py").exists()  # a plain package: no models, no templates


def test_the_check_sees_an_import_that_runs_up(tmp_path):
    """A check of the check: a core module that imported a deal would be caught."""
    probe = tmp_path / "probe.py"
    probe.write_text("from opportunities.models import Opportunity\n")
    known = {**modules(), "crm.probe": probe}

    edges = {"crm.probe": imports_of(probe, known)}

    assert upward(edges) == ["crm.probe imports opportunities.models"]
