"""A pipeline page of 50 entries: GraphQL through the real app vs hand-written SQL + json.

    .venv/bin/python bench/pipeline_page.py [--runs 30] [--first 50] [--database-url sqlite://…]

Seeds a fresh database (its own small seeding: 200 candidates, some anonymous, some
EMPLOYERS-only, a few hidden; every 10th blocks the bench company by company or by its
verified domain; half of the anonymous ones accepted its contact; 150 of them on one role
at every stage, each with 3 notes and 2 of 5 tags; a second role's entries around them),
then times the employer's `pipeline(roleId, first: 50)` page with candidate, profile,
stage, last note (with its author) and tags — in-process over httpx.ASGITransport with the
app's lifespan running — against a hand-written endpoint: authenticate the token, check
the role is the company's, the same privacy rules in SQL (profile visible to the
company, blocks by company or domain, identity of an anonymous candidate only after an
accepted contact), one statement per kind, the same JSON document serialised with `json`
(checked equal to the GraphQL response before timing). Prints both medians (wall-clock
and process CPU) and the ratios, side by side from one run.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # noqa: E402
    DOMAIN,
    Employer,
    Page,
    accept_contacts,
    arguments,
    database,
    employer_viewer,
    iso,
    placeholders,
    run,
    seed_candidates,
)
from graph.settings import Settings  # noqa: E402
from models.accounts import Company  # noqa: E402
from models.hiring import PipelineEntry, PipelineEntryTag, PipelineNote, PipelineStage, PipelineTag  # noqa: E402
from models.hiring import Role as HiringRole  # noqa: E402
from models.profiles import Block, Profile, SalaryPeriod, Visibility  # noqa: E402
from resolvers.ids import to_global_id  # noqa: E402
from resolvers.pagination import encode_cursor  # noqa: E402
from resolvers.profiles.access import blocking_domains  # noqa: E402

PAGE = """
query Page($roleId: ID!, $first: Int!) {
  pipeline(roleId: $roleId, first: $first) {
    totalCount
    edges { cursor node {
      id stage version stageChangedAt
      candidate { id displayName }
      profile { id handle displayName headline }
      lastNote { body createdAt author { displayName } }
      tags { name }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

STAGES = [s for s in PipelineStage if s != PipelineStage.CUSTOM]


async def seed(candidates: int) -> None:
    users = await seed_candidates(candidates)
    visibility = {0: Visibility.EMPLOYERS, 1: Visibility.PUBLIC, 2: Visibility.PUBLIC, 3: Visibility.PUBLIC}
    await Profile.bulk_create(
        [
            Profile(user_id=u.pk, handle=f"bench-{n}", headline=f"Engineer {n}", summary="Builds things.",
                    city="Berlin", country_code="DE", anonymous=n % 4 == 1, desired_roles=["Engineer"],
                    visibility=Visibility.HIDDEN if n % 25 == 7 else visibility[n % 4])
            for n, u in enumerate(users)
        ],
        batch_size=500,
    )


async def seed_pipeline(company_id: int, boss_id: int, on_role: int) -> int:
    """Two roles of the bench company; the first holds ``on_role`` candidates, the second
    the rest. Blocks and accepted contacts make the privacy rules do work. Returns the
    first role's id."""
    profiles = await Profile.all().order_by("id")
    await Block.bulk_create([
        Block(profile_id=p.pk, company_id=company_id if n % 20 == 5 else None, domain=None if n % 20 == 5 else DOMAIN)
        for n, p in enumerate(profiles) if n % 10 == 5
    ])
    await accept_contacts(company_id, [p for n, p in enumerate(profiles) if n % 8 == 1])
    roles = [
        await HiringRole.create(company_id=company_id, owner_id=boss_id, title=f"Engineer {k}", salary_min=50_000,
                                salary_max=70_000, salary_currency="EUR", salary_period=SalaryPeriod.YEAR)
        for k in (1, 2)
    ]
    await PipelineEntry.bulk_create([
        PipelineEntry(role_id=roles[0 if n < on_role else 1].pk, company_id=company_id, candidate_id=p.user_id,
                      stage=STAGES[n % len(STAGES)], added_by_id=boss_id)
        for n, p in enumerate(profiles)
    ], batch_size=500)
    entries = await PipelineEntry.filter(company_id=company_id).order_by("id")
    await PipelineNote.bulk_create([
        PipelineNote(entry_id=e.pk, author_id=boss_id, body=f"Note {k} on entry {e.pk}: **strong** on systems.")
        for e in entries for k in range(3)
    ], batch_size=500)
    tags = [await PipelineTag.create(company_id=company_id, name=name) for name in ("backend", "python", "remote", "senior", "visa")]
    await PipelineEntryTag.bulk_create([
        PipelineEntryTag(entry_id=e.pk, tag_id=tags[(n + k) % len(tags)].pk) for n, e in enumerate(entries) for k in (0, 2)
    ], batch_size=500)
    return roles[0].pk


async def by_hand(first: int, settings: Settings, token: str, role_id: int) -> str:
    """The same response, written by hand: authenticate the token, check the role is the
    viewer's company's, apply the same privacy rules in SQL, one statement per kind, the
    same JSON (global IDs, cursors, camelCase, ISO dates, pageInfo) serialised with ``json``."""
    db, pg = database()
    viewer = await employer_viewer(db, pg, settings, token)
    company_id = viewer["company_id"]
    if not await db.execute_query_dict(f"SELECT 1 FROM hiring_role WHERE id = {placeholders(pg, 1)} AND company_id = {placeholders(pg, 1, 2)}", [role_id, company_id]):
        return json.dumps({"data": {"pipeline": None}})
    verified = bool(viewer["verified"])
    domains = blocking_domains(Company(verified=verified, domain=viewer["domain"])) if verified else []
    visibilities = "('PUBLIC', 'EMPLOYERS')" if verified else "('PUBLIC')"
    # In the order the placeholders appear (SQLite's ``?`` are positional).
    params: list[Any] = [company_id, *domains, company_id, role_id]
    m = placeholders(pg, len(params)).split(", ")
    by_domain = f" OR b.domain IN ({', '.join(m[1:1 + len(domains)])})" if domains else ""
    rows = await db.execute_query_dict(
        "SELECT e.id, e.stage, e.version, e.stage_changed_at, e.candidate_id, p.id AS profile_id, p.handle,"
        " p.headline, p.anonymous, u.display_name,"
        f" p.visibility IN {visibilities} AND u.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM block b"
        f" WHERE b.profile_id = p.id AND (b.company_id = {m[0]}{by_domain})) AS visible,"
        f" EXISTS (SELECT 1 FROM conversation c WHERE c.company_id = {m[-2]} AND c.candidate_id = e.candidate_id"
        " AND c.status = 'ACCEPTED') AS accepted"
        " FROM hiring_pipeline_entry e LEFT JOIN \"user\" u ON u.id = e.candidate_id"
        f" LEFT JOIN profile p ON p.user_id = e.candidate_id WHERE e.role_id = {m[-1]}"
        f" ORDER BY e.id DESC LIMIT {first + 1}",
        params,
    )
    total = (await db.execute_query_dict(f"SELECT COUNT(*) AS n FROM hiring_pipeline_entry WHERE role_id = {placeholders(pg, 1)}", [role_id]))[0]["n"]
    has_next_page = len(rows) > first
    rows = rows[:first]
    ids = [r["id"] for r in rows]
    marks = placeholders(pg, len(ids))
    notes = {
        r["entry_id"]: r for r in await db.execute_query_dict(
            "SELECT n.entry_id, n.body, n.created_at, u.display_name FROM hiring_pipeline_note n"
            " LEFT JOIN \"user\" u ON u.id = n.author_id WHERE n.id IN (SELECT MAX(id) FROM hiring_pipeline_note"
            f" WHERE entry_id IN ({marks}) GROUP BY entry_id)",
            ids,
        )
    } if ids else {}
    tags: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for r in await db.execute_query_dict(
            "SELECT et.entry_id, t.name FROM hiring_pipeline_entry_tag et JOIN hiring_pipeline_tag t ON t.id = et.tag_id"
            f" WHERE et.entry_id IN ({marks}) ORDER BY t.name",
            ids,
        ):
            tags[r["entry_id"]].append({"name": r["name"]})
    edges = [{"cursor": encode_cursor([r["id"]]), "node": _node(r, notes.get(r["id"]), tags[r["id"]])} for r in rows]
    page_info = {"hasNextPage": has_next_page, "endCursor": edges[-1]["cursor"] if edges else None}
    return json.dumps({"data": {"pipeline": {"totalCount": total, "edges": edges, "pageInfo": page_info}}})


def _node(r: dict[str, Any], note: dict[str, Any] | None, tags: list[dict[str, Any]]) -> dict[str, Any]:
    visible = r["profile_id"] is not None and bool(r["visible"])
    identity = visible and (not r["anonymous"] or bool(r["accepted"]))
    return {
        "id": to_global_id("PipelineEntry", r["id"]), "stage": r["stage"], "version": r["version"],
        "stageChangedAt": iso(r["stage_changed_at"]),
        "candidate": {"id": to_global_id("User", r["candidate_id"]), "displayName": r["display_name"]} if identity else None,
        "profile": {
            "id": to_global_id("Profile", r["profile_id"]), "handle": r["handle"] if identity else None,
            "displayName": r["display_name"] if identity else None, "headline": r["headline"],
        } if visible else None,
        "lastNote": {
            "body": note["body"], "createdAt": iso(note["created_at"]), "author": {"displayName": note["display_name"]},
        } if note else None,
        "tags": tags,
    }


async def prepare(employer: Employer, first: int, on_role: int) -> Page:
    """A verified company at its own domain (EMPLOYERS-only profiles and domain blocks
    apply), its two roles' pipelines; the page of the first role."""
    company_id = employer.user.company_id
    assert company_id is not None
    await Company.filter(id=company_id).update(verified=True, domain=DOMAIN)
    role_id = await seed_pipeline(company_id, employer.user.pk, on_role)

    async def sql() -> str:
        return await by_hand(first, employer.settings, employer.token, role_id)

    variables = {"roleId": to_global_id("HiringRole", role_id), "first": first}
    return Page("pipeline", variables, sql, min(first, on_role))


async def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--on-role", type=int, default=150, help="entries on the measured role (the rest on another)")
    args = parser.parse_args()
    await run(args, PAGE, "entries", lambda: seed(args.candidates), lambda employer: prepare(employer, args.first, args.on_role))


if __name__ == "__main__":
    asyncio.run(main())
