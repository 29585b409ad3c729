"""The GraphiQL page and its vendored assets (graph/graphiql_assets): pinned, licensed,
checked by hash, served by the service with long caching, SRI and a strict CSP.

The assets need no database, so these tests call the app without its lifespan. The same
page in a real browser with no outside network: test_graphiql_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import httpx
import pytest

from graph.app import create_app
from graph.graphiql import ASSET_PREFIX, ASSETS, PAGE_ASSETS, vendored_assets
from graph.settings import Settings, SettingsError

FETCH_SCRIPT = ASSETS / "fetch.sh"
# Every package the page loads or bundles, as fetch.sh names its licence file.
LICENSED = ("graphiql-", "plugin-explorer-", "graphiql-explorer-", "react-", "react-dom-", "graphql-ws-")


def client(**settings: object) -> httpx.AsyncClient:
    app = create_app(Settings(environment="test", **settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def pinned_versions() -> dict[str, str]:
    return dict(re.findall(r"^([A-Z_]+)=([\d.]+)\s", FETCH_SCRIPT.read_text(), re.M))


async def page() -> httpx.Response:
    async with client() as http:
        return await http.get("/graphql", headers={"accept": "text/html"})


def test_every_vendored_file_matches_the_committed_sha256_list() -> None:
    # given
    listed = {name: digest for name, digest in vendored_assets().items() if name != "SHA256SUMS"}
    on_disk = {
        str(path.relative_to(ASSETS)) for path in ASSETS.rglob("*")
        if path.is_file() and path.suffix in {".js", ".css", ".txt"}
    }
    # then: nothing unlisted, nothing missing, every byte as listed
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name


def test_file_names_carry_the_versions_pinned_in_fetch_sh_and_each_package_has_its_licence() -> None:
    versions = pinned_versions()
    names = set(vendored_assets())
    assert {
        f"graphiql-{versions['GRAPHIQL']}.min.js",
        f"plugin-explorer-{versions['EXPLORER']}.umd.js",
        f"react-{versions['REACT']}.production.min.js",
        f"react-dom-{versions['REACT']}.production.min.js",
        f"graphql-ws-{versions['GRAPHQL_WS']}.min.js",
    } <= names
    licences = [name for name in names if name.startswith("licenses/")]
    for prefix in LICENSED:
        assert any(re.fullmatch(rf"licenses/{re.escape(prefix)}[\d.]+\.LICENSE\.txt", name) for name in licences), prefix
    for name in licences:
        assert "MIT" in (ASSETS / name).read_text() or "Permission is hereby granted" in (ASSETS / name).read_text()


def test_only_minified_browser_builds_are_vendored() -> None:
    total = sum((ASSETS / name).stat().st_size for name in vendored_assets())
    assert total < 5_000_000
    assert not [name for name in vendored_assets() if "development" in name or name.endswith(".map")]


async def test_the_page_loads_every_asset_from_the_service_with_its_sri_hash() -> None:
    # when
    response = await page()
    # then: no script or style from anywhere else, each with the listed SHA-256
    assert response.status_code == 200
    assert "unpkg.com" not in response.text and "https://" not in response.text.split("<body>")[0].replace(
        "https://github.com", ""
    )
    tags = re.findall(r'(?:src|href)="(/[^"]+)" integrity="sha256-([^"]+)"', response.text)
    assets = vendored_assets()
    assert [url for url, _ in tags] == [
        ASSET_PREFIX + next(name for name in assets if pattern.fullmatch(name)) for pattern in PAGE_ASSETS
    ]
    for url, integrity in tags:
        assert base64.b64decode(integrity).hex() == assets[url.removeprefix(ASSET_PREFIX)]


async def test_the_page_keeps_the_examples_the_headers_hint_and_the_security_headers() -> None:
    response = await page()
    assert 'const EXAMPLE_QUERY = "# OpenForWork API' in response.text
    assert "Copy `token` into Headers" in response.text
    assert "parameters.variables || EXAMPLE_VARIABLES" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_csp_allows_scripts_only_from_the_service_and_the_pages_own_inline_script() -> None:
    # given
    response = await page()
    csp = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    (inline,) = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    # then
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert csp["script-src"] == f"'self' 'sha256-{digest}'"
    assert csp["default-src"] == "'none'" and csp["connect-src"] == "'self'"
    assert "unsafe-eval" not in csp["script-src"] and "unsafe-inline" not in csp["script-src"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("react-18.2.0.production.min.js", "text/javascript; charset=utf-8"),
        ("graphiql-3.8.3.min.css", "text/css; charset=utf-8"),
        ("licenses/graphiql-3.8.3.LICENSE.txt", "text/plain; charset=utf-8"),
        ("SHA256SUMS", "text/plain; charset=utf-8"),
    ],
)
async def test_assets_are_served_with_type_long_cache_and_etag(name: str, content_type: str) -> None:
    # when
    async with client() as http:
        response = await http.get(ASSET_PREFIX + name)
        again = await http.get(ASSET_PREFIX + name, headers={"if-none-match": response.headers["etag"]})
    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (ASSETS / name).read_bytes()
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("name", ["page.html", "fetch.sh", "../settings.py", "%2e%2e/settings.py", "nope.js"])
async def test_only_listed_files_are_served(name: str) -> None:
    async with client() as http:
        response = await http.get(ASSET_PREFIX + name)
    assert response.status_code == 404


async def test_cdn_mode_serves_strawberrys_page_with_the_examples() -> None:
    # when
    async with client(graphiql_assets="cdn") as http:
        response = await http.get("/graphql", headers={"accept": "text/html"})
        asset = await http.get(ASSET_PREFIX + "react-18.2.0.production.min.js")
    # then
    assert "https://unpkg.com/graphiql@" in response.text
    assert 'const EXAMPLE_QUERY = "# OpenForWork API' in response.text
    assert "content-security-policy" not in response.headers
    assert asset.status_code == 404


async def test_without_graphiql_neither_page_nor_assets_are_served() -> None:
    async with client(graphiql=False) as http:
        response = await http.get("/graphql", headers={"accept": "text/html"})
        asset = await http.get(ASSET_PREFIX + "react-18.2.0.production.min.js")
    assert "graphiql" not in response.text.lower()
    assert asset.status_code == 404


def test_graphiql_assets_setting() -> None:
    assert Settings.from_env({}).graphiql_assets == "local"
    assert Settings.from_env({"GRAPHIQL_ASSETS": "CDN"}).graphiql_assets == "cdn"
    with pytest.raises(SettingsError, match="GRAPHIQL_ASSETS"):
        Settings.from_env({"GRAPHIQL_ASSETS": "unpkg"})


def test_the_assets_ship_in_the_wheel() -> None:
    package_data = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"graphiql_assets/*"' in package_data and '"graphiql_assets/licenses/*"' in package_data
