"""The package's layout keeps its shape: imports run one way (entry -> app -> stages -> core),
no cycles, no private name used across modules, no module grows past about 400 lines.

The checks read the source with `ast`, so they see every import, inside functions too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "briefsite"

LAYERS = {
    "core": 0,  # errors and the report, the model and its domain helpers, references, the project's folders
    "incremental": 1,  # what a build keeps for the next
    "maps": 1,  # the basemap, frames and projections, labels, the SVG of a map (no records of the library)
    "read": 2,  # YAML with positions, the library, messages, rules
    "render": 3,  # the library index, pages, markup, views, feed, graphs, print HTML
    "output": 4,  # the writer, the site engine, PDFs, hosting
    "authoring": 5,  # schemas, skeletons, sources from links
    "app": 6,  # the pipeline
    "cli": 7,
    "preview": 7,  # the helpers of serve and view
    "interim": 7,  # the last build served while `serve` starts
    "console": 6,  # what is printed for people: problems in groups, the stages of a build
    "mkdocs_hooks": 7,
}
"""Each part of the package and its layer: a module may import only from its own layer or lower ones."""

MAX_LINES = 400


@dataclass(frozen=True)
class Arrow:
    source: str
    """The importing module, e.g. 'briefsite.render.pages'."""
    target: str
    """The module it imports from."""
    names: tuple[str, ...]
    """The names it takes (from ... import a, b), if any."""
    line: int


def module_name(root: Path, file: Path) -> str:
    rel = file.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def arrows(root: Path) -> Iterator[Arrow]:
    """Every import of the package by one of its modules."""
    for file in sorted(root.rglob("*.py")):
        source = module_name(root, file)
        package = source if file.name == "__init__.py" else source.rpartition(".")[0]
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == root.name:
                        yield Arrow(source, alias.name, (), node.lineno)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                if base.split(".")[0] != root.name:
                    continue
                names = tuple(alias.name for alias in node.names)
                submodules = [f"{base}.{n}" for n in names if (root.parent / f"{base}.{n}".replace(".", "/")).exists()
                              or (root.parent / (f"{base}.{n}".replace(".", "/") + ".py")).exists()]
                for sub in submodules:  # from . import graphs: an arrow to the module graphs
                    yield Arrow(source, sub, (), node.lineno)
                rest = tuple(n for n in names if f"{base}.{n}" not in submodules)
                if rest:
                    yield Arrow(source, base, rest, node.lineno)


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def wrong_way(root: Path) -> list[str]:
    """Arrows from a lower layer to a higher one, and modules in no layer."""
    found = []
    for arrow in arrows(root):
        source, target = layer_of(arrow.source), layer_of(arrow.target)
        if source is None or (target is None and arrow.target != root.name):
            found.append(f"{arrow.source}: not in a layer (see LAYERS)")
        elif target is not None and target > source:
            found.append(f"{arrow.source}:{arrow.line} imports {arrow.target}, a higher layer")
    return found


def cycles(root: Path) -> list[list[str]]:
    """Modules that import each other, directly or around a loop."""
    graph: dict[str, set[str]] = {}
    for arrow in arrows(root):
        if arrow.target != arrow.source:
            graph.setdefault(arrow.source, set()).add(arrow.target)
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                found.append(path[path.index(target):] + [target] if target in path else [module, target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def private_names_across_modules(root: Path) -> list[str]:
    """`from .x import _name`, or `x._name` of an imported module of ours."""
    found = [f"{a.source}:{a.line} imports {name} from {a.target}" for a in arrows(root)
             for name in a.names if name.startswith("_") and not name.startswith("__")]
    for file in sorted(root.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        ours = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for a in node.names if node.level or (node.module or "").startswith(root.name)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ours
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{module_name(root, file)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def long_modules(root: Path) -> list[str]:
    return [f"{file.relative_to(root.parent)}: {n} lines" for file in sorted(root.rglob("*.py"))
            if (n := len(file.read_text(encoding="utf-8").splitlines())) > MAX_LINES]


def test_imports_run_one_way() -> None:
    assert wrong_way(PACKAGE) == []


def test_no_module_imports_itself_round_a_loop() -> None:
    assert cycles(PACKAGE) == []


def test_no_private_name_is_used_across_modules() -> None:
    assert private_names_across_modules(PACKAGE) == []


def test_no_module_is_longer_than_about_400_lines() -> None:
    assert long_modules(PACKAGE) == []


# --- The checks can fail -------------------------------------------------------------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "briefsite"
    for rel, text in {"__init__.py": "", "core/__init__.py": "", "render/__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("wrong", [
    "from ..render import pages\n",
    "from ..render.pages import render_pages\n",
    "import briefsite.render.pages\n",
    "def late() -> None:\n    from briefsite.render import pages\n",
])
def test_a_wrong_way_import_is_found(tmp_path: Path, wrong: str) -> None:
    root = _package(tmp_path, {"core/model.py": wrong, "render/pages.py": "from ..core import model\n"})
    assert [f.split(":")[0] for f in wrong_way(root)] == ["briefsite.core.model"]


def test_a_cycle_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {"render/a.py": "from . import b\n", "render/b.py": "from .c import x\n",
                               "render/c.py": "from .a import y\nx = 1\n"})
    assert cycles(root) == [["briefsite.render.a", "briefsite.render.b", "briefsite.render.c", "briefsite.render.a"]]


def test_a_private_name_across_modules_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {"core/model.py": "_hidden = 1\n",
                               "render/a.py": "from ..core.model import _hidden\n",
                               "render/b.py": "from ..core import model as m\nx = m._hidden\n"})
    assert len(private_names_across_modules(root)) == 2


def test_a_long_module_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {"core/long.py": "x = 1\n" * (MAX_LINES + 1)})
    assert long_modules(root) == [f"briefsite/core/long.py: {MAX_LINES + 1} lines"]
