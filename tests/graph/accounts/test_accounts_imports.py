"""Accounts is the feature the others build on: their graph types import ``User`` and
``Company``, so accounts' graph modules import none of theirs (anywhere in a module,
function bodies included). ``User.profile`` and ``Company.responsiveness`` name their
types with ``strawberry.lazy`` and return what the resolver layer hands out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OTHER_FEATURES = ("graph.types.chat", "graph.types.profiles", "graph.types.offers", "graph.types.search")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_accounts_graph_modules_import_no_other_feature() -> None:
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "graph" / "types" / "accounts").glob("*.py"))
        for module in imported_modules(path)
        if module.startswith(OTHER_FEATURES)
    }
    assert not offending, sorted(offending)
