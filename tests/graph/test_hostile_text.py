"""One input rule for all text (issue 12, item 13): NUL and control characters are refused
in every string input of every mutation; names refuse bidi and invisible characters;
handles are compared after NFKC + case folding and reserved words cannot be claimed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from tortoise import Tortoise

from graph.schema import create_schema
from graph.settings import Settings
from tests.factories.accounts import SIGN_UP, make_candidate
from tests.factories.profiles import UPDATE_MY_PROFILE
from tests.graphql import GraphQLClient

HOSTILE = "before\x00after"
SAMPLE_SCALARS: dict[str, Any] = {
    "String": "text",
    "ID": "VXNlcjox",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2030-01-01",
    "DateTime": "2030-01-01T00:00:00Z",
    "JSON": {},
}


def _named(type_: GraphQLInputType) -> GraphQLInputType:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _sample(type_: GraphQLInputType, depth: int = 0) -> Any:
    """A value of ``type_`` with only the required fields filled in."""
    if isinstance(type_, GraphQLNonNull):
        return _sample(type_.of_type, depth)
    if isinstance(type_, GraphQLList):
        return [_sample(type_.of_type, depth)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        return SAMPLE_SCALARS[type_.name]
    assert isinstance(type_, GraphQLInputObjectType)
    return {
        name: _sample(field.type, depth + 1)
        for name, field in type_.fields.items()
        if isinstance(field.type, GraphQLNonNull)
    }


def _string_paths(type_: GraphQLInputType, depth: int = 0) -> Iterator[list[str]]:
    """Every path to a String field inside ``type_`` (input objects, three levels deep)."""
    named = _named(type_)
    if isinstance(named, GraphQLScalarType) and named.name == "String":
        yield []
    elif isinstance(named, GraphQLInputObjectType) and depth < 3:
        for name, field in named.fields.items():
            for rest in _string_paths(field.type, depth + 1):
                yield [name, *rest]


def _with_hostile(type_: GraphQLInputType, path: list[str]) -> Any:
    if not path:
        return [HOSTILE] if isinstance(type_, GraphQLList) or (
            isinstance(type_, GraphQLNonNull) and isinstance(type_.of_type, GraphQLList)
        ) else HOSTILE
    value = _sample(type_)
    named = _named(type_)
    assert isinstance(named, GraphQLInputObjectType)
    target = value[0] if isinstance(value, list) else value
    target[path[0]] = _with_hostile(named.fields[path[0]].type, path[1:])
    return value


def mutation_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(case id, document, variables): one per String input of every mutation."""
    schema = create_schema(Settings())._schema
    mutation = schema.mutation_type
    assert mutation is not None
    cases = []
    for field_name, field in sorted(mutation.fields.items()):
        for arg_name, arg in field.args.items():
            for path in _string_paths(arg.type):
                variables = {
                    other: _sample(other_arg.type)
                    for other, other_arg in field.args.items()
                    if isinstance(other_arg.type, GraphQLNonNull)
                }
                variables[arg_name] = _with_hostile(arg.type, path)
                declared = ", ".join(f"${name}: {a.type}" for name, a in field.args.items() if name in variables)
                passed = ", ".join(f"{name}: ${name}" for name in variables)
                selection = " { __typename }" if isinstance(_named(field.type), GraphQLObjectType) else ""
                document = f"mutation Case({declared}) {{ {field_name}({passed}){selection} }}"
                cases.append((".".join([field_name, arg_name, *path]), document, variables))
    return cases


CASES = mutation_cases()


async def _row_counts() -> dict[str, int]:
    return {
        model.__name__: await model.all().count()
        for app in Tortoise.apps.values()
        for model in app.values()
    }


def test_every_mutation_with_text_input_is_covered() -> None:
    names = {case.split(".")[0] for case, _, _ in CASES}
    assert {"signUp", "logIn", "updateMyProfile", "sendMessage", "startConversation", "extendOffer"} <= names
    assert len(CASES) > 50


async def test_a_nul_byte_in_any_text_input_of_any_mutation_is_refused(gql: GraphQLClient) -> None:
    # given: a signed-in candidate (refusal comes before authorization, so one viewer serves all)
    viewer = await make_candidate(gql)
    before = await _row_counts()
    failures = []
    # when: every String input of every mutation, one at a time, holds a NUL
    for case, document, variables in CASES:
        result = await gql.post(document, variables, token=viewer.token)
        if result.codes != ["BAD_USER_INPUT"] or result.data is not None:
            failures.append((case, result.codes, result.errors[:1] if result.errors else result.data))
    # then: each is a clear BAD_USER_INPUT, and nothing was written anywhere
    assert failures == []
    assert await _row_counts() == before


async def test_a_nul_byte_in_sign_up_is_refused_before_anything_happens(gql: GraphQLClient) -> None:
    # given: nobody, just a visitor signing up
    before = await _row_counts()
    # when
    result = await gql.post(
        SIGN_UP,
        {"input": {"email": "ada\x00@example.org", "password": "correct horse battery", "displayName": "Ada", "role": "CANDIDATE"}},
    )
    literal = await gql.post('mutation { logIn(input: {email: "a\\u0000@example.org", password: "whatever123"}) { token } }')
    # then
    assert result.codes == ["BAD_USER_INPUT"] and "$input.email" in result.errors[0]["message"]
    assert literal.codes == ["BAD_USER_INPUT"]
    assert await _row_counts() == before


@pytest.mark.parametrize("text", ["line\none", "tab\there", "bell\x07", "lone\rreturn", "c1\x85"])
async def test_control_characters_are_refused_except_line_breaks_in_long_text(gql: GraphQLClient, text: str) -> None:
    candidate = await make_candidate(gql)
    result = await gql.post(UPDATE_MY_PROFILE, {"input": {"summary": text}}, token=candidate.token)
    if text in ("line\none", "tab\there"):
        assert result.codes == [] and result.data["updateMyProfile"]["userErrors"] == []
    else:
        assert result.codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("name", ["\u202enimdA", "Ada\u200bLovelace", "Ada\u2066Lovelace", "Ada\tLovelace", "Ada\nLovelace"])
async def test_display_names_refuse_direction_and_invisible_characters(gql: GraphQLClient, name: str) -> None:
    # when: a new user signs up with a name that would display as something else
    payload = await gql.mutate(
        SIGN_UP,
        {"email": "ada@example.org", "password": "correct horse battery", "displayName": name, "role": "CANDIDATE"},
        ok=False,
    )
    # then
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "displayName"])]
    assert payload["token"] is None


@pytest.mark.parametrize("handle", ["admin", "null", "ＡＤＭＩＮ", "Undefined", "root"])
async def test_reserved_handles_cannot_be_claimed(gql: GraphQLClient, handle: str) -> None:
    candidate = await make_candidate(gql)
    payload = await gql.mutate(UPDATE_MY_PROFILE, {"handle": handle}, token=candidate.token, ok=False)
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID"]
    assert "reserved" in payload["userErrors"][0]["message"]


async def test_handles_are_unique_after_nfkc_and_case_folding(gql: GraphQLClient) -> None:
    # given: a candidate who took "ada-lovelace"
    ada, other = await make_candidate(gql), await make_candidate(gql)
    await gql.mutate(UPDATE_MY_PROFILE, {"handle": "Ada-Lovelace", "visibility": "PUBLIC"}, token=ada.token)
    # when: another claims the full-width, upper-case spelling
    payload = await gql.mutate(UPDATE_MY_PROFILE, {"handle": "ＡＤＡ-ＬＯＶＥＬＡＣＥ"}, token=other.token, ok=False)
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["HANDLE_TAKEN"]
    found = await gql.execute('{ profile(handle: "ＡＤＡ-lovelace") { handle } }')
    assert found == {"profile": {"handle": "ada-lovelace"}}
