"""The import contract and the size limits (issue 13), read from the source with ``ast``.

Layers, top to bottom: ``graph`` > ``subscriptions`` > ``resolvers`` > ``models``. A module
imports its own layer or lower ones; settings/config modules (``graph/settings.py``) are
a bottom layer anyone may read. Every import counts: ``if TYPE_CHECKING:`` blocks and
imports inside functions too (a function-local import that hides a cycle is still a
cycle). No import cycles between modules; no module over 400 lines and no function over
60 lines, demo data (``graph/seed/``) aside; migrations are outside these packages.

The same rules as the lead's ``layers.py`` tool, carried here because CI has only the
repository. import-linter was considered: its layers contract cannot say "no cycles
between any two modules" nor measure sizes, and a walk of ~100 files takes ~0.1 s.
Each rule is one test that prints what it found; the last tests run the checker on a
tiny tree made in ``tmp_path`` to show that it finds what it should.
"""

from __future__ import annotations

import ast
import functools
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"graph": 3, "subscriptions": 2, "resolvers": 1, "models": 0}
BOTTOM = frozenset({"settings", "config"})
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
DEMO_DATA = ("graph", "seed")

# Exceptions to the size limits, each with the reason it must be one. Empty: every
# module and function fits. An entry that no longer exceeds its limit fails the test.
LONG_MODULES: dict[str, str] = {}  # "graph/x.py": "why"
LONG_FUNCTIONS: dict[str, str] = {}  # "graph/x.py:Class.method": "why"


@dataclass
class Tree:
    """The modules of the four packages under ``root`` and what each imports."""

    root: Path
    modules: dict[str, Path]  # dotted name -> file
    imports: dict[str, dict[str, int]]  # module -> imported module -> first line

    def relative(self, module: str) -> str:
        return self.modules[module].relative_to(self.root).as_posix()


def _module_name(root: Path, path: Path) -> str:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _imported_names(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    # ``from a.b import c``: c may be a module (a.b.c) or a name in a.b; a.b runs either way.
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def scan(root: Path) -> Tree:
    modules = {
        _module_name(root, path): path
        for top in LAYERS
        for path in sorted((root / top).rglob("*.py"))
    }

    def resolve(name: str) -> str | None:
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    imports: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _imported_names(node, package):
                module = resolve(target)
                if module is not None and module != name:
                    found[module] = min(found.get(module, node.lineno), node.lineno)
        imports[name] = found
    return Tree(root, modules, imports)


def _layer(module: str) -> int:
    return LAYERS[module.split(".")[0]]


def upward_imports(tree: Tree) -> list[str]:
    return sorted(
        f"{tree.relative(src)}:{line} imports {dst}"
        for src, targets in tree.imports.items()
        for dst, line in targets.items()
        if _layer(dst) > _layer(src) and dst.rsplit(".", 1)[-1] not in BOTTOM
    )


def import_cycles(tree: Tree) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in tree.modules:
        if start in index:
            continue
        work = [(start, iter(sorted(tree.imports[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(tree.imports[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def _describe_cycle(tree: Tree, component: list[str]) -> str:
    lines = [" <-> ".join(component)]
    members = set(component)
    for src in component:
        for dst, line in sorted(tree.imports[src].items()):
            if dst in members:
                lines.append(f"    {tree.relative(src)}:{line} imports {dst}")
    return "\n".join(lines)


def _is_demo_data(tree: Tree, module: str) -> bool:
    return tree.modules[module].relative_to(tree.root).parts[: len(DEMO_DATA)] == DEMO_DATA


def long_modules(tree: Tree) -> dict[str, int]:
    sizes = {
        tree.relative(module): len(path.read_text().splitlines())
        for module, path in tree.modules.items()
        if not _is_demo_data(tree, module)
    }
    return {path: lines for path, lines in sorted(sizes.items()) if lines > MAX_MODULE_LINES}


def long_functions(tree: Tree) -> dict[str, int]:
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str, path: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    lines = (child.end_lineno or child.lineno) - child.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        found[f"{path}:{name}"] = lines
                visit(child, f"{name}.", path)
            else:
                visit(child, prefix, path)

    for module, file in sorted(tree.modules.items()):
        if not _is_demo_data(tree, module):
            visit(ast.parse(file.read_text(), str(file)), "", tree.relative(module))
    return found


def _report(title: str, findings: list[str]) -> str:
    text = f"{len(findings)} {title}:\n" + "\n".join(findings)
    print(text)
    return text


# --- the rules, on this repository --------------------------------------------------


@functools.cache
def repository() -> Tree:
    return scan(ROOT)


def test_imports_flow_down_the_layers() -> None:
    findings = upward_imports(repository())
    assert not findings, _report("upward imports (graph > subscriptions > resolvers > models)", findings)


def test_no_import_cycles() -> None:
    tree = repository()
    findings = [_describe_cycle(tree, component) for component in import_cycles(tree)]
    assert not findings, _report("import cycles", findings)


def test_no_module_over_400_lines() -> None:
    sizes = long_modules(repository())
    findings = [f"{path}: {lines} lines" for path, lines in sizes.items() if path not in LONG_MODULES]
    findings += [f"{path}: listed in LONG_MODULES but fits now" for path in LONG_MODULES if path not in sizes]
    assert not findings, _report(f"modules over {MAX_MODULE_LINES} lines", findings)


def test_no_function_over_60_lines() -> None:
    sizes = long_functions(repository())
    findings = [f"{name}: {lines} lines" for name, lines in sizes.items() if name not in LONG_FUNCTIONS]
    findings += [f"{name}: listed in LONG_FUNCTIONS but fits now" for name in LONG_FUNCTIONS if name not in sizes]
    assert not findings, _report(f"functions over {MAX_FUNCTION_LINES} lines", findings)


# --- the checker itself, on a tree made for it -----------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_finds_upward_imports_and_cycles(tmp_path: Path) -> None:
    _write(tmp_path, {
        "graph/__init__.py": "",
        "graph/settings.py": "LIMIT = 1\n",
        "graph/types.py": "from resolvers.rules import check\n",  # downward: fine
        "models/__init__.py": "",
        "models/rows.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from subscriptions.feed import Feed\n"  # upward, even for types only
        ),
        "subscriptions/__init__.py": "",
        "subscriptions/feed.py": "class Feed: ...\n",
        "resolvers/__init__.py": "",
        "resolvers/rules.py": (
            "from graph.settings import LIMIT\n"  # settings are a bottom layer: fine
            "def check():\n"
            "    from graph.types import x\n"  # upward, even inside a function
        ),
        # a package whose module imports its own package: a cycle through __init__
        "resolvers/offers/__init__.py": "from resolvers.offers.access import may\n",
        "resolvers/offers/access.py": "def may():\n    from resolvers.offers import other\n",
        # a cycle through a relative import
        "resolvers/chat/__init__.py": "",
        "resolvers/chat/a.py": "from .b import y\n",
        "resolvers/chat/b.py": "import resolvers.chat.a\n",
    })
    tree = scan(tmp_path)
    assert upward_imports(tree) == [
        "models/rows.py:3 imports subscriptions.feed",
        "resolvers/rules.py:3 imports graph.types",
    ]
    assert import_cycles(tree) == [
        ["graph.types", "resolvers.rules"],
        ["resolvers.chat.a", "resolvers.chat.b"],
        ["resolvers.offers", "resolvers.offers.access"],
    ]
    assert _describe_cycle(tree, ["resolvers.chat.a", "resolvers.chat.b"]).splitlines() == [
        "resolvers.chat.a <-> resolvers.chat.b",
        "    resolvers/chat/a.py:1 imports resolvers.chat.b",
        "    resolvers/chat/b.py:1 imports resolvers.chat.a",
    ]


def test_the_checker_measures_modules_and_functions(tmp_path: Path) -> None:
    body = "".join(f"    x = {i}\n" for i in range(59))
    _write(tmp_path, {
        "models/__init__.py": "",
        "models/fits.py": f"def fits():\n{body}",  # 60 lines
        "models/long.py": f"class Rows:\n    async def load(self):\n{textwrap.indent(body, '    ')}        y = 1\n",  # 61
        "resolvers/big.py": "x = 1\n" * 401,
        "resolvers/exact.py": "x = 1\n" * 400,
        "graph/seed/people.py": "x = 1\n" * 900 + f"def demo():\n{body}{body}",
    })
    tree = scan(tmp_path)
    assert long_modules(tree) == {"resolvers/big.py": 401}
    assert long_functions(tree) == {"models/long.py:Rows.load": 61}
