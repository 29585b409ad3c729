/** The employer searches with a query and filters, one result per page, and reads the
 * facets and each match's explanation (operations/search.graphql). */
import { SearchCandidatesDocument, type SearchCandidatesQuery } from "../generated/graphql.js";
import { check, need, type Step, type World } from "../world.js";
import { runWord } from "./profiles.js";

type Connection = SearchCandidatesQuery["searchCandidates"];

export async function search(world: World, page: { first: number; after?: string }): Promise<Connection> {
  const employer = need(world.employer, "employer");
  const variables = { ...need(world.search, "search"), ...page };
  return (await world.api.request(SearchCandidatesDocument, variables, employer.token)).searchCandidates;
}

function counts(facet: ReadonlyArray<{ value: string; count: number }>): string {
  return facet.map((f) => `${f.value}=${f.count}`).sort().join(" ");
}

export const searchSteps: Step[] = [
  {
    name: "searchCandidates first page (query + filter, first: 1)",
    async run(world) {
      world.search = {
        query: `engineer ${runWord(world)}`,
        filter: { allSkills: ["python"], countries: ["DE"], salaryBudget: { amount: 120000, currency: "EUR", period: "YEAR" } },
      };
      const page = await search(world, { first: 1 });
      check(page.totalCount === 2 && page.edges.length === 1, `totalCount ${page.totalCount}, ${page.edges.length} edges`);
      check(page.pageInfo.hasNextPage && page.pageInfo.endCursor, "no next page");
      // Facets count the whole result, not the page.
      const facets = `skills ${counts(page.facets.skills)}; countries ${counts(page.facets.countries)}; openToWork ${counts(page.facets.openToWork)}`;
      check(
        facets === "skills postgresql=1 python=2; countries DE=2; openToWork ACTIVELY_LOOKING=1 OPEN=1",
        `facets ${facets}`,
      );
      const explanation = need(page.edges[0], "edge").matchExplanation;
      const python = explanation.skills.find((s) => s.name.toLowerCase() === "python");
      check(python?.required && python.matched, `matchExplanation.skills ${JSON.stringify(explanation.skills)}`);
      check(explanation.rankedBy === "RELEVANCE" && explanation.reason, `matchExplanation ${JSON.stringify(explanation)}`);
      return facets;
    },
  },
  {
    name: "searchCandidates next page (after)",
    async run(world) {
      const first = await search(world, { first: 1 });
      const second = await search(world, { first: 1, after: need(first.pageInfo.endCursor, "endCursor") });
      check(second.totalCount === 2 && second.edges.length === 1 && !second.pageInfo.hasNextPage, "second page");
      const edges = [...first.edges, ...second.edges];
      // node.id names the search result (a SearchCandidate); profileId names the Profile
      const ids = edges.map((e) => e.node.profileId).sort();
      const expected = [need(world.profileId, "profileId"), need(world.otherProfileId, "otherProfileId")].sort();
      check(JSON.stringify(ids) === JSON.stringify(expected), `ids across pages ${ids}`);
      const ada = need(edges.find((e) => e.node.profileId === world.profileId), "the candidate's edge");
      const other = need(edges.find((e) => e.node.profileId === world.otherProfileId), "the other edge");
      const python = ada.matchExplanation.skills.find((s) => s.name.toLowerCase() === "python");
      check(python?.matched && python.level === 5, `python match ${JSON.stringify(python)}`);
      check(ada.node.displayName !== null && !ada.node.anonymous, "the candidate is not anonymous");
      check(other.node.displayName === null && other.node.anonymous, "the anonymous candidate shows her name");
      world.foundProfileId = ada.node.profileId;
      return `2 pages of 1; python level ${python.level}; anonymous one without a name`;
    },
  },
];
