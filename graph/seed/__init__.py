"""Deterministic synthetic demo data: ``openforwork seed`` and ``serve --seed-demo``.

``seed_database(settings, profiles=N, seed=S)`` creates verified companies with one to
three employers each (one company per ~50 candidates, at least 5) and N candidates with
complete profiles (skills, experience, education, work samples, references) in a dozen
countries, a few interviews of this run's first company (``graph/seed/interviews.py``) and
its hiring roles with a pipeline at every stage before OFFER, notes, tags and ratings
(``graph/seed/hiring.py``). The same seed gives the same people, texts and skills; dates are relative to
today. Every seeded account signs in with ``DEMO_PASSWORD``.

Rows are written with ``bulk_create``, one transaction per chunk of candidates, with
primary keys assigned here (after the highest id already in each table) so that
children point at parents without reading ids back. Seed while nothing else writes:
the CLI does it before uvicorn starts.
"""

from __future__ import annotations

import contextlib
import importlib
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count
from typing import Any, cast

from tortoise import Tortoise, connections
from tortoise.models import Model
from tortoise.transactions import in_transaction

from graph.database import tortoise_config
from graph.seed.hiring import seed_hiring
from graph.seed.interviews import seed_interviews
from graph.seed.notifications import seed_inbox
from graph.seed.people import TABLES, Ids, Rows, make_candidate, make_companies
from graph.seed.safety import seed_safety
from graph.settings import Settings
from models.accounts import Company
from models.profiles import Profile, Visibility
from resolvers.accounts import hash_password

__all__ = ["DEMO_PASSWORD", "seed_database"]

DEMO_PASSWORD = "demo-password-123"
CHUNK_PROFILES = 2_000
PROFILES_PER_COMPANY = 50
MIN_COMPANIES = 5


@dataclass
class SeedSummary:
    candidates: int = 0
    companies: int = 0
    employers: int = 0
    rows: int = 0
    candidate_login: str | None = None
    employer_login: str | None = None
    moderator_login: str | None = None


async def _next_ids() -> Ids:
    conn = connections.get("default")
    counters: dict[type[Model], Iterator[int]] = {}
    for model in TABLES:
        rows = await conn.execute_query_dict(f'SELECT MAX(id) AS top FROM "{model._meta.db_table}"')
        counters[model] = count((rows[0]["top"] or 0) + 1)
    return Ids(counters)


async def _write(rows: Rows) -> None:
    async with in_transaction() as conn:
        for model, instances in rows.by_model.items():
            if instances:
                await model.bulk_create(instances, using_db=conn)


async def _reset_sequences() -> None:
    """Explicit ids bypass PostgreSQL's sequences: move each one past the seeded rows."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        return
    for model in TABLES:
        table = model._meta.db_table
        await conn.execute_query(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
        )


async def _seed(settings: Settings, profiles: int, seed: int, progress: bool) -> SeedSummary:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    password_hash = await hash_password(settings, DEMO_PASSWORD)
    ids = await _next_ids()
    summary = SeedSummary(candidates=profiles)

    rows = Rows()
    # Tortoise types a flat value list as a tuple; it is a list of the column's values.
    taken = set(cast(list[str], await Company.exclude(domain=None).values_list("domain", flat=True)))
    summary.companies = max(MIN_COMPANIES, round(profiles / PROFILES_PER_COMPANY))
    employers, employer_emails = make_companies(
        rng, summary.companies, ids, rows, password_hash=password_hash, taken_domains=taken, now=now
    )
    summary.employers, summary.employer_login = len(employer_emails), employer_emails[0]
    summary.rows += len(rows)
    await _write(rows)

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=profiles, unit="profile", desc="Seeding", smoothing=0.1)
    try:
        async with _search_index_rebuilt_after():
            await _write_candidates(rng, profiles, ids, password_hash, employers, now, summary, bar)
    finally:
        if bar is not None:
            bar.close()
    await _reset_sequences()
    summary.rows += await seed_interviews(now, summary.employer_login)
    summary.rows += await seed_hiring(now, summary.employer_login)
    summary.moderator_login = await seed_safety(password_hash)
    await seed_inbox(summary.employer_login, summary.candidate_login)
    return summary


@contextlib.asynccontextmanager
async def _search_index_rebuilt_after() -> AsyncIterator[None]:
    """Load without the search-index triggers, then index every profile in one
    statement and put the triggers back (a row-by-row refresh per skill and experience
    made seeding 100k profiles ~4x slower). Seeding is an offline job: no other writer
    may run meanwhile."""
    search = importlib.import_module("migrations.0002_search_index")
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'profile_search_%'"
        )
        triggers = [(row["name"], row["sql"]) for row in rows]
        for name, _sql in triggers:
            await conn.execute_script(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            await conn.execute_script("DELETE FROM profile_search")
            await conn.execute_script(search.SQLITE_REBUILD)
            for _name, sql in triggers:
                await conn.execute_script(sql)
        return
    tables = ("profile", "skill", "experience")
    for table in tables:
        await conn.execute_script(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        await conn.execute_script(search.POSTGRES_REBUILD)
        for table in tables:
            await conn.execute_script(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


async def _write_candidates(
    rng: random.Random, profiles: int, ids: Ids, password_hash: str, employers: Any, now: datetime,
    summary: SeedSummary, bar: Any,
) -> None:
    for done in range(0, profiles, CHUNK_PROFILES):
        rows = Rows()
        size = min(CHUNK_PROFILES, profiles - done)
        for _ in range(size):
            # One rng per candidate: each profile depends only on the seed and its rank.
            email, visibility = make_candidate(
                random.Random(rng.getrandbits(64)), ids, rows,
                password_hash=password_hash, employers=employers, today=now.date(), now=now,
            )
            if summary.candidate_login is None and visibility == Visibility.PUBLIC:
                summary.candidate_login = email
        await _write(rows)
        summary.rows += len(rows)
        if bar is not None:
            bar.update(size)


async def seed_database(
    settings: Settings,
    *,
    profiles: int,
    seed: int = 42,
    progress: bool = True,
    only_if_empty: bool = False,
) -> None:
    """Create ``profiles`` demo candidates plus companies and employers (module doc).

    The database must be migrated. With ``only_if_empty`` nothing happens when any
    profile exists already (``serve --seed-demo`` runs on every start)."""
    if profiles < 0:
        raise ValueError(f"profiles must be at least 0, got {profiles}")
    await Tortoise.init(config=tortoise_config(settings))
    try:
        if only_if_empty and await Profile.exists():
            print("Demo data: the database already has profiles; nothing seeded.")
            return
        summary = await _seed(settings, profiles, seed, progress)
    finally:
        await Tortoise.close_connections()
    print(
        f"Seeded {summary.candidates} candidates and {summary.companies} companies with "
        f"{summary.employers} employers ({summary.rows} rows, seed {seed})."
    )
    print(f"Demo logins, password {DEMO_PASSWORD}:")
    if summary.candidate_login:
        print(f"  candidate  {summary.candidate_login}")
    print(f"  employer   {summary.employer_login}")
    if summary.moderator_login:
        print(f"  moderator  {summary.moderator_login}")
