"""The search box's language, parsed by us into a safe full-text expression.

Users type anything; neither FTS5 nor ``to_tsquery`` may ever see it raw. The grammar
we accept is deliberately small and forgiving:

- words (letters and digits of any script; everything else separates words),
  case-insensitive, all required (AND);
- ``word*``: prefix match (at least 2 characters, otherwise it is a plain word);
- ``"a quoted phrase"``: the words in that order; an unbalanced quote runs to the end;
- ``a OR b`` (upper-case ``OR`` between two terms): either;
- ``-word`` / ``-"a phrase"``: exclude (ignored when nothing positive is left).

Anything else — ``AND``/``NOT``/``NEAR`` as words, ``headline:``-style column filters,
a lone ``*``, brackets, punctuation, control characters — is just text or a separator.
``render_fts5`` and ``render_tsquery`` only ever quote word characters, so the result
is always a valid expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 500
MAX_TERMS = 16
MIN_PREFIX = 2

_WORD = re.compile(r"[^\W_]+")
# A quoted phrase (maybe unbalanced), or a run of non-space characters.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word, a prefix or a phrase: ``words`` in order, ``prefix`` on the last."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass
class ParsedQuery:
    """AND of ``groups`` (each an OR of terms), minus ``excluded`` terms."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(text))


def parse(text: str | None) -> ParsedQuery:
    """Parse user input; never raises. Input beyond ``MAX_QUERY_LENGTH`` is cut off."""
    parsed = ParsedQuery()
    if not text:
        return parsed
    text = text[:MAX_QUERY_LENGTH]
    pending_or = False
    count = 0
    for match in _CHUNK.finditer(text):
        if count >= MAX_TERMS:
            break
        negated = False
        if match.group(3) is not None:
            raw = match.group(3)
            if raw == "OR":
                pending_or = bool(parsed.groups)
                continue
            negated = raw.startswith("-") and len(raw) > 1
            body = raw[1:] if negated else raw
            words = _words(body)
            if not words:
                continue
            # "data-engineer" or "node.js" become phrases; "python*" a prefix.
            prefix = body.endswith("*") and len(words[-1]) >= MIN_PREFIX
            term = Term(words, prefix)
        else:
            negated = match.group(1) == "-"
            words = _words(match.group(2))
            if not words:
                continue
            term = Term(words)
        count += 1
        if negated:
            parsed.excluded.append(term)
            pending_or = False
            continue
        if pending_or and parsed.groups:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    if not parsed.groups:
        parsed.excluded = []
    return parsed


# --- SQLite FTS5 ---------------------------------------------------------------------

def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def _fts5_group(group: list[Term]) -> str:
    if len(group) == 1:
        return _fts5_term(group[0])
    return "(" + " OR ".join(_fts5_term(term) for term in group) + ")"


def render_fts5(parsed: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression, or None when there is nothing to match."""
    if parsed.empty:
        return None
    expression = " AND ".join(_fts5_group(group) for group in parsed.groups)
    if parsed.excluded:
        excluded = " OR ".join(_fts5_term(term) for term in parsed.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


# --- PostgreSQL tsquery -------------------------------------------------------------

def _ts_term(term: Term) -> str:
    parts = [f"'{word}'" for word in term.words]
    if term.prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def render_tsquery(parsed: ParsedQuery) -> str | None:
    """Text for ``to_tsquery`` (words are letters and digits only, so quoting is safe)."""
    if parsed.empty:
        return None
    groups = []
    for group in parsed.groups:
        inner = " | ".join(_ts_term(term) for term in group)
        groups.append(f"({inner})" if len(group) > 1 else inner)
    expression = " & ".join(groups)
    if parsed.excluded:
        expression = f"({expression}) & !(" + " | ".join(_ts_term(t) for t in parsed.excluded) + ")"
    return expression
