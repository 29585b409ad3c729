"""Bounded fuzzing of every root field of the schema, generated from schema.graphql.

For every query and mutation field, hypothesis-graphql generates valid documents with
arbitrary arguments; each is sent anonymously, as a candidate and as an employer.
The test fails on any 5xx, any masked internal error (``INTERNAL_SERVER_ERROR``), and
on any failed mutation (errors or userErrors) that changed a database row count.
New root fields are covered automatically. ``FUZZ_EXAMPLES`` sets examples per field.

Hostile shapes (fragments spreading fragments, deep and repeated nesting) are generated
too and sent through a real app in a thread: any single request slower than
``REQUEST_SECONDS`` fails the run instead of hanging it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timezone

import pytest
from graphql import build_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from hypothesis_graphql import strategies as gql_st
from tortoise import Tortoise

from graph.schema import export_schema
from graph.settings import Settings
from tests.conftest import running_app
from tests.deadline import each_within
from tests.factories.accounts import make_candidate, make_employer
from tests.graphql import GraphQLClient

SDL = export_schema()
SCHEMA = build_schema(SDL)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

CUSTOM_SCALARS = {
    "DateTime": st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(timezone.utc)
    ).map(lambda d: nodes.String(d.isoformat())),
    "Date": st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)).map(lambda d: nodes.String(d.isoformat())),
    "JSON": st.just(nodes.String("{}")),
}

QUERY_FIELDS = sorted(SCHEMA.query_type.fields) if SCHEMA.query_type else []
MUTATION_FIELDS = sorted(SCHEMA.mutation_type.fields) if SCHEMA.mutation_type else []
# Fields whose success legitimately changes rows even when another part failed are none:
# a payload with userErrors must leave the database as it was.
RUN_COUNT = {"cases": 0}


@pytest.fixture
def backend() -> str:
    """Fuzzing runs on SQLite only (the PostgreSQL run covers the same resolvers through
    every other test); this overrides the parametrized fixture, so nothing is skipped."""
    return "sqlite"


async def row_counts() -> dict[str, int]:
    counts = {}
    for model in Tortoise.apps["models"].values():
        counts[model._meta.db_table] = await model.all().count()
    return counts


def generate(strategy: st.SearchStrategy[object], count: int) -> list[object]:
    """Draw ``count`` examples with hypothesis (deterministic). Requests are sent by the
    async test afterwards: hypothesis cannot drive a coroutine inside a running loop."""
    drawn: list[object] = []

    @settings(
        max_examples=count, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: object) -> None:
        drawn.append(example)

    collect()
    return drawn


def check_response(status: int, body: dict) -> None:
    assert status < 500, body
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", error
        assert code is not None, error


def failed_mutation(body: dict) -> bool:
    if body.get("errors"):
        return True
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict) and payload.get("userErrors"):
            return True
    return False


@pytest.mark.parametrize("field", QUERY_FIELDS)
async def test_fuzz_queries(gql: GraphQLClient, field: str) -> None:
    tokens = [None, (await make_candidate(gql)).token, (await make_employer(gql)).token]
    documents = generate(gql_st.queries(SCHEMA, fields=[field], custom_scalars=CUSTOM_SCALARS), EXAMPLES)
    for i, document in enumerate(documents):
        who = tokens[i % len(tokens)]
        headers = {"Authorization": f"Bearer {who}"} if who else {}
        response = await gql.http.post("/graphql", json={"query": document}, headers=headers)
        RUN_COUNT["cases"] += 1
        check_response(response.status_code, response.json())


@pytest.mark.parametrize("field", MUTATION_FIELDS)
async def test_fuzz_mutations(gql: GraphQLClient, field: str) -> None:
    tokens = [None, (await make_candidate(gql)).token, (await make_employer(gql)).token]
    documents = generate(gql_st.mutations(SCHEMA, fields=[field], custom_scalars=CUSTOM_SCALARS), EXAMPLES)
    for i, document in enumerate(documents):
        who = tokens[i % len(tokens)]
        headers = {"Authorization": f"Bearer {who}"} if who else {}
        before = await row_counts()
        response = await gql.http.post("/graphql", json={"query": document}, headers=headers)
        RUN_COUNT["cases"] += 1
        body = response.json()
        check_response(response.status_code, body)
        if failed_mutation(body):
            after = await row_counts()
            # failed sign-ins are recorded on purpose (rate limiting)
            after.pop("login_attempt", None)
            before.pop("login_attempt", None)
            assert after == before, (document, body)


# --- Hostile shapes: fragment spreads and deep nesting --------------------------------

# Generous bound for one request (seconds). Every shape below is answered in
# milliseconds; an exponential validation rule would take minutes, so it fails here
# instead of hanging the CI run.
REQUEST_SECONDS = 10.0

ROOT_FIELDS = ("__typename", "viewer { id }", "viewer { id displayName }", "node(id: \"VXNlcjox\") { id }")


@st.composite
def fragment_shapes(draw: st.DrawFn) -> str:
    """Fragments spreading earlier fragments: doubling (or tripling) chains, random fans,
    unused ones, with repeats, inline fragments and aliases mixed in."""
    count = draw(st.integers(2, 45))
    chain = draw(st.booleans())
    fan_out = draw(st.integers(2, 3))
    lines = [f"fragment F0 on Query {{ {draw(st.sampled_from(ROOT_FIELDS))} }}"]
    for i in range(1, count):
        if chain:
            spreads = [i - 1] * fan_out
        else:
            spreads = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3))
        body = " ".join(f"...F{j}" for j in spreads)
        extra = draw(st.sampled_from(["", " __typename", " ... on Query { viewer { id } }", " a: __typename"]))
        lines.append(f"fragment F{i} on Query {{ {body}{extra} }}")
    used = count - 1 if draw(st.booleans()) else draw(st.integers(0, count - 1))
    operation = "query { " + " ".join(f"...F{used}" for _ in range(draw(st.integers(1, 3)))) + " }"
    return "\n".join([operation, *lines])


@st.composite
def nesting_shapes(draw: st.DrawFn) -> str:
    """Deep or repeated nesting: fields, inline fragments, lists of repeats."""
    depth = draw(st.integers(1, 250))
    kind = draw(st.sampled_from(["field", "inline", "mixed", "repeated"]))
    if kind == "field":
        return "{ viewer { " + "company { " * depth + "id" + " }" * depth + " } }"
    if kind == "inline":
        return "{ " + "... on Query { " * depth + "__typename" + " }" * depth + " }"
    if kind == "mixed":
        return "{ viewer { " + "... on User { company { " * depth + "id" + " } }" * depth + " } }"
    width = draw(st.integers(1, 700))  # 7 tokens each: up to the token limit
    return "{" + " viewer { company { id } }" * width + " }"


def test_fuzz_fragment_and_nesting_shapes(settings: Settings) -> None:
    documents = generate(st.one_of(fragment_shapes(), nesting_shapes()), EXAMPLES * 4)

    async def work(report: Callable[[object], None]) -> None:
        async with running_app(settings) as (_, client):
            for document in documents:
                response = await client.post("/graphql", json={"query": document})
                report((document, response.status_code, response.json()))

    for document, status, body in each_within(REQUEST_SECONDS, work, len(documents)):
        RUN_COUNT["cases"] += 1
        assert status < 500, (document[:300], body)
        check_response(status, body)
