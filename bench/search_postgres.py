"""Search benchmark on PostgreSQL: the five searches of ``bench.search`` at 1M profiles.

    /work/main/.venv/bin/python -m bench.search_postgres --postgres postgres://postgres@127.0.0.1:5432/test
    /work/main/.venv/bin/python -m bench.search_postgres --postgres URL --profiles 100000 --repeat 20

``URL`` names a server and a database to connect to for administration; the benchmark
creates its own database (``ofw_bench_search_<random>``), applies the migrations, and
drops it at the end (``--keep`` leaves it for EXPLAIN sessions; ``--reuse NAME`` measures
a kept database again after applying any new migrations, without reseeding).

Seeding happens on the server: ``INSERT … SELECT … FROM generate_series(1, N)`` with
deterministic pseudo-random picks (``hashint8extended(i, salt)``) from the same
vocabulary as the SQLite benchmark, so the five searches have the same selectivities
(``experienced`` in ~90% of summaries, python in ~27% of skill lists, cobol in ~0.1%).
The load runs with ``session_replication_role = replica`` (no search-index triggers, no
per-row foreign-key checks; the generated rows are consistent by construction) and
without secondary indexes; then the search index is rebuilt in one statement
(``POSTGRES_REBUILD`` from migrations/0002), the indexes are recreated from their saved
definitions, and the tables are analysed.

Measurement (GraphQL through the in-process app vs the same statements replayed on a
plain asyncpg connection) is ``bench.search.measure_searches``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import secrets
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.search import (
    BENCH_SETTINGS_EXTRA,
    CITIES,
    COUNTRIES,
    SKILLS,
    TITLES,
    WORD_PARTS,
    measure_searches,
    print_growth,
)

TABLES = ("user", "profile", "skill", "experience", "profile_search")

# r(i, salt, n): a deterministic pseudo-random integer in [0, n) for row i.
RANDOM_FUNCTION = """
CREATE FUNCTION pg_temp.r(i BIGINT, salt INT, n INT) RETURNS INT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashint8extended(i, salt) & 2147483647) % n)::int $$
"""


def _array(values: list[str | None] | tuple[str, ...]) -> str:
    """A SQL array literal of our own vocabulary (a constant: cheap to subscript, unlike
    an array read from a table, which is detoasted at every access)."""
    items = ("NULL" if v is None else "'" + v.replace("'", "''") + "'" for v in values)
    return "(ARRAY[" + ", ".join(items) + "]::text[])"


SKILL_NAMES = _array(SKILLS)
TITLE_NAMES = _array(TITLES)
COUNTRY_CODES = _array(COUNTRIES)
CITY_NAMES = _array([CITIES.get(c) for c in COUNTRIES])
_FIRST, _MIDDLE, _LAST = (_array(parts) for parts in WORD_PARTS)


def _word(x: str) -> str:
    """SQL for ``WORDS[x]`` (x in [0, 600)) from its three parts."""
    return f"{_FIRST}[1 + ({x}) / 60] || {_MIDDLE}[1 + ({x}) / 6 % 10] || {_LAST}[1 + ({x}) % 6]"


def _words(count: int, key: str, salt: int) -> str:
    """SQL for ``count`` words picked for row ``key``."""
    return (
        f"(SELECT string_agg({_word('x')}, ' ' ORDER BY k)"
        f" FROM (SELECT k, pg_temp.r(({key}) * 64 + k, {salt}, 600) AS x FROM generate_series(1, {count}) k) w)"
    )


# $1 is the number of profiles.
USERS = """
INSERT INTO "user" (id, email, password_hash, role, display_name, created_at)
SELECT i, 'c' || i || '@bench.test', 'x', 'CANDIDATE', 'Candidate ' || i, now()
FROM generate_series(1, $1::int) i
"""

PROFILES = f"""
INSERT INTO profile (id, user_id, handle, headline, summary, city, country_code, remote_preference,
    open_to_work, visibility, anonymous, desired_roles, work_authorization, career_goals,
    years_of_experience, availability_confirmed_at, created_at, updated_at)
SELECT i, i, 'candidate-' || i,
       ltrim((ARRAY['Senior', 'Junior', 'Lead', ''])[1 + pg_temp.r(i, 1, 4)] || ' '
             || {TITLE_NAMES}[1 + pg_temp.r(i, 2, 12)]),
       -- 25 words, "experienced" among them in 90% of summaries
       (SELECT string_agg(CASE WHEN k = pg_temp.r(i, 13, 26)
                               THEN CASE WHEN pg_temp.r(i, 14, 10) < 9 THEN 'experienced' END
                               ELSE {_word('x')} END, ' ' ORDER BY k)
        FROM (SELECT k, pg_temp.r(i * 64 + k, 12, 600) AS x FROM generate_series(0, 25) k) w),
       {CITY_NAMES}[1 + c], {COUNTRY_CODES}[1 + c],
       (ARRAY['REMOTE', 'HYBRID', 'ONSITE'])[1 + pg_temp.r(i, 4, 3)],
       (ARRAY['ACTIVELY_LOOKING', 'ACTIVELY_LOOKING', 'ACTIVELY_LOOKING', 'ACTIVELY_LOOKING', 'OPEN', 'OPEN',
              'OPEN', 'OPEN', 'NOT_LOOKING', 'NOT_LOOKING', 'HIRED'])[1 + pg_temp.r(i, 5, 11)],
       (ARRAY['EMPLOYERS', 'EMPLOYERS', 'EMPLOYERS', 'EMPLOYERS', 'EMPLOYERS', 'EMPLOYERS', 'PUBLIC', 'PUBLIC',
              'PUBLIC', 'HIDDEN'])[1 + pg_temp.r(i, 6, 10)],
       pg_temp.r(i, 7, 5) = 0, '[]', '[]', {_words(8, "i", 8)}, pg_temp.r(i, 9, 25),
       now() - pg_temp.r(i, 10, 90) * interval '1 day', now(), now() - pg_temp.r(i, 11, 500000) * interval '1 minute'
FROM (SELECT i, pg_temp.r(i, 3, 15) AS c FROM generate_series(1, $1::int) i) g
"""

# 3–8 distinct skills out of SKILLS[1:] (start + j * stride modulo the prime 199), then
# Python in ~27% (as often as the SQLite seed ends up with it) and COBOL in ~0.1%.
SKILL_ROWS = f"""
INSERT INTO skill (profile_id, name, normalized_name, level, position)
SELECT i, name, lower(name), 1 + pg_temp.r(i * 16 + j, 22, 5), j
FROM (
    SELECT i, j, {SKILL_NAMES}[2 + (pg_temp.r(i, 20, 199) + j * (1 + pg_temp.r(i, 21, 198))) % 199] AS name
    FROM generate_series(1, $1::int) i, LATERAL generate_series(0, 2 + pg_temp.r(i, 19, 6)) j
    UNION ALL
    SELECT i, 9, {SKILL_NAMES}[1] FROM generate_series(1, $1::int) i WHERE pg_temp.r(i, 23, 100) < 27
    UNION ALL
    SELECT i, 10, 'COBOL' FROM generate_series(1, $1::int) i WHERE pg_temp.r(i, 24, 1000) = 0
) s
ORDER BY i, j
"""

EXPERIENCE_ROWS = f"""
INSERT INTO experience (profile_id, title, company_name, start_date, description, current, position)
SELECT i, {TITLE_NAMES}[1 + pg_temp.r(i * 4 + j, 31, 12)], 'Somewhere', DATE '2018-01-01',
       {_words(12, "i * 4 + j", 32)}, false, j
FROM generate_series(1, $1::int) i, LATERAL generate_series(0, pg_temp.r(i, 30, 2)) j
"""


def _admin_url(url: str, database: str) -> str:
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    return urlunsplit(parts._replace(path=f"/{database}"))


async def seed(url: str, profiles: int) -> dict[str, float]:
    """Fill the migrated database at ``url``; returns the time of each step (s)."""
    import asyncpg

    rebuild = importlib.import_module("migrations.0002_search_index").POSTGRES_REBUILD
    steps: dict[str, float] = {}
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET session_replication_role = replica")  # no triggers, no FK checks
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await conn.execute(RANDOM_FUNCTION)
        indexes = await conn.fetch(
            "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS ddl"
            " FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [f'"{t}"' for t in TABLES],
        )
        for index in indexes:
            await conn.execute(f"DROP INDEX {index['name']}")
        for name, sql in (("user", USERS), ("profile", PROFILES), ("skill", SKILL_ROWS), ("experience", EXPERIENCE_ROWS)):
            t0 = time.perf_counter()
            await conn.execute(sql, profiles)
            steps[name] = time.perf_counter() - t0
        for table in ("user", "profile"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), $1)", profiles)
        t0 = time.perf_counter()
        await conn.execute("TRUNCATE profile_search")
        await conn.execute(rebuild)
        steps["profile_search"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for index in indexes:
            await conn.execute(index["ddl"])
        steps["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        steps["vacuum analyze"] = time.perf_counter() - t0
    finally:
        await conn.close()
    return steps


async def run_size(
    admin_url: str, profiles: int, repeat: int, keep: bool, reuse_database: str | None = None
) -> dict[str, dict[str, float]]:
    import asyncpg
    from tortoise.backends.asyncpg.client import AsyncpgDBClient

    from graph.app import create_app
    from graph.database import apply_migrations, tortoise_config
    from graph.settings import Settings

    reuse = name = reuse_database
    admin = await asyncpg.connect(admin_url)
    if name is None:
        name = f"ofw_bench_search_{secrets.token_hex(4)}"
        await admin.execute(f"CREATE DATABASE {name}")
    url = _admin_url(admin_url, name)
    try:
        settings = Settings(environment="test", database_url=url.replace("postgresql://", "postgres://", 1), extra=BENCH_SETTINGS_EXTRA)
        await apply_migrations(settings)
        if reuse is None:
            started = time.perf_counter()
            steps = await seed(url, profiles)
            elapsed = time.perf_counter() - started
            detail = ", ".join(f"{k} {v:.1f}s" for k, v in steps.items())
        else:  # a database kept by an earlier run (--keep): migrated above, not reseeded
            await admin.close()
            admin = await asyncpg.connect(url)
            await admin.execute("ANALYZE")
            profiles = await admin.fetchval("SELECT count(*) FROM profile")
            elapsed, detail = 0.0, "reused, not reseeded"
        size = await admin.fetchval("SELECT pg_database_size($1)", name)
        print(f"\n== {profiles:,} profiles on PostgreSQL, database {name} (seeded in {elapsed:.1f}s: {detail}; {size / 1e6:.0f} MB)")
        app = create_app(settings)
        # the same session settings as the app's pool (plan_cache_mode among them)
        server_settings = tortoise_config(settings)["connections"]["default"]["credentials"].get("server_settings")
        raw = await asyncpg.connect(url, server_settings=server_settings)

        async def replay(statements: list[tuple[str, list[Any]]]) -> None:
            for query, values in statements:
                await raw.fetch(query, *values)

        try:
            async with app.router.lifespan_context(app):
                results = await measure_searches(app, AsyncpgDBClient, replay, repeat)
        finally:
            await raw.close()
    finally:
        if keep or reuse is not None:
            print(f"kept database {name}: {url}")
        else:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, metavar="URL", help="server (and a database to connect to for CREATE/DROP DATABASE)")
    parser.add_argument("--profiles", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per search and side (after 3 warm-ups)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (prints its URL)")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept by --keep (new migrations applied, no reseeding)")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    admin_url = args.postgres.replace("postgres://", "postgresql://", 1)
    all_results = {}
    for size in args.profiles:
        all_results[size] = asyncio.run(run_size(admin_url, size, args.repeat, args.keep, args.reuse))
    print_growth(args.profiles, all_results)


if __name__ == "__main__":
    main()
