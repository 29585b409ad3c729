"""The employer searches with a query and filters, one result per page, and reads the
facets and each match's explanation (../operations/search.graphql)."""

from __future__ import annotations

from collections.abc import Sequence

from openforwork_client import (
    FacetFields,
    SalaryBudgetInput,
    SalaryPeriod,
    SearchCandidatesSearchCandidates,
    SearchFilterInput,
    SearchSort,
)
from world import Steps, World, check, need

steps = Steps()


async def search(world: World, first: int, after: str | None = None) -> SearchCandidatesSearchCandidates:
    async with world.client(need(world.employer, "employer").token) as client:
        return (await client.search_candidates(first=first, after=after, **world.search)).search_candidates


def counts(facet: Sequence[FacetFields]) -> str:
    return " ".join(sorted(f"{f.value}={f.count}" for f in facet))


@steps("searchCandidates first page (query + filter, first: 1)")
async def first_page(world: World) -> str:
    world.search = {
        "query": f"engineer {world.run_word}",
        "filter_": SearchFilterInput(
            all_skills=["python"],
            countries=["DE"],
            salary_budget=SalaryBudgetInput(amount=120000, currency="EUR", period=SalaryPeriod.YEAR),
        ),
    }
    page = await search(world, first=1)
    check(page.total_count == 2 and len(page.edges) == 1, f"totalCount {page.total_count}, {len(page.edges)} edges")
    check(page.page_info.has_next_page and page.page_info.end_cursor, "no next page")
    # Facets count the whole result, not the page.
    facets = (
        f"skills {counts(page.facets.skills)}; countries {counts(page.facets.countries)}; "
        f"openToWork {counts(page.facets.open_to_work)}"
    )
    check(facets == "skills postgresql=1 python=2; countries DE=2; openToWork ACTIVELY_LOOKING=1 OPEN=1", f"facets {facets}")
    explanation = page.edges[0].match_explanation
    python = next((s for s in explanation.skills if s.name.lower() == "python"), None)
    check(python and python.required and python.matched, f"matchExplanation.skills {explanation.skills}")
    check(explanation.ranked_by == SearchSort.RELEVANCE and explanation.reason, f"matchExplanation {explanation}")
    return facets


@steps("searchCandidates next page (after)")
async def next_page(world: World) -> str:
    first = await search(world, first=1)
    second = await search(world, first=1, after=need(first.page_info.end_cursor, "endCursor"))
    check(second.total_count == 2 and len(second.edges) == 1 and not second.page_info.has_next_page, "second page")
    edges = [*first.edges, *second.edges]
    ids = sorted(edge.node.profile_id for edge in edges)
    check(ids == sorted([need(world.profile_id, "profileId"), need(world.other_profile_id, "otherProfileId")]), f"ids {ids}")
    ada = next(edge for edge in edges if edge.node.profile_id == world.profile_id)
    other = next(edge for edge in edges if edge.node.profile_id == world.other_profile_id)
    python = next((s for s in ada.match_explanation.skills if s.name.lower() == "python"), None)
    check(python and python.matched and python.level == 5, f"python match {python}")
    check(ada.node.display_name is not None and not ada.node.anonymous, "the candidate is not anonymous")
    check(other.node.display_name is None and other.node.anonymous, "the anonymous candidate shows her name")
    world.found_profile_id = ada.node.profile_id
    return f"2 pages of 1; python level {need(python, 'python').level}; anonymous one without a name"
