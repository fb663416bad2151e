"""The layer rule, checked on the source: every import of every product module (function-level ones included) goes
down the layers, never up or sideways, and no modules import each other in a loop.

Layers, bottom to top (a module may import its own area and any lower layer):
  0 core        gdnn_monitor.core (settings, errors, Vietnamese text, dates, logs, console) and gdnn_monitor/__init__
  1 store       store (schema, migrations, the sources registry, shared queries)
  2 crawlers    crawlers      | classifier   (side by side: neither imports the other)
  3 pipeline    gdnn_monitor.pipeline (crawl under the lock, classify, health, digest)
  4 scheduler   scheduler     | web          (side by side)
  5 commands    gdnn_monitor.crawl_cli | gdnn_monitor.demo (the demo and its imitation sites)
  6 cli         gdnn_monitor.cli (assembles every command)
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("gdnn_monitor", "crawlers", "classifier", "store", "web", "scheduler.py")

# (module prefix, area, rank); the longest matching prefix wins.
LAYERS: list[tuple[str, str, int]] = [
    ("gdnn_monitor", "core", 0),  # the package's __init__ (its version) only; other modules match below
    ("gdnn_monitor.core", "core", 0),
    ("store", "store", 1),
    ("crawlers", "crawlers", 2),
    ("classifier", "classifier", 2),
    ("gdnn_monitor.pipeline", "pipeline", 3),
    ("scheduler", "scheduler", 4),
    ("web", "web", 4),
    ("gdnn_monitor.crawl_cli", "crawl_cli", 5),
    ("gdnn_monitor.demo", "demo", 5),
    ("gdnn_monitor.cli", "cli", 6),
]
# Areas that sit higher but still must not reach these lower areas directly.
FORBIDDEN = {
    ("web", "crawlers"): "the web app reads what crawls stored (store) and their health (pipeline), never the crawler",
    ("web", "classifier"): "the web app shows stored decisions; classifying is the pipeline's step",
    ("scheduler", "crawlers"): "the scheduler only schedules: crawling goes through the pipeline",
    ("scheduler", "classifier"): "the scheduler only schedules: classifying goes through the pipeline",
}


@dataclass(frozen=True)
class Edge:
    """`source` imports `target` at `path`:`line`; type_only when under `if TYPE_CHECKING:` (no runtime import)."""

    source: str
    target: str
    path: str
    line: int
    type_only: bool = False

    def where(self) -> str:
        return f"{self.path}:{self.line}: {self.source} imports {self.target}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in PRODUCT:
        path = root / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _resolve(node: ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The modules a `from … import …` names: `from a import b` is module a.b when that module exists."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        package = ".".join(base + ([node.module] if node.module else []))
    else:
        package = node.module or ""
    targets = [f"{package}.{alias.name}" for alias in node.names if f"{package}.{alias.name}" in known]
    return targets if len(targets) == len(node.names) else [package, *targets]


def import_edges(root: Path = ROOT) -> list[Edge]:
    """Every import between product modules, at any depth of the code (function bodies included)."""
    files = product_files(root)
    known = {module_name(path, root) for path in files}
    tops = {name.split(".")[0] for name in known}
    edges: list[Edge] = []
    for path in files:
        module = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        type_only = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(node, module, path.name == "__init__.py", known)
            else:
                continue
            for target in targets:
                if target.split(".")[0] in tops and target != module:
                    edges.append(
                        Edge(module, target, str(path.relative_to(root)), node.lineno, node.lineno in type_only)
                    )
    return edges


def layer_of(module: str) -> tuple[str, int] | None:
    best: tuple[str, str, int] | None = None
    for prefix, area, rank in LAYERS:
        matches = module == prefix or (module.startswith(prefix + ".") and prefix != "gdnn_monitor")
        if matches and (best is None or len(prefix) > len(best[0])):
            best = (prefix, area, rank)
    return (best[1], best[2]) if best else None


def layer_violations(edges: list[Edge]) -> list[str]:
    """Edges that go up a layer, sideways into another area of the same layer, or into a forbidden area."""
    problems = []
    for edge in edges:
        source, target = layer_of(edge.source), layer_of(edge.target)
        if source is None or target is None:
            missing = edge.source if source is None else edge.target
            problems.append(f"{edge.where()} — {missing} belongs to no layer (add it to LAYERS)")
        elif source[0] == target[0]:
            continue
        elif (source[0], target[0]) in FORBIDDEN:
            problems.append(f"{edge.where()} — {FORBIDDEN[source[0], target[0]]}")
        elif target[1] >= source[1]:
            direction = "up" if target[1] > source[1] else "sideways"
            problems.append(
                f"{edge.where()} — {source[0]} (layer {source[1]}) may not import {direction} into "
                f"{target[0]} (layer {target[1]})"
            )
    return problems


def import_cycles(edges: list[Edge]) -> list[str]:
    """Groups of modules that import each other in a loop (runtime imports only), each with the edges involved."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if not edge.type_only:
            graph.setdefault(edge.source, set()).add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [
        f"import cycle between {', '.join(sorted(component))}:\n  "
        + "\n  ".join(
            edge.where()
            for edge in edges
            if edge.source in component and edge.target in component and not edge.type_only
        )
        for component in components
    ]


def test_every_import_goes_down_the_layers():
    problems = layer_violations(import_edges())
    assert not problems, "imports that break the layers:\n" + "\n".join(problems)


def test_no_modules_import_each_other_in_a_loop():
    cycles = import_cycles(import_edges())
    assert not cycles, "\n".join(cycles)


def test_the_checker_sees_function_level_imports():
    edges = import_edges()
    assert any(
        edge.source == "gdnn_monitor.pipeline.crawl" and edge.target.startswith("crawlers.engine") for edge in edges
    ), "the pipeline imports the crawl engine inside its functions"


# The back-edges issue 15 found on the old tree, as they would look in the new layout: each must be refused.
BACK_EDGES = [
    ("crawlers.engine.distributed", "scheduler"),  # distributed.py imported scheduler.run_crawl_locked
    ("store.manual", "crawlers.engine.settings"),  # store imported crawlers.registry
    ("store.reports", "crawlers.check"),
    ("web.routes.dashboard", "crawlers.engine.run"),  # web imported crawlers (health, registry)
    ("crawlers.engine.run", "classifier"),  # the crawl classified what it stored
    ("crawlers.engine.run", "classifier.apply"),
    ("classifier.apply", "crawlers.identity.urls"),
    ("crawlers.engine.run", "gdnn_monitor.pipeline.crawl"),
    ("gdnn_monitor.core.settings", "crawlers.engine.distributed"),  # core imports nothing above it
    ("gdnn_monitor.core.logs", "store.db"),
    ("gdnn_monitor.core.errors", "gdnn_monitor.cli"),
    ("store.db", "gdnn_monitor.pipeline.health"),
    ("gdnn_monitor.pipeline.daily", "scheduler"),
    ("scheduler", "crawlers.engine.run"),
    ("scheduler", "web.app"),
    ("web.app", "gdnn_monitor.demo.farm.sites"),
]


@pytest.mark.parametrize("source, target", BACK_EDGES)
def test_each_back_edge_of_the_old_tree_is_refused_naming_file_and_line(source, target):
    edge = Edge(source, target, f"{source.replace('.', '/')}.py", 7)
    [problem] = layer_violations([edge])
    assert problem.startswith(f"{edge.path}:7: {source} imports {target}")


def test_the_old_six_module_import_cycle_is_found():
    loop = [
        "crawlers.child",
        "crawlers.settings",
        "crawlers.distributed",
        "scheduler",
        "crawlers.run",
        "crawlers.child",
    ]
    edges = [
        Edge(a, b, f"{a.replace('.', '/')}.py", number) for number, (a, b) in enumerate(itertools.pairwise(loop), 1)
    ]
    [cycle] = import_cycles(edges + [Edge("store.db", "gdnn_monitor.core.settings", "store/db.py", 1)])
    assert cycle.startswith(
        "import cycle between crawlers.child, crawlers.distributed, crawlers.run, crawlers.settings, scheduler"
    )
    assert "crawlers/distributed.py:3: crawlers.distributed imports scheduler" in cycle


def test_allowed_edges_pass():
    edges = [
        Edge("web.routes.dashboard", "gdnn_monitor.pipeline.health", "web/routes/dashboard.py", 1),
        Edge("gdnn_monitor.pipeline.crawl", "classifier", "gdnn_monitor/pipeline/crawl.py", 1),
        Edge("crawlers.engine.child", "store.registry", "crawlers/engine/child.py", 1),
        Edge("gdnn_monitor.cli", "scheduler", "gdnn_monitor/cli.py", 1),
    ]
    assert layer_violations(edges) == []
