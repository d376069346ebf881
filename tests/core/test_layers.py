"""The layers of the house (docs/development/README.md), read from the imports of every module with `ast`, imports
inside functions included: core imports no app; an app imports only the apps below it; product code imports neither
the demo nor the benchmarks."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bangfu"
# Lowest first: an app may import the apps before it in this list, never one after it.
LAYERS = ["core", "regions", "pairing", "households", "projects", "funds", "portal", "labor", "talent", "dashboards"]
OUTSIDE_PRODUCT = {"demo", "bench"}  # may import anything; nothing of the product imports them


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every `import x` and `from x import y` in the source, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def owner(path: Path) -> str:
    """The app a module belongs to, or "project" for the project-level files (settings, urls, api, cli…)."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "project"


def violations(app: str, source: str, where: str = "") -> list[str]:
    """What a module of `app` imports that its layer forbids."""
    found = []
    for line, module in imported_modules(source):
        parts = module.split(".")
        if parts[0] != "bangfu" or len(parts) < 2 or parts[1] == app:
            continue
        target = parts[1]
        if app in OUTSIDE_PRODUCT:
            continue
        if target in OUTSIDE_PRODUCT:
            found.append(f"{where}:{line}: product code imports {module}")
        elif app == "core" and target in LAYERS:
            found.append(f"{where}:{line}: core imports the app {module}")
        elif app in LAYERS and target in LAYERS and LAYERS.index(target) > LAYERS.index(app):
            found.append(f"{where}:{line}: {app} imports {module}, an app above it")
    return found


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_app_has_a_layer():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()}
    assert apps - OUTSIDE_PRODUCT == set(LAYERS)


def test_the_layers_hold():
    found = []
    for path in modules():
        found += violations(owner(path), path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("app", "source", "expected"), [
    ("core", "from bangfu.households.models import Member", "core imports the app"),
    ("core", "def f():\n    import bangfu.pairing.models\n", "core imports the app"),
    ("projects", "from bangfu.funds import figures", "an app above it"),
    ("labor", "def f():\n    from bangfu.talent.models import PersonSent\n", "an app above it"),
    ("funds", "from bangfu.demo.funds import build_funds", "product code imports"),
    ("project", "from bangfu.bench import export", "product code imports"),
])
def test_a_forbidden_import_is_caught(app, source, expected):
    found = violations(app, source)
    assert len(found) == 1 and expected in found[0]


@pytest.mark.parametrize(("app", "source"), [
    ("funds", "from bangfu.projects.models import Project"),
    ("core", "from bangfu.core.registry import registry"),
    ("demo", "from bangfu.talent.models import PersonSent"),
    ("project", "from bangfu.regions import views"),
])
def test_an_allowed_import_passes(app, source):
    assert violations(app, source) == []
