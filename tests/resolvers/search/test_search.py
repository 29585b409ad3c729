"""The search query parser: whatever the user types, it never raises and always yields
an expression SQLite FTS5 (and PostgreSQL's to_tsquery, when available) accepts."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.search.query import MAX_TERMS, parse, render_fts5, render_tsquery

_DB = sqlite3.connect(":memory:")
_DB.execute(
    "CREATE VIRTUAL TABLE t USING fts5(headline, skills, tokenize = 'porter unicode61 remove_diacritics 2')"
)
_DB.execute("INSERT INTO t VALUES ('Senior data engineer', 'python sql')")

ALPHABET = st.sampled_from(
    list('abcxyz AORNDTE"*-():^+{}.,;\'\\\t\n\x00') + ["AND", "OR", "NOT", "NEAR", "headline:", "é", "ß", "²", "_", "中文", "\u0301"]
)
QUERIES = st.one_of(st.text(max_size=120), st.lists(ALPHABET, max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(QUERIES)
def test_parser_never_raises_and_sqlite_accepts_the_expression(text: str) -> None:
    parsed = parse(text)
    expression = render_fts5(parsed)
    assert len(parsed.terms) + len(parsed.excluded) <= MAX_TERMS
    if expression is None:
        assert parsed.empty
        return
    _DB.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
    assert render_tsquery(parsed)


def test_syntax() -> None:
    assert render_fts5(parse('pyth* "data engineer" rust OR go -java')) == (
        '("pyth"* AND "data engineer" AND ("rust" OR "go")) NOT ("java")'
    )
    assert render_tsquery(parse('pyth* "data engineer"')) == "'pyth':* & ('data' <-> 'engineer')"
    assert render_fts5(parse("headline: NEAR(x)")) == '"headline" AND "near x"'
    assert render_fts5(parse("a*")) == '"a"'  # one-letter prefixes are plain words
    assert render_fts5(parse("* - OR")) is None
    assert render_fts5(parse("-java")) is None  # nothing positive: no text condition
