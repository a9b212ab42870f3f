"""The import graph of ``app``: core never reaches up into a register, and no module imports
itself back through others. Read from the source (ast), lazy imports inside functions included:
a circle that only closes at run time still ties the modules together."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in APP.rglob("*.py") if "migrations" not in p.parts}


def _package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def imports(module: str) -> set[str]:
    """The app modules ``module`` imports anywhere in its code: ``from a.b import c`` names
    a.b.c when that is a module, else a.b (an import of a package's name)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(module).split(".")
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles a depth-first search meets: each as its modules, the first one repeated."""
    found, done = [], set()
    for start in sorted(graph):
        if start in done:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                done.add(path.pop())
            elif following in path:
                found.append(path[path.index(following):] + [following])
            elif following not in done:
                path.append(following)
                stack.append(iter(sorted(graph[following])))
    return found


def test_the_graph_is_read_lazy_imports_included():
    # (the test would pass on an empty graph)
    assert "app.core.registry" in GRAPH["app.core.kit"]
    assert "app.core.scope" in GRAPH["app.intake"]  # a module-level import
    assert "app.registers" in GRAPH["app"]           # inside create_app()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("app.core")))
def test_core_imports_nothing_above_it(module):
    """Not a register (not even lazily), nor the clocks, intake or demo built on core."""
    upward = sorted(name for name in GRAPH[module]
                    if not name.startswith(("app.core", "app.extensions", "app.sla")))
    assert upward == [], f"{module} imports {upward}"


def test_no_module_imports_itself_back_through_others():
    assert cycles(GRAPH) == []


def test_a_circle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycles(graph) == [["a", "b", "c", "a"]]
