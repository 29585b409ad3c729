"""Search benchmark on SQLite: GraphQL (in-process ASGI, the real app) vs the same raw SQL.

    /work/main/.venv/bin/python -m bench.search                   # 10k and 100k profiles
    /work/main/.venv/bin/python -m bench.search --profiles 1000000 --repeat 20
    /work/main/.venv/bin/python -m bench.search --keep-db /tmp/search-bench --only "rare skill"

For each size it bulk-seeds a fresh SQLite file (migrations applied, triggers dropped
during the load, index rebuilt in one statement, triggers restored), then runs five
representative searches, first page of 20 with totalCount and facets:

- keyword:       a word in ~90% of profiles (exercises windowed ranking)
- keyword+2:     a word in ~25% of profiles + country + remote preference
- filters:       countries + minimum years, no text
- phrase:        "data engineer"
- rare skill:    allSkills [cobol] (~0.1% of profiles)

"raw SQL" replays, on a plain sqlite3 connection, exactly the statements the resolver
issued for that search (captured from one GraphQL call); "GraphQL" is the whole HTTP
request through the app. Prints p50/p95/p99 (ms), the GraphQL/raw ratio and the growth
from the first size to the next.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import pickle
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SKILLS = (
    ["Python", "SQL", "JavaScript", "TypeScript", "Java", "Go", "Rust", "Kubernetes", "Docker", "AWS",
     "React", "Django", "PostgreSQL", "Terraform", "Kotlin", "Swift", "C#", "Scala", "Spark", "Airflow"]
    + [f"Tool{i}" for i in range(180)]
)
TITLES = ["Data engineer", "Backend developer", "Frontend developer", "Platform engineer", "Product designer",
          "Machine learning engineer", "Site reliability engineer", "Mobile developer", "Engineering manager",
          "QA engineer", "Security engineer", "Data scientist"]
COUNTRIES = ["DE", "FR", "US", "GB", "NL", "ES", "IT", "PL", "SE", "CA", "PT", "AT", "CH", "IE", "DK"]
CITIES = {"DE": "Berlin", "FR": "Paris", "US": "Boston", "GB": "London", "NL": "Amsterdam"}
# 600 made-up words: every first x middle x last part (a word's index is a*60 + b*6 + c).
WORD_PARTS = (("ka", "lo", "mi", "nu", "pe", "ra", "si", "tu", "vo", "ze"),
              ("b", "d", "g", "l", "m", "n", "r", "s", "t", "v"), ("an", "el", "ix", "or", "um", "yst"))
WORDS = [f"{a}{b}{c}" for a in WORD_PARTS[0] for b in WORD_PARTS[1] for c in WORD_PARTS[2]]

SEARCH = """
query Bench($query: String, $filter: SearchFilterInput) {
  searchCandidates(query: $query, filter: $filter, first: 20) {
    totalCount totalCountIsExact rankingApproximate
    facets { skills { value count } countries { value count } remotePreferences { value count } openToWork { value count } approximate }
    pageInfo { hasNextPage endCursor }
    edges {
      cursor score
      node { id headline displayName countryCode yearsOfExperience skills { name level } }
      highlights { field text matches { start length } }
    }
  }
}
"""

SEARCHES: list[tuple[str, dict[str, Any]]] = [
    ("keyword 90%", {"query": "experienced"}),
    ("keyword+2 filters", {"query": "python", "filter": {"countries": ["DE"], "remotePreferences": ["REMOTE"]}}),
    ("filters only", {"filter": {"countries": ["US", "GB"], "minYears": 5}}),
    ("phrase", {"query": '"data engineer"'}),
    ("rare skill", {"filter": {"allSkills": ["cobol"]}}),
]


def seed(path: Path, profiles: int, rng: random.Random) -> None:
    """Bulk load on a plain sqlite3 connection; the index is rebuilt once at the end."""
    import importlib

    sql_module = importlib.import_module("migrations.0002_search_index")

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    now = datetime.now(timezone.utc)
    users, rows, skills, jobs = [], [], [], []
    skill_id = job_id = 0
    for pid in range(1, profiles + 1):
        country = rng.choice(COUNTRIES)
        users.append((pid, f"c{pid}@bench.test", "x", "CANDIDATE", f"Candidate {pid}", now.isoformat(" ")))
        title = rng.choice(TITLES)
        summary_words = rng.sample(WORDS, 25)
        if rng.random() < 0.9:
            summary_words.insert(rng.randrange(25), "experienced")
        confirmed = now - timedelta(days=rng.randrange(0, 90))
        updated = now - timedelta(minutes=rng.randrange(0, 500_000))
        rows.append((
            pid, pid, f"candidate-{pid}", f"{rng.choice(['Senior', 'Junior', 'Lead', ''])} {title}".strip(),
            " ".join(summary_words), CITIES.get(country), country,
            rng.choice(["REMOTE", "HYBRID", "ONSITE"]),
            rng.choices(["ACTIVELY_LOOKING", "OPEN", "NOT_LOOKING", "HIRED"], [4, 4, 2, 1])[0],
            rng.choices(["EMPLOYERS", "PUBLIC", "HIDDEN"], [6, 3, 1])[0],
            int(rng.random() < 0.2), "[]", "[]", " ".join(rng.sample(WORDS, 8)),
            rng.randrange(0, 25), confirmed.isoformat(" "), now.isoformat(" "), updated.isoformat(" "),
            "VERIFIED_COMPANIES",
        ))
        chosen = rng.sample(range(len(SKILLS)), rng.randrange(3, 9))
        if rng.random() < 0.25 and 0 not in chosen:
            chosen.append(0)  # python in ~25%+
        names = [SKILLS[i] for i in chosen]
        if rng.random() < 0.001:
            names.append("COBOL")
        for position, name in enumerate(names):
            skill_id += 1
            skills.append((skill_id, pid, name, name.lower(), rng.randrange(1, 6), position))
        for position in range(rng.randrange(1, 3)):
            job_id += 1
            jobs.append((job_id, pid, rng.choice(TITLES), "Somewhere", "2018-01-01", " ".join(rng.sample(WORDS, 12)), position))
    conn.executemany(
        'INSERT INTO "user"(id, email, password_hash, role, display_name, created_at) VALUES (?,?,?,?,?,?)', users
    )
    conn.executemany(
        "INSERT INTO profile(id, user_id, handle, headline, summary, city, country_code, remote_preference,"
        " open_to_work, visibility, anonymous, desired_roles, work_authorization, career_goals, years_of_experience,"
        " availability_confirmed_at, created_at, updated_at, accept_contact_from)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO skill(id, profile_id, name, normalized_name, level, position) VALUES (?,?,?,?,?,?)", skills
    )
    conn.executemany(
        "INSERT INTO experience(id, profile_id, title, company_name, start_date, description, current, position)"
        " VALUES (?,?,?,?,?,?,0,?)",
        jobs,
    )
    conn.execute("DELETE FROM profile_search")
    conn.execute(sql_module.SQLITE_REBUILD)
    conn.execute("INSERT INTO profile_search(profile_search) VALUES ('optimize')")
    for _, trigger_sql in triggers:
        conn.execute(trigger_sql)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return statistics.median(ordered), pick(0.95), pick(0.99)


BENCH_SETTINGS_EXTRA = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}

Replay = Callable[[list[tuple[str, list[Any]]]], Awaitable[None]]


async def employer_headers(http: Any) -> dict[str, str]:
    """Sign up the employer who searches; its token goes in every request."""
    signup = await http.post("/graphql", json={"query": "mutation($i: SignUpInput!) { signUp(input: $i) { token userErrors { message } } }",
                                                 "variables": {"i": {"email": f"boss@bench-{random.randrange(1 << 30)}.test", "password": "correct horse battery", "displayName": "Boss", "role": "EMPLOYER", "companyName": f"Bench {random.randrange(1 << 30)}"}}})
    headers = {"Authorization": f"Bearer {signup.json()['data']['signUp']['token']}"}
    await confirm_employer(http, headers)
    return headers


async def confirm_employer(http: Any, headers: dict[str, str]) -> None:
    """Employers search only once their email is confirmed: read the code from the
    in-process app's outbox, as a newcomer reads their mail, and send it back."""
    import re

    from models.mail import OutboxMail

    row = await OutboxMail.filter(kind="confirm_email").order_by("-id").first()
    assert row is not None, "no confirmation mail in the outbox"
    found = re.search(r"confirmation code is (\d{6})", row.body_text)
    assert found is not None, row.body_text
    confirmed = await http.post("/graphql", headers=headers, json={
        "query": "mutation($i: ConfirmEmailInput!) { confirmEmail(input: $i) { userErrors { message } } }",
        "variables": {"i": {"code": found.group(1)}}})
    assert not confirmed.json()["data"]["confirmEmail"]["userErrors"], confirmed.text


async def measure_searches(app: Any, client_class: type, replay: Replay, repeat: int) -> dict[str, dict[str, float]]:
    """Run ``SEARCHES`` through the app (its lifespan already entered) and replay the SQL
    each one issued with ``replay``; print and return the percentiles.

    ``client_class`` is the Tortoise client whose ``execute_query``/``execute_query_dict``
    are patched for one call to capture the statements."""
    import httpx

    results: dict[str, dict[str, float]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        headers = await employer_headers(http)
        print(f"{'search':<20}{'GraphQL p50/p95/p99 ms':>26}{'raw SQL p50/p95/p99 ms':>26}{'ratio p50':>11}{'hits':>9}  notes")
        for name, variables in SEARCHES:
            # capture the statements one search issues
            captured: list[tuple[str, list[Any]]] = []
            originals = (client_class.execute_query, client_class.execute_query_dict)

            async def rec_query(self, query, values=None, _o=originals[0], captured=captured):
                captured.append((query, list(values or [])))
                return await _o(self, query, values)

            async def rec_dict(self, query, values=None, _o=originals[1], captured=captured):
                captured.append((query, list(values or [])))
                return await _o(self, query, values)

            client_class.execute_query, client_class.execute_query_dict = rec_query, rec_dict
            try:
                response = (await http.post("/graphql", json={"query": SEARCH, "variables": variables}, headers=headers)).json()
            finally:
                client_class.execute_query, client_class.execute_query_dict = originals
            assert "errors" not in response, response
            data = response["data"]["searchCandidates"]
            # authentication statements are not part of search
            statements = [(q, v) for q, v in captured if "auth_token" not in q and 'FROM "user"' not in q[:200]]
            for _ in range(3):
                await http.post("/graphql", json={"query": SEARCH, "variables": variables}, headers=headers)
            gql_times: list[float] = []
            gql_cpu: list[float] = []  # process CPU (the SQLite thread included): stable under load
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                await http.post("/graphql", json={"query": SEARCH, "variables": variables}, headers=headers)
                gql_times.append((time.perf_counter() - t0) * 1000)
                gql_cpu.append((time.process_time() - c0) * 1000)
            raw_times: list[float] = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                await replay(statements)
                raw_times.append((time.perf_counter() - t0) * 1000)
            if os.environ.get("BENCH_VERBOSE"):
                for statement in statements:
                    t0 = time.perf_counter()
                    await replay([statement])
                    print(f"    {(time.perf_counter() - t0) * 1000:7.2f} ms  {statement[0][:150]}")
            g, r = percentiles(gql_times), percentiles(raw_times)
            notes = [f"CPU p50 {statistics.median(gql_cpu):.1f} ms"]
            if data["rankingApproximate"]:
                notes.append("windowed ranking")
            if data["facets"]["approximate"]:
                notes.append("facets sampled")
            if not data["totalCountIsExact"]:
                notes.append("count estimated")
            print(f"{name:<20}{'{:.1f} / {:.1f} / {:.1f}'.format(*g):>26}{'{:.1f} / {:.1f} / {:.1f}'.format(*r):>26}{g[0] / r[0]:>10.2f}x{data['totalCount']:>9,}  {', '.join(notes)}")
            results[name] = {"gql_p50": g[0], "gql_p99": g[2], "raw_p50": r[0], "raw_p99": r[2], "hits": data["totalCount"],
                             "gql_cpu_p50": statistics.median(gql_cpu)}
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return results


def print_growth(sizes: list[int], all_results: dict[int, dict[str, dict[str, float]]]) -> None:
    for small, large in itertools.pairwise(sizes):
        print(f"\ngrowth {small:,} -> {large:,} (GraphQL p50):")
        for name, _ in SEARCHES:
            a, b = all_results[small][name]["gql_p50"], all_results[large][name]["gql_p50"]
            print(f"  {name:<20}{a:>8.1f} ms -> {b:>8.1f} ms  ({b / a:.1f}x)")


async def run_size(profiles: int, repeat: int, rng: random.Random, keep: Path | None = None) -> dict[str, dict[str, float]]:
    """``keep``: a seeded file to reuse if it exists (seeded and kept there if not), so
    repeated runs skip the minute-long 100k load; ``None`` seeds a fresh temporary file."""
    from tortoise.backends.sqlite.client import SqliteClient

    from graph.app import create_app
    from graph.database import apply_migrations
    from graph.settings import Settings

    if keep is None:
        workdir = Path(tempfile.mkdtemp(prefix="ofw-bench-"))
        path = workdir / "bench.sqlite3"
    else:
        path = keep
    # the random stream's state after seeding is kept beside the file, so that the next
    # size seeds the same data whether this one was seeded or reused
    state_file = None if keep is None else keep.with_name(keep.name + ".rng")
    reused = state_file is not None and state_file.exists() and path.exists()
    if reused and state_file is not None:
        rng.setstate(pickle.loads(state_file.read_bytes()))
    elif keep is not None:
        for left in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            left.unlink(missing_ok=True)  # a file left by an interrupted seeding
    # scheduler off: the in-process scheduler would mail digests to the seeded candidates
    # during the runs (seconds of CPU in the measured loop)
    settings = Settings(environment="test", database_url=f"sqlite://{path}", extra=BENCH_SETTINGS_EXTRA, scheduler="off")
    await apply_migrations(settings)
    started = time.perf_counter()
    if reused:
        print(f"\n== {profiles:,} profiles (reusing {path}, {path.stat().st_size / 1e6:.0f} MB)")
    else:
        seed(path, profiles, rng)
        if state_file is not None:
            state_file.write_bytes(pickle.dumps(rng.getstate()))
        print(f"\n== {profiles:,} profiles (seeded in {time.perf_counter() - started:.1f}s, {path.stat().st_size / 1e6:.0f} MB)")

    app = create_app(settings)
    raw = sqlite3.connect(path)

    async def replay(statements: list[tuple[str, list[Any]]]) -> None:
        for query, values in statements:
            raw.execute(query, values).fetchall()

    try:
        async with app.router.lifespan_context(app):
            results = await measure_searches(app, SqliteClient, replay, repeat)
    finally:
        raw.close()
    if keep is None:
        for f in path.parent.iterdir():
            f.unlink()
        path.parent.rmdir()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-db", type=Path, metavar="DIR",
                        help="keep the seeded databases in DIR and reuse them on later runs with the same"
                             " --seed and --profiles (a reused file also holds the employers of earlier runs)")
    parser.add_argument("--only", nargs="+", metavar="SEARCH",
                        help="run only these searches (names as printed, e.g. 'rare skill'); with"
                             " several sizes the growth table is skipped")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if args.only:
        unknown = set(args.only) - {name for name, _ in SEARCHES}
        if unknown:
            parser.error(f"unknown searches {sorted(unknown)}; known: {[name for name, _ in SEARCHES]}")
        SEARCHES[:] = [(name, variables) for name, variables in SEARCHES if name in args.only]
    rng = random.Random(args.seed)
    all_results = {}
    for index, size in enumerate(args.profiles):
        keep = None
        if args.keep_db is not None:
            args.keep_db.mkdir(parents=True, exist_ok=True)
            # the seed's random stream runs on from one size to the next: a file holds
            # the data of its size only after the same sizes before it
            sizes = "-".join(str(n) for n in args.profiles[: index + 1])
            keep = args.keep_db / f"bench-seed{args.seed}-{sizes}.sqlite3"
        all_results[size] = asyncio.run(run_size(size, args.repeat, rng, keep))
    if not args.only or len(SEARCHES) == len(args.only):
        print_growth(args.profiles, all_results)


if __name__ == "__main__":
    main()
