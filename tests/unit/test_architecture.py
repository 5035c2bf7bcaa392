"""The house's rules, read from the code's own imports (docs/architecture.md).

Layers, lowest first: core <- models <- domain <- views <- app. An import may only
point down (or stay in its layer); models import no domain module; the outcomes
below charts and reports import neither; and importing one domain module alone
loads no view and no scipy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"
LAYERS = ["core", "models", "domain", "views", "app"]
VIEW_FILES = {"views.py", "forms.py", "decorators.py", "presenters.py", "serializers.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """Where a module of the portal stands, by its place and its file name.

    A module that imports nothing of the portal (the clinic's vocabulary, such as
    assessments.measures: names, units, ranges) stands with the models, which may
    build their constraints from it.
    """
    parts = module.split(".")
    if module in ("portal", "portal.app", "portal.models") or parts[1:2] == ["ops"]:
        return "app"
    if parts[1:2] == ["core"]:
        return "core"
    leaf = parts[-1]
    if leaf == "models":
        return "models"
    if f"{leaf}.py" in VIEW_FILES or leaf.endswith("_views") or leaf == "cli":
        return "views"
    return "models" if not GRAPH.get(module) else "domain"


def portal_imports(path: Path) -> set[str]:
    """Modules of the portal this file imports (at run time or for type checking)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists()
                found.add(candidate if is_module else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("portal"))
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): portal_imports(p) for p in PORTAL.rglob("*.py")}


GRAPH = import_graph()


def test_every_module_of_the_portal_is_read():
    assert len(GRAPH) > 100
    assert {layer_of(m) for m in GRAPH} == set(LAYERS)


def test_no_import_runs_from_a_lower_layer_back_up():
    upward = [
        f"{source} ({layer_of(source)}) imports {target} ({layer_of(target)})"
        for source, targets in GRAPH.items()
        for target in targets
        if target in GRAPH and LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(source))
    ]
    assert upward == []


def test_models_import_only_the_core_and_other_models():
    wrong = [
        f"{source} imports {target}"
        for source, targets in GRAPH.items()
        if layer_of(source) == "models"
        for target in targets
        if target in GRAPH and layer_of(target) not in ("core", "models")
    ]
    assert wrong == []


def test_the_models_stand_in_one_order_with_no_cycle():
    models = {m: {t for t in GRAPH[m] if layer_of(t) == "models"} for m in GRAPH}
    models = {m: deps for m, deps in models.items() if layer_of(m) == "models"}
    placed: list[str] = []
    while models:
        ready = sorted(m for m, deps in models.items() if deps <= set(placed))
        assert ready, f"models that import each other: {sorted(models)}"
        placed.extend(ready)
        for m in ready:
            del models[m]
    assert placed.index("portal.clinic.models") < placed.index("portal.patients.models")


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("portal.outcomes", ("portal.charts", "portal.reports")),
        ("portal.charts", ("portal.reports",)),
        ("portal.reports", ("portal.charts",)),
    ],
)
def test_outcomes_sit_below_charts_and_reports_whose_domains_stay_apart(package, forbidden):
    crossing = [
        f"{source} imports {target}"
        for source, targets in GRAPH.items()
        if source.startswith(package) and layer_of(source) == "domain"
        for target in targets
        if target.startswith(forbidden)
    ]
    assert crossing == []


def test_importing_the_placement_rule_alone_loads_no_view_and_no_scipy():
    probe = (
        "import sys, portal.infusions.placement\n"
        "loaded = sorted(sys.modules)\n"
        "print([m for m in loaded if m.startswith('portal') and m.rsplit('.', 1)[-1] in "
        "('views', 'forms', 'app', 'clinic_views', 'two_factor_views')])\n"
        "print('scipy' in sys.modules)\n"
    )
    result = subprocess.run(  # a fresh interpreter: this one has loaded the whole app
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "False"]
