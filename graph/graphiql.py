"""GraphiQL opens with the example operations of ``examples/operations`` (the ones the
example clients run) and variables for ``SignUp``, so a first visitor can sign up, put the
token in the headers and run ``Viewer`` without typing a query.

strawberry's GraphiQL page starts with ``EXAMPLE_QUERY`` unless the URL carries one;
``with_examples`` swaps that constant for our document. Without the examples folder (an
installed wheel) the page is served unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "operations"

EXAMPLE_VARIABLES = {
    "input": {
        "email": "ada@example.com",
        "password": "correct horse battery staple",
        "displayName": "Ada",
        "role": "CANDIDATE",
    }
}

HEADER = """\
# OpenForWork API: example operations (examples/operations/*.graphql)
#
# 1. Pick SignUp from the run button's menu and run it with the variables below
#    (or LogIn with {"input": {"email": …, "password": …}}).
# 2. Copy `token` into Headers: {"Authorization": "Bearer <token>"}
# 3. Run Viewer. Subscriptions run over the same WebSocket endpoint.
#
# Docs (top left) describe every type, field, argument and limit.
"""

_EXAMPLE_QUERY = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.S)
_VARIABLES_STATE = "parameters.variables,"


def example_document(directory: Path = EXAMPLES) -> str | None:
    """The operation files, operations first then fragments, or None without any."""
    files = sorted(directory.glob("*.graphql"), key=lambda path: (path.name == "fragments.graphql", path.name))
    if not files:
        return None
    return HEADER + "".join(f"\n# --- {path.name}\n\n{path.read_text().strip()}\n" for path in files)


def _js_string(value: str) -> str:
    # JSON is a JavaScript string literal; "</" must not close the <script> element.
    return json.dumps(value).replace("</", "<\\/")


def with_examples(html: str, document: str | None) -> str:
    if document is None or len(_EXAMPLE_QUERY.findall(html)) != 1 or html.count(_VARIABLES_STATE) != 1:
        return html
    constants = (
        f"const EXAMPLE_QUERY = {_js_string(document)};\n"
        f"      const EXAMPLE_VARIABLES = {_js_string(json.dumps(EXAMPLE_VARIABLES, indent=2))};"
    )
    html = _EXAMPLE_QUERY.sub(lambda _: constants, html)
    return html.replace(_VARIABLES_STATE, "parameters.variables || EXAMPLE_VARIABLES,")
