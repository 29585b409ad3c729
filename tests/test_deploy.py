"""The deployment files (Dockerfile, compose.yaml, deploy/nginx.conf) agree with the code
and the README's Deployment section.

Neither Docker's daemon nor ``docker compose`` nor hadolint runs here, so the files are
checked as data: compose.yaml parsed with PyYAML (services, ports, environment read by the
real ``Settings.from_env``), the Dockerfile's instructions (slim base, non-root USER, the
README's commands), nginx's WebSocket upgrade headers. Where Debian's ``nginx`` is installed
(``.ci/run`` installs it on CI) the proxy config is also run for real: ``nginx -t``, then
in front of two API servers on PostgreSQL and Redis, carrying a subscription.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from websockets.asyncio.client import connect

from graph.settings import Settings
from tests.factories.accounts import make_employer
from tests.graphql import GraphQLClient
from tests.scaleout.servers import free_port, serve
from tests.scaleout.story import MESSAGE_ADDED, START, visible_candidate

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
API_SERVICES = ("api-1", "api-2")
SECRET = "s" * 48
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z_]+)(?::(?P<op>[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return _VARIABLE.sub(substitute, value)


def compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    return interpolate(yaml.safe_load((ROOT / "compose.yaml").read_text()), {"SECRET_KEY": SECRET} if env is None else env)


def dockerfile() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def readme_nginx_block() -> list[str]:
    (block,) = re.findall(r"```nginx\n(.*?)```", README, re.S)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def readme_commands() -> list[str]:
    deployment = README.split("## Deployment", 1)[1]
    return re.findall(r"`(openforwork (?:serve|migrate)[^`]*)`|^(openforwork migrate)$", deployment, re.M)


# --- compose.yaml ------------------------------------------------------------------------

def test_compose_has_postgres_redis_a_migration_two_api_workers_and_a_proxy() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", *API_SERVICES, "proxy"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert services["postgres"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")


def test_only_the_proxy_publishes_a_port() -> None:
    services = compose()["services"]
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"] == ["8080:80"]


def test_the_api_environment_is_valid_production_settings_pointing_at_the_compose_services() -> None:
    services = compose()["services"]
    for name in (*API_SERVICES, "migrate"):
        # when: the service's environment is read the way the service reads it
        env = services[name]["environment"]
        settings = Settings.from_env(env)
        # then
        assert settings.is_production and settings.secret_key == SECRET
        database = httpx.URL(settings.database_url.replace("postgres://", "http://", 1))
        postgres = services["postgres"]["environment"]
        assert (database.host, database.port, database.path.strip("/")) == ("postgres", 5432, postgres["POSTGRES_DB"])
        assert (database.username, database.password) == (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"])
        assert settings.broadcast_url == "redis://redis:6379/0"
        # every variable is one the service (or uvicorn) reads
        read = (ROOT / "graph" / "settings.py").read_text()
        assert [key for key in env if f'"{key}"' not in read] == ["FORWARDED_ALLOW_IPS"]


def test_compose_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(KeyError, match="SECRET_KEY"):
        compose({})


def test_migrations_run_once_before_the_api_workers_start() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["openforwork", "migrate"]
    assert ("", " ".join(services["migrate"]["command"])) in readme_commands()
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in API_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_api_command_is_the_readmes_serve_command_and_matches_the_proxy() -> None:
    # given
    services = compose()["services"]
    readme_serve = next(command for command, _ in readme_commands() if command.startswith("openforwork serve"))
    upstreams = re.findall(r"server\s+([\w-]+):(\d+);", NGINX_CONF.read_text())
    # then: the README's options, one worker per container, on the port the proxy uses
    for name in API_SERVICES:
        command = services[name]["command"]
        assert [part for part in command if part.startswith("--")] == [
            part for part in shlex.split(readme_serve) if part.startswith("--")
        ]
        assert command[command.index("--workers") + 1] == "1"
        assert (name, command[command.index("--port") + 1]) in upstreams
    assert services["proxy"]["volumes"] == ["./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]


# --- Dockerfile --------------------------------------------------------------------------

def test_dockerfile_uses_a_slim_python_base_and_a_non_root_user() -> None:
    instructions = dockerfile()
    (base,) = [argument for instruction, argument in instructions if instruction == "FROM"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base)
    users = [argument for instruction, argument in instructions if instruction == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    # the user is the last word: nothing runs as root after it
    assert [i for i, _ in instructions].index("USER") > max(i for i, (name, _) in enumerate(instructions) if name == "RUN")


def test_dockerfile_installs_the_package_and_runs_the_readmes_serve_command() -> None:
    instructions = dockerfile()
    assert any(name == "RUN" and re.match(r"pip install \.(\s|$)", argument) for name, argument in instructions)
    (cmd,) = [json.loads(argument) for name, argument in instructions if name == "CMD"]
    assert cmd == compose()["services"]["api-1"]["command"]
    assert any(name == "HEALTHCHECK" and "/readyz" in argument for name, argument in instructions)


def test_dockerfile_copies_every_package_and_nothing_missing() -> None:
    packages = set(re.findall(r'"(\w+)\*"', (ROOT / "pyproject.toml").read_text().split("include = [", 1)[1].split("]")[0]))
    copied = set()
    for name, argument in dockerfile():
        if name == "COPY":
            *sources, _ = argument.split()
            for source in sources:
                assert (ROOT / source).exists(), source
                copied.add(source)
    assert packages <= copied
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "*.sqlite3"} <= set(ignored)


# --- nginx -------------------------------------------------------------------------------

def test_nginx_config_carries_the_readmes_location_block_with_websocket_upgrade() -> None:
    conf = NGINX_CONF.read_text()
    lines = [line.split("#")[0].strip() for line in conf.splitlines()]
    for line in readme_nginx_block():
        assert line in lines, line
    assert 'proxy_set_header Connection "upgrade";' in lines and "proxy_set_header Upgrade $http_upgrade;" in lines
    assert "client_max_body_size 2m;" in lines and Settings().max_body_bytes == 2 * 1024 * 1024
    assert conf.count("{") == conf.count("}")


def nginx_binary() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path:
        return path
    reason = "Debian's nginx is not installed (apt-get install -y nginx-light)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the proxy test")
    pytest.skip(reason)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Any]:
    """``run(ports)``: deploy/nginx.conf with the upstreams on 127.0.0.1 ports, listening on
    a free port, started in the foreground; returns that port."""
    binary = nginx_binary()
    processes: list[subprocess.Popen[bytes]] = []

    def configure(ports: list[int]) -> tuple[Path, int]:
        listen = free_port()
        conf = NGINX_CONF.read_text().replace("listen 80;", f"listen 127.0.0.1:{listen};")
        for name, port in zip(API_SERVICES, ports, strict=True):
            conf = conf.replace(f"server {name}:8000;", f"server 127.0.0.1:{port};")
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = tmp_path / "nginx.conf"
        main.write_text(
            f"{user}daemon off;\npid {tmp_path}/nginx.pid;\nerror_log stderr warn;\nevents {{}}\n"
            f"http {{\naccess_log off;\n{conf}\n}}\n"
        )
        return main, listen

    def check(ports: list[int]) -> subprocess.CompletedProcess[str]:
        main, _ = configure(ports)
        return subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)

    def run(ports: list[int]) -> int:
        main, listen = configure(ports)
        processes.append(subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(main)]))
        return listen

    run.check = check
    yield run
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_nginx_accepts_the_config(nginx: Any) -> None:
    result = nginx.check([free_port(), free_port()])
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.fixture
def backend() -> str:
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set: two API servers need PostgreSQL")
    return "postgres"


async def wait_for_port(port: int) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                await client.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise TimeoutError(f"nginx on {port} did not start")


@pytest.fixture
async def stack(database_url: str, redis_url: str, nginx: Any) -> AsyncIterator[str]:
    """Two API servers as compose runs them (PostgreSQL, Redis, FORWARDED_ALLOW_IPS) behind
    nginx with deploy/nginx.conf; yields the proxy's base URL."""
    env = {
        "DATABASE_URL": database_url,
        "BROADCAST_URL": redis_url,
        "BROADCAST_CHANNEL_PREFIX": f"t{uuid.uuid4().hex[:8]}:",
        "FORWARDED_ALLOW_IPS": "*",
    }
    async with serve(env) as one, serve(env) as two:
        port = nginx([int(one.url.rsplit(":", 1)[1]), int(two.url.rsplit(":", 1)[1])])
        await wait_for_port(port)
        yield f"http://127.0.0.1:{port}"


async def test_through_the_proxy_a_new_user_signs_up_and_hears_a_message_over_websocket(stack: str) -> None:
    async with httpx.AsyncClient(base_url=stack) as client:
        gql = GraphQLClient(client)
        # given: a candidate who signed up through the proxy, subscribed through the proxy
        candidate = await visible_candidate(gql)
        async with connect(stack.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {candidate.token}"}}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": MESSAGE_ADDED}}))
            # when: an employer (on whichever API server the proxy picks) contacts them
            employer = await make_employer(gql)
            started = await gql.mutate(START, {
                "candidateId": candidate.id, "roleTitle": "Platform engineer", "message": "Hello through nginx",
                "salaryRange": {"min": 80000, "max": 100000, "currency": "EUR", "period": "YEAR"},
            }, token=employer.token)
            # then
            event = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert event["type"] == "next"
            assert event["payload"]["data"]["messageAdded"]["id"] == started["message"]["id"]
        # and both API servers answer behind the one proxy port
        assert (await client.get("/readyz")).json()["status"] == "ready"
        assert (await client.get("/something-else")).status_code == 404
