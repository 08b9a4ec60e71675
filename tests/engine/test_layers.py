"""The flow goes one way: no package of game/ imports one above it, and no modules import each other.

Built from the source with ast (no import is run), so an import inside a
function or under TYPE_CHECKING counts as much as one at the top: each is a
dependency of the code that holds it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

GAME = ROOT / "game"

# From the bottom up (the order; names.py, which came later, sits with paths);
# a package may import only those before it (and itself).
# plain, tui and web are views side by side: none imports another.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("paths", "names"),  # leaf helpers: atomic writes, did-you-mean
    ("expr",),
    ("story",),
    ("loader",),
    ("state",),
    ("session",),
    ("saves",),
    ("play",),
    ("authoring",),
    ("plain", "tui", "web"),
    ("cli",),
)
RANK = {package: rank for rank, group in enumerate(LAYERS) for package in group}



def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every game.* module ``path`` imports (``from game.x import y`` counts as game.x and game.x.y)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "game" or m.startswith("game.")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in GAME.rglob("*.py") if "_data" not in p.parts}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        # "from game.x import y" names a module game.x.y only if there is one.
        edges[name] = {m for m in imports_of(path) if m in modules and m != name}
    return edges


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else None


def test_every_package_of_game_has_a_layer() -> None:
    packages = {package_of(m) for m in graph()} - {None}
    assert packages <= set(RANK), f"put {sorted(packages - set(RANK))} in LAYERS"


def against_the_flow(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports of a package by one at its own level or below it."""
    violations = set()
    for module, targets in edges.items():
        low = package_of(module)
        for target in targets:
            high = package_of(target)
            if low is None or high is None or low == high:
                continue
            if RANK[high] >= RANK[low]:
                violations.add((module, target))
    return violations


def test_no_package_imports_one_above_it() -> None:
    new = sorted(against_the_flow(graph()))
    assert not new, "imports against the flow:\n" + "\n".join(f"  {a} -> {b}" for a, b in new)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_no_modules_import_each_other() -> None:
    edges = graph()
    # A package's __init__ re-exports its modules, which import their siblings
    # through it ("from game.expr import ..."): that is one package, not a circle.
    for module in edges:
        if GAME.joinpath(*module.split(".")[1:], "__init__.py").exists():
            edges[module] = {t for t in edges[module] if not t.startswith(module + ".")}
    found = cycles(edges)
    assert not found, "import circles:\n" + "\n".join("  " + " <-> ".join(c) for c in found)


def test_the_checker_sees_a_violation_and_a_circle() -> None:
    # The checks above could pass by seeing nothing: show they see both kinds.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    wrong = {"game.session.session": {"game.saves.codec", "game.state"}, "game.plain.mode": {"game.tui.app"}}
    assert against_the_flow(wrong) == {
        ("game.session.session", "game.saves.codec"),
        ("game.plain.mode", "game.tui.app"),
    }
    edges = graph()
    assert "game.story.model" in edges["game.session.session"]
    assert "game.saves.codec" in edges["game.saves"]
