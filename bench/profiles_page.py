"""A page of 50 full profiles: GraphQL through the real app vs hand-written SQL + json.

    /work/main/.venv/bin/python bench/profiles_page.py [--runs 30] [--database-url sqlite://…]

Seeds a fresh database (its own small seeding: 200 candidates with 5 skills, 2 positions,
education, a work sample, a reference and 3 endorsements per skill; every 10th candidate
blocks the employer, some anonymous ones accepted its contact), then times the employer's
`profiles(first: 50)` page with every part, the first 3 endorsements per skill and the
endorsers' names — in-process over httpx.ASGITransport with the app's lifespan running —
against a hand-written endpoint: authenticate the token, the same privacy rules in SQL,
one statement per kind, the same JSON document serialised with `json` (checked equal to
the GraphQL response before timing). Prints both medians and the ratio.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (  # noqa: E402
    Employer,
    Page,
    accept_contacts,
    arguments,
    database,
    employer_viewer,
    iso,
    json_list,
    placeholders,
    run,
    seed_candidates,
)
from graph.settings import Settings  # noqa: E402
from models.profiles import (  # noqa: E402
    Block,
    Education,
    Endorsement,
    Experience,
    Profile,
    Reference,
    Skill,
    Visibility,
    WorkSample,
)
from resolvers.ids import to_global_id  # noqa: E402
from resolvers.pagination import encode_cursor  # noqa: E402

PAGE = """
query Page($first: Int!) {
  profiles(first: $first) {
    edges { cursor node {
      id handle displayName headline summary city countryCode remotePreference openToWork
      desiredRoles yearsOfExperience updatedAt
      skills { id name level years endorsementCount endorsements(first: 3) { id comment endorser { displayName } } }
      experience { id title companyName startDate endDate current }
      education { id school degree }
      workSamples { id title url kind }
      references { id name relationship }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def seed(candidates: int) -> None:
    users = await seed_candidates(candidates)
    await Profile.bulk_create(
        [
            Profile(user_id=u.pk, handle=f"bench-{n}", headline=f"Engineer {n}", summary="Builds things. " * 10,
                    city="Berlin", country_code="DE", visibility=Visibility.PUBLIC, anonymous=n % 4 == 0,
                    desired_roles=["Engineer"], years_of_experience=n % 20)
            for n, u in enumerate(users)
        ],
        batch_size=500,
    )
    profiles = await Profile.all().order_by("id")
    await Skill.bulk_create(
        [Skill(profile_id=p.pk, name=f"Skill {k}", normalized_name=f"skill {k}", level=1 + k, years=k, position=k)
         for p in profiles for k in range(5)],
        batch_size=500,
    )
    await Experience.bulk_create(
        [Experience(profile_id=p.pk, title=f"Role {k}", company_name="Initech", start_date=date(2010 + k, 1, 1),
                    end_date=date(2012 + k, 1, 1), position=k) for p in profiles for k in range(2)],
        batch_size=500,
    )
    await Education.bulk_create([Education(profile_id=p.pk, school="TU", degree="MSc", position=0) for p in profiles])
    await WorkSample.bulk_create(
        [WorkSample(profile_id=p.pk, title="Lib", url="https://example.org/lib", position=0) for p in profiles]
    )
    await Reference.bulk_create(
        [Reference(profile_id=p.pk, name="Ref", relationship="peer", contact="r@example.org", position=0) for p in profiles]
    )
    skills = await Skill.all()
    endorsers = users[:3]
    await Endorsement.bulk_create(
        [Endorsement(skill_id=s.pk, endorser_id=e.pk, comment="solid") for s in skills for e in endorsers],
        batch_size=500,
    )


async def seed_relations(company_id: int) -> None:
    """Make the privacy rules do work: every 10th candidate blocks the bench company, and
    half of the anonymous ones accepted its contact request (identity shown)."""
    profiles = await Profile.all().order_by("id")
    await Block.bulk_create([Block(profile_id=p.pk, company_id=company_id) for n, p in enumerate(profiles) if n % 10 == 5])
    await accept_contacts(company_id, [p for n, p in enumerate(profiles) if n % 8 == 0])


async def by_hand(first: int, settings: Settings, token: str) -> str:
    """The same response, written by hand: authenticate the token, apply the same privacy
    rules in SQL (blocks by company or domain, identity for anonymous candidates only
    after an accepted contact), one statement per kind, the same JSON (global IDs,
    cursors, camelCase, ISO dates, pageInfo) serialised with ``json``."""
    db, pg = database()
    viewer = await employer_viewer(db, pg, settings, token)
    company_id = viewer["company_id"]
    domain = viewer["domain"].lower() if viewer["verified"] and viewer["domain"] else None
    params: list[Any] = [company_id, company_id] + ([domain] if domain else [])
    m = placeholders(pg, len(params)).split(", ")
    by_domain = f" OR b.domain = {m[2]}" if domain else ""
    rows = await db.execute_query_dict(
        "SELECT p.id, p.handle, p.headline, p.summary, p.city, p.country_code, p.remote_preference,"
        " p.open_to_work, p.desired_roles, p.years_of_experience, p.updated_at, p.anonymous, u.display_name,"
        f" EXISTS (SELECT 1 FROM conversation c WHERE c.company_id = {m[0]} AND c.candidate_id = p.user_id"
        " AND c.status = 'ACCEPTED') AS accepted"
        " FROM profile p JOIN \"user\" u ON u.id = p.user_id WHERE p.visibility IN ('PUBLIC', 'EMPLOYERS')"
        f" AND NOT EXISTS (SELECT 1 FROM block b WHERE b.profile_id = p.id AND (b.company_id = {m[1]}{by_domain}))"
        f" ORDER BY p.updated_at DESC, p.id DESC LIMIT {first + 1}",
        params,
    )
    has_next_page = len(rows) > first
    rows = rows[:first]
    ids = [r["id"] for r in rows]
    marks = placeholders(pg, len(ids))

    async def part(sql: str) -> dict[int, list[dict]]:
        grouped: dict[int, list[dict]] = {i: [] for i in ids}
        for row in await db.execute_query_dict(sql, ids):
            grouped[row.pop("profile_id")].append(row)
        return grouped

    skills = await part(f"SELECT id, profile_id, name, level, years FROM skill WHERE profile_id IN ({marks}) ORDER BY position, id")
    skill_ids = [s["id"] for group in skills.values() for s in group]
    skill_marks = placeholders(pg, len(skill_ids))
    counts = {
        r["skill_id"]: r["n"] for r in await db.execute_query_dict(
            f"SELECT skill_id, COUNT(*) AS n FROM endorsement WHERE skill_id IN ({skill_marks}) AND NOT hidden GROUP BY skill_id",
            skill_ids,
        )
    }
    endorsements: dict[int, list[dict]] = {}
    for r in await db.execute_query_dict(
        "SELECT id, skill_id, comment, display_name FROM (SELECT e.id, e.skill_id, e.comment, u.display_name,"
        " ROW_NUMBER() OVER (PARTITION BY e.skill_id ORDER BY e.id DESC) AS rn FROM endorsement e"
        f" JOIN \"user\" u ON u.id = e.endorser_id WHERE e.skill_id IN ({skill_marks}) AND NOT e.hidden) t"
        " WHERE rn <= 3 ORDER BY skill_id, rn",
        skill_ids,
    ):
        endorsements.setdefault(r["skill_id"], []).append(
            {"id": to_global_id("Endorsement", r["id"]), "comment": r["comment"], "endorser": {"displayName": r["display_name"]}}
        )
    experience = await part(f"SELECT id, profile_id, title, company_name, start_date, end_date, current FROM experience WHERE profile_id IN ({marks}) ORDER BY position, id")
    education = await part(f"SELECT id, profile_id, school, degree FROM education WHERE profile_id IN ({marks}) ORDER BY position, id")
    samples = await part(f"SELECT id, profile_id, title, url, kind FROM work_sample WHERE profile_id IN ({marks}) ORDER BY position, id")
    references = await part(f"SELECT id, profile_id, name, relationship FROM reference WHERE profile_id IN ({marks}) ORDER BY position, id")
    edges = []
    for r in rows:
        identity = bool(r["accepted"]) or not r["anonymous"]
        pid = r["id"]
        updated_at = iso(r["updated_at"])
        edges.append({"cursor": encode_cursor([updated_at, pid]), "node": {
            "id": to_global_id("Profile", pid), "handle": r["handle"] if identity else None,
            "displayName": r["display_name"] if identity else None,
            "headline": r["headline"], "summary": r["summary"], "city": r["city"], "countryCode": r["country_code"],
            "remotePreference": r["remote_preference"], "openToWork": r["open_to_work"],
            "desiredRoles": json_list(r["desired_roles"]), "yearsOfExperience": r["years_of_experience"],
            "updatedAt": updated_at,
            "skills": [
                {"id": to_global_id("Skill", s["id"]), "name": s["name"], "level": s["level"], "years": s["years"],
                 "endorsementCount": counts.get(s["id"], 0), "endorsements": endorsements.get(s["id"], [])}
                for s in skills[pid]
            ],
            "experience": [
                {"id": to_global_id("Experience", e["id"]), "title": e["title"],
                 "companyName": e["company_name"] if identity else None, "startDate": iso(e["start_date"]),
                 "endDate": iso(e["end_date"]), "current": bool(e["current"])}
                for e in experience[pid]
            ],
            "education": [
                {"id": to_global_id("Education", e["id"]), "school": e["school"], "degree": e["degree"]}
                for e in education[pid]
            ],
            "workSamples": [
                {"id": to_global_id("WorkSample", w["id"]), "title": w["title"], "url": w["url"] if identity else None,
                 "kind": w["kind"]}
                for w in samples[pid]
            ],
            "references": [
                {"id": to_global_id("Reference", x["id"]), "name": x["name"], "relationship": x["relationship"]}
                for x in references[pid]
            ] if identity else None,
        }})
    page_info = {"hasNextPage": has_next_page, "endCursor": edges[-1]["cursor"] if edges else None}
    return json.dumps({"data": {"profiles": {"edges": edges, "pageInfo": page_info}}})


async def prepare(employer: Employer, first: int) -> Page:
    """The privacy rules' rows around the employer's company; the employer's page."""
    assert employer.user.company_id is not None
    await seed_relations(employer.user.company_id)

    async def sql() -> str:
        return await by_hand(first, employer.settings, employer.token)

    return Page("profiles", {"first": first}, sql, first)


async def main() -> None:
    args = arguments(__doc__).parse_args()
    await run(args, PAGE, "profiles", lambda: seed(args.candidates), lambda employer: prepare(employer, args.first))


if __name__ == "__main__":
    asyncio.run(main())
