"""GraphiQL opens with the example operations of ``examples/operations`` (the ones the
example clients run) and variables for ``SignUp``, so a first visitor can sign up, put the
token in the headers and run ``Viewer`` without typing a query.

strawberry's GraphiQL page starts with ``EXAMPLE_QUERY`` unless the URL carries one;
``with_examples`` swaps that constant for our document. Without the examples folder (an
installed wheel) the page is served unchanged.

``GRAPHIQL_ASSETS=local`` (the default) serves a page of our own (``graphiql_assets/page.html``)
whose React, GraphiQL, explorer plugin and graphql-ws client are vendored in
``graphiql_assets/`` at pinned versions (``fetch.sh`` reproduces them from npm, byte for byte;
``SHA256SUMS`` lists them) and served under ``/graphql/assets/``: the page works with no
outside network. ``GRAPHIQL_ASSETS=cdn`` serves strawberry's page, which loads them from a
public CDN. The asset table is read once when the app is built; the files are read from
disk per request (the browser keeps them: immutable, versioned names).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

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


# --- The page served from the service itself (GRAPHIQL_ASSETS=local) -----------------

ASSETS = Path(__file__).resolve().parent / "graphiql_assets"
ASSET_PREFIX = "/graphql/assets/"  # under /graphql: a proxy that forwards /graphql serves them too

# In page order: styles, then React before ReactDOM before GraphiQL before its plugin.
PAGE_ASSETS = (
    re.compile(r"graphiql-[\d.]+\.min\.css"),
    re.compile(r"plugin-explorer-[\d.]+\.css"),
    re.compile(r"react-[\d.]+\.production\.min\.js"),
    re.compile(r"react-dom-[\d.]+\.production\.min\.js"),
    re.compile(r"graphiql-[\d.]+\.min\.js"),
    re.compile(r"plugin-explorer-[\d.]+\.umd\.js"),
    re.compile(r"graphql-ws-[\d.]+\.min\.js"),
)
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # SHA256SUMS
}
# File names carry their versions: a new version is a new URL, so browsers may keep a file.
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def vendored_assets(directory: Path = ASSETS) -> dict[str, str]:
    """File name (relative to ``directory``) -> SHA-256 hex, from the committed SHA256SUMS,
    plus SHA256SUMS itself. Only these names are ever served."""
    sums = (directory / "SHA256SUMS").read_text()
    assets = {}
    for line in sums.splitlines():
        digest, _, name = line.partition("  ")
        assets[name] = digest
    assets["SHA256SUMS"] = hashlib.sha256(sums.encode()).hexdigest()
    return assets


def subresource_integrity(hex_digest: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_digest)).decode()


def _asset_tag(name: str, digest: str) -> str:
    url = ASSET_PREFIX + name
    integrity = subresource_integrity(digest)
    if name.endswith(".css"):
        return f'    <link rel="stylesheet" href="{url}" integrity="{integrity}" />'
    return f'    <script src="{url}" integrity="{integrity}"></script>'


def local_page(directory: Path = ASSETS) -> str:
    """The GraphiQL page whose scripts and styles all come from ``ASSET_PREFIX``, each with
    its SHA-256 as Subresource Integrity: a changed file is refused by the browser."""
    assets = vendored_assets(directory)
    tags = []
    for pattern in PAGE_ASSETS:
        (name,) = [name for name in assets if pattern.fullmatch(name)]
        tags.append(_asset_tag(name, assets[name]))
    return (directory / "page.html").read_text().replace("@@ASSETS@@", "\n".join(tags))


def content_security_policy(html: str) -> str:
    """Scripts only from this origin, plus the page's own inline script by its hash (the
    examples are fixed once the app is built). Styles may be inline: GraphiQL sets them."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return (
        "default-src 'none'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def asset_endpoint(directory: Path = ASSETS) -> Callable[[Request], Awaitable[Response]]:
    """``GET /graphql/assets/{name:path}``: one of the vendored files named in SHA256SUMS
    (anything else is 404, so no path outside the folder can be asked for), with a
    long-lived cache, its SHA-256 as ETag and an exact content type."""
    assets = vendored_assets(directory)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        digest = assets.get(name)
        if digest is None:
            return PlainTextResponse("Not Found", status_code=404, headers={"x-content-type-options": "nosniff"})
        headers = {
            "cache-control": ASSET_CACHE_CONTROL,
            "etag": f'"{digest}"',
            "x-content-type-options": "nosniff",
            "cross-origin-resource-policy": "same-origin",
        }
        if request.headers.get("if-none-match") == headers["etag"]:
            return Response(status_code=304, headers=headers)
        media_type = CONTENT_TYPES[Path(name).suffix]
        return FileResponse(directory / name, media_type=media_type, headers=headers)

    return asset
