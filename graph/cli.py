"""The ``openforwork`` command: serve, worker, migrate, seed, export-schema, create-user, create-moderator,
makemigrations, register-operations, update-rates. Settings come from the environment (see README's configuration table)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from graph.settings import Settings, SettingsError
from graph.ws_protocol import WS_PROTOCOL

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"openforwork: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _configure_logging(settings: Settings) -> None:
    from graph.database import configure_sql_log

    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    configure_sql_log(settings)


def cmd_migrate(args: argparse.Namespace) -> int:
    from graph.database import apply_migrations

    settings = _settings()
    asyncio.run(apply_migrations(settings))
    print("Database is at the newest migration.")
    return 0


def cmd_makemigrations(args: argparse.Namespace) -> int:
    from graph.database import make_migrations

    paths = asyncio.run(make_migrations(_settings(), args.name))
    for path in paths:
        print(f"Created {path}")
    if not paths:
        print("No changes detected.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph.database import apply_migrations

    settings = _settings()
    if args.workers > 1 and settings.is_sqlite:
        print(
            "openforwork: --workers > 1 needs PostgreSQL. SQLite serves one worker process: "
            "several processes writing one SQLite file fail with 'database is locked'. "
            "Set DATABASE_URL=postgres://… and BROADCAST_URL=postgres://… (or redis://…) to run "
            "several workers.",
            file=sys.stderr,
        )
        return 2
    if args.workers > 1 and settings.broadcast_url.startswith("memory"):
        print(
            "openforwork: --workers > 1 needs BROADCAST_URL=postgres://… (PostgreSQL LISTEN/NOTIFY) "
            "or redis://… so that workers deliver each other's events; memory:// only reaches "
            "one process.",
            file=sys.stderr,
        )
        return 2
    _configure_logging(settings)
    metrics_dir = _prepare_metrics(settings)
    asyncio.run(apply_migrations(settings))
    if args.seed_demo:
        from graph.seed import seed_database

        asyncio.run(seed_database(settings, profiles=args.seed_demo, seed=42, only_if_empty=True))
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"OpenForWork API on http://{host}:{port}/graphql (GraphiQL in a browser)")
    try:
        uvicorn.run(
            "graph.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            reload=args.reload,
            workers=args.workers if not args.reload else None,
            **uvicorn_options(settings),
        )
    finally:
        if metrics_dir is not None:
            import shutil

            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from graph.background import run_worker

    settings = _settings()
    _configure_logging(settings)
    print("OpenForWork worker: mail sender and scheduler (SIGTERM or Ctrl-C to stop)", flush=True)
    asyncio.run(run_worker(settings))
    return 0


def _prepare_metrics(settings: Settings) -> str | None:
    """With metrics on: every worker writes to one directory (prometheus_client's
    multiprocess mode, see graph/metrics.py), set before prometheus_client is imported;
    the METRICS_PORT listener starts here. Returns a temporary directory to remove at
    exit, or None."""
    import os
    import tempfile

    if not settings.metrics_enabled:
        return None
    named = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    path = named or tempfile.mkdtemp(prefix="openforwork-metrics-")
    os.makedirs(path, exist_ok=True)
    for old in Path(path).glob("*.db"):  # figures of an earlier run
        old.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    if settings.metrics_port:
        from graph.metrics import serve_metrics_port

        serve_metrics_port(settings.metrics_host, settings.metrics_port)
        print(f"Prometheus metrics on http://{settings.metrics_host}:{settings.metrics_port}/metrics")
    return None if named else path


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Protocol options and server timeouts of ``serve`` (the body-read timeout is the
    app's own BodySizeLimit middleware: uvicorn has none)."""
    return {
        "ws": WS_PROTOCOL,  # uvicorn's websockets-sansio, without the handshake kept (graph/ws_protocol.py)
        "ws_max_size": settings.max_ws_frame_bytes,
        "ws_per_message_deflate": settings.ws_per_message_deflate,
        "ws_ping_interval": 20.0,  # a peer that stops answering pings is dropped
        "ws_ping_timeout": 20.0,
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers
        "timeout_graceful_shutdown": 10,
        "log_level": settings.log_level.lower(),
        "proxy_headers": True,
        "access_log": settings.log_level == "DEBUG",  # one JSON line per operation is logged instead
    }


def cmd_seed(args: argparse.Namespace) -> int:
    from graph.database import apply_migrations
    from graph.seed import seed_database

    settings = _settings()
    asyncio.run(apply_migrations(settings))
    asyncio.run(seed_database(settings, profiles=args.profiles, seed=args.seed, progress=not args.quiet))
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    from graph.schema import export_schema

    sdl = export_schema()
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl)
        print(f"Wrote {args.output}")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from tortoise import Tortoise

    from graph.database import apply_migrations, tortoise_config
    from models.accounts import Role
    from resolvers.accounts import sign_up
    from resolvers.errors import UserErrors

    settings = _settings()

    async def run() -> int:
        await apply_migrations(settings)
        await Tortoise.init(config=tortoise_config(settings))
        try:
            token, session = await sign_up(
                settings,
                email=args.email,
                password=args.password,
                display_name=args.name,
                role=Role(args.role.upper()),
                company_name=args.company,
                invitation_code=args.invitation_code,
            )
        except UserErrors as exc:
            for error in exc.errors:
                print(f"openforwork: {error.message}", file=sys.stderr)
            return 1
        finally:
            await Tortoise.close_connections()
        print(f"Created {session.user.role.value.lower()} {session.user.email}")
        print(f"Token: {token}")
        return 0

    return asyncio.run(run())


def cmd_create_moderator(args: argparse.Namespace) -> int:
    import getpass

    from tortoise import Tortoise

    from graph.database import apply_migrations, tortoise_config
    from resolvers.errors import UserErrors
    from resolvers.safety.moderators import create_moderator

    settings = _settings()
    password = args.password or getpass.getpass("Password for the moderator: ")

    async def run() -> int:
        await apply_migrations(settings)
        await Tortoise.init(config=tortoise_config(settings))
        try:
            user = await create_moderator(settings, email=args.email, password=password, display_name=args.name)
        except UserErrors as exc:
            for error in exc.errors:
                print(f"openforwork: {error.message}", file=sys.stderr)
            return 1
        finally:
            await Tortoise.close_connections()
        print(f"Created moderator {user.email}; sign in with logIn.")
        return 0

    return asyncio.run(run())


def _add_create_moderator(sub: Any) -> None:
    moderator = sub.add_parser("create-moderator", help="create a moderator account (the only way to make one)")
    moderator.add_argument("--email", required=True)
    moderator.add_argument("--name", default="Moderator")
    moderator.add_argument("--password", default=None, help="asked for when not given")
    moderator.set_defaults(func=cmd_create_moderator)


def cmd_register_operations(args: argparse.Namespace) -> int:
    from tortoise import Tortoise

    from graph.database import apply_migrations, tortoise_config
    from resolvers.persisted import register_operations

    settings = _settings()
    paths: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        paths += sorted(path.rglob("*.graphql")) if path.is_dir() else [path]
    if not paths:
        print("openforwork: no .graphql files given", file=sys.stderr)
        return 2

    async def run() -> list[tuple[str, str]]:
        await apply_migrations(settings)
        await Tortoise.init(config=tortoise_config(settings))
        try:
            return await register_operations(paths)
        finally:
            await Tortoise.close_connections()

    try:
        registered = asyncio.run(run())
    except ValueError as exc:
        print(f"openforwork: {exc}", file=sys.stderr)
        return 1
    for name, digest in registered:
        print(f"{digest}  {name}")
    return 0


def cmd_update_rates(args: argparse.Namespace) -> int:
    from resolvers.money import RATES_FILE, RatesFormatError, read_source, update_rates

    target = Path(args.output) if args.output else RATES_FILE
    try:
        text = read_source(file=args.file, url=args.url)
        rates = update_rates(text, origin=args.file or args.url, path=target)
    except (OSError, ValueError, RatesFormatError) as exc:
        print(f"openforwork: could not update the exchange rates: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {len(rates.per_euro)} ECB reference rates of {rates.day.isoformat()} to {target}.")
    print("Restart the service to use them.")
    return 0


def _add_worker(sub: Any) -> None:
    worker = sub.add_parser(
        "worker",
        help="run the mail sender and the scheduler apart from the web workers "
        "(with MAIL_SENDER=off SCHEDULER=off on serve; run migrate first)",
    )
    worker.set_defaults(func=cmd_worker)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openforwork", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="apply migrations, then serve the API with uvicorn")
    serve.add_argument("--host", default=None, help="default: $HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (above 1: PostgreSQL, and BROADCAST_URL postgres:// or redis://)")
    serve.add_argument("--seed-demo", type=int, default=0, metavar="N", help="load N demo profiles first, if the database has none")
    serve.set_defaults(func=cmd_serve)

    _add_worker(sub)

    migrate = sub.add_parser("migrate", help="apply every pending migration")
    migrate.set_defaults(func=cmd_migrate)

    makemigrations = sub.add_parser("makemigrations", help="write migration files for model changes")
    makemigrations.add_argument("--name", default=None)
    makemigrations.set_defaults(func=cmd_makemigrations)

    seed = sub.add_parser("seed", help="load deterministic synthetic demo data")
    seed.add_argument("--profiles", type=int, default=1000, help="candidate profiles to create")
    seed.add_argument("--seed", type=int, default=42, help="random seed: same seed, same data")
    seed.add_argument("--quiet", action="store_true", help="no progress bar")
    seed.set_defaults(func=cmd_seed)

    export = sub.add_parser("export-schema", help="print the GraphQL SDL (schema.graphql)")
    export.add_argument("--output", default=str(SCHEMA_FILE), help="file to write, or - for stdout")
    export.set_defaults(func=cmd_export_schema)

    create_user = sub.add_parser("create-user", help="create an account and print a token")
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--password", required=True)
    create_user.add_argument("--name", required=True)
    create_user.add_argument("--role", choices=["candidate", "employer"], default="candidate")
    create_user.add_argument("--company", default=None, help="employers: create this company")
    create_user.add_argument("--invitation-code", default=None, help="employers: join a company")
    create_user.set_defaults(func=cmd_create_user)
    _add_create_moderator(sub)

    register = sub.add_parser(
        "register-operations", help="add .graphql operation files to the persisted-query allow-list"
    )
    register.add_argument("paths", nargs="+", help=".graphql files or folders holding them")
    register.set_defaults(func=cmd_register_operations)

    rates = sub.add_parser(
        "update-rates", help="replace the shipped ECB euro reference rates (salary floors compare currencies with them)"
    )
    source = rates.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", help="an ECB eurofxref.csv, eurofxref-hist.csv or eurofxref-daily.xml file")
    source.add_argument(
        "--url", help="the same from a URL, e.g. https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    )
    rates.add_argument("--output", default=None, help="file to write (default: the shipped resolvers/data/eurofxref.csv)")
    rates.set_defaults(func=cmd_update_rates)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
