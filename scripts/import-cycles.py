#!/usr/bin/env python3
"""Print the import cycles between the modules of ``layanan/`` and exit 1 when there is one.

The graph has an edge A -> B for every ``import`` in A that names B, wherever the import sits:
at the top of the module, inside a function (the usual way to dodge a cycle — it still is one),
or under ``if TYPE_CHECKING:``. ``from pkg import name`` is an edge to ``pkg.name`` when that is
a module, else to ``pkg``. Migrations and tests are left out.

Each strongly connected component of the graph is a knot of modules that depend on each other;
for each one the script prints one shortest cycle through it with the line of every import, so
the fix is to move the code that closes it. Run it as ``python scripts/import-cycles.py``
(``make lint`` does).
"""

from __future__ import annotations

import ast
import itertools
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "layanan"

#: Cycles known and being untied elsewhere: listed, not failed. Each is the exact set of modules
#: of the knot, so the knot growing (or a new one) still fails. Remove an entry once it is gone.
KNOWN: dict[frozenset[str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover() -> dict[str, Path]:
    modules = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        modules[module_name(path)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The modules of ``layanan`` that ``name`` imports, with the line of the first import."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        # The longest prefix of ``target`` that is one of our modules.
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: -(node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            if source.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                add(candidate if candidate in modules else source, node.lineno)
    return found


def components(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return sorted(result)


def shortest_cycle(graph: dict[str, dict[str, int]], component: list[str]) -> list[str]:
    """One shortest cycle inside ``component``: a breadth-first search back to each member."""
    members = set(component)
    best: list[str] = []
    for start in component:
        parent: dict[str, str] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if start in graph[node] and (not best or len(parent_path(parent, node)) < len(best)):
                best = [*parent_path(parent, node), start]
                break
            for child in graph[node]:
                if child in members and child not in parent and child != start:
                    parent[child] = node
                    queue.append(child)
    return best


def parent_path(parent: dict[str, str], node: str) -> list[str]:
    path = [node]
    while path[-1] in parent:
        path.append(parent[path[-1]])
    return path[::-1]


def main() -> int:
    modules = discover()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    knots = components(graph)
    failing = 0
    for component in knots:
        cycle = shortest_cycle(graph, component)
        known = KNOWN.get(frozenset(component))
        label = f"known cycle ({known})" if known else "cycle"
        failing += known is None
        print(f"{label} among {len(component)} modules: {', '.join(component)}")
        for source, target in itertools.pairwise(cycle):
            line = graph[source][target]
            print(f"  {modules[source].relative_to(ROOT)}:{line}  imports {target}")
    for gone in set(KNOWN) - {frozenset(component) for component in knots}:
        print(f"note: the known cycle {', '.join(sorted(gone))} is gone: remove it from KNOWN")
    if failing:
        print(f"{failing} import cycle(s) in {PACKAGE}/")
        return 1
    print(f"no new import cycle in {PACKAGE}/ ({len(modules)} modules, {len(knots)} known)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
