"""Persisted queries: Apollo's automatic persisted queries (APQ) and an allow-list.

APQ: a client sends ``extensions.persistedQuery = {version: 1, sha256Hash}`` without
``query``; a known hash runs the stored document, an unknown one answers
``PERSISTED_QUERY_NOT_FOUND`` and the client retries with the query text, which is then
remembered (per process, bounded LRU).

Allow-list (``PERSISTED_QUERIES=allowlist``, for production): only documents registered
with ``openforwork register-operations`` run, whether sent by hash or as text.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.error import GraphQLSyntaxError
from graphql.language import Node, Visitor

from models.operations import PersistedOperation
from resolvers.errors import ApiError

MODES = ("off", "apq", "allowlist")
APQ_CACHE_SIZE = 2_000


class PersistedQueryNotFound(ApiError):
    code = "PERSISTED_QUERY_NOT_FOUND"
    default_message = "PersistedQueryNotFound"


class PersistedQueryNotSupported(ApiError):
    code = "PERSISTED_QUERY_NOT_SUPPORTED"
    default_message = "PersistedQueryNotSupported"


class OperationNotAllowed(ApiError):
    code = "OPERATION_NOT_ALLOWED"
    default_message = (
        "This server runs only registered operations; register this document with "
        "`openforwork register-operations` or send the hash of a registered one."
    )


class PersistedQueryHashMismatch(ApiError):
    code = "BAD_USER_INPUT"
    default_message = "extensions.persistedQuery.sha256Hash does not match the query text."


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def normalise(document: str, max_tokens: int | None = None) -> str | None:
    """The canonical print of a document (what graphql-js ``print`` gives too), or None
    when it does not parse (or has more than ``max_tokens`` tokens). Lets a client send
    an operation formatted its own way."""
    try:
        return print_ast(parse(document, max_tokens=max_tokens))
    except GraphQLSyntaxError:
        return None


def _spreads(node: Node) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: object) -> None:
            names.add(spread.name.value)

    visit(node, Collect())
    return names


def split_operations(document: DocumentNode) -> list[tuple[str, str]]:
    """Each operation of a file as its own document with just the fragments it uses
    (transitively), canonically printed — what generated clients send. (name, text)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    result = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        needed: list[str] = []
        queue = sorted(_spreads(definition))
        while queue:
            name = queue.pop(0)
            if name in needed or name not in fragments:
                continue
            needed.append(name)
            queue += sorted(_spreads(fragments[name]) - set(needed))
        single = DocumentNode(definitions=(definition, *[fragments[n] for n in needed]))
        result.append((definition.name.value if definition.name else "anonymous", print_ast(single)))
    return result


@dataclass
class PersistedQueries:
    """Resolves a request's ``query`` from its hash; one instance per app."""

    mode: str = "apq"
    # Documents are parsed here before the token limit of validation applies: without a
    # bound, normalising a 2 MB body in allowlist mode took ~40 s of CPU.
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"PERSISTED_QUERIES must be one of {', '.join(MODES)}")
        self._cache: OrderedDict[str, str] = OrderedDict()

    def _remember(self, digest: str, document: str) -> None:
        self._cache[digest] = document
        self._cache.move_to_end(digest)
        while len(self._cache) > APQ_CACHE_SIZE:
            self._cache.popitem(last=False)

    async def _registered(self, digest: str) -> str | None:
        cached = self._cache.get(digest)
        if cached is not None:
            return cached
        row = await PersistedOperation.get_or_none(sha256=digest)
        if row is not None:
            self._remember(digest, row.document)
            return row.document
        return None

    async def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The document to run, or raises one of the errors above."""
        persisted = (extensions or {}).get("persistedQuery")
        if self.mode == "off":
            if persisted is not None and query is None:
                raise PersistedQueryNotSupported()
            return query
        digest: str | None = None
        if persisted is not None:
            if not isinstance(persisted, dict) or persisted.get("version") != 1 or not isinstance(
                persisted.get("sha256Hash"), str
            ):
                raise PersistedQueryHashMismatch(
                    "extensions.persistedQuery must be {version: 1, sha256Hash: <hex>}."
                )
            digest = persisted["sha256Hash"].lower()
        if self.mode == "allowlist":
            if digest is None and query is None:
                return query  # nothing sent: strawberry answers "no query"
            if digest is not None:
                document = await self._registered(digest)
                if document is None or (query is not None and sha256(query) != digest):
                    raise OperationNotAllowed()
                return document
            assert query is not None
            document = await self._registered(sha256(query))
            if document is None:
                canonical = normalise(query, self.max_tokens)
                document = await self._registered(sha256(canonical)) if canonical else None
            if document is None:
                raise OperationNotAllowed()
            return document
        # APQ
        if digest is None:
            return query
        if query is None:
            document = await self._registered(digest)
            if document is None:
                raise PersistedQueryNotFound()
            return document
        if sha256(query) != digest:
            raise PersistedQueryHashMismatch()
        self._remember(digest, query)
        return query


async def register_operations(paths: list[Path]) -> list[tuple[str, str]]:
    """Store the operations of the given .graphql files: each file as written, and each
    operation alone with the fragments it uses, canonically printed (the form generated
    clients send, by text or by hash). Returns (name, sha256) pairs."""
    registered = []
    for path in paths:
        document = path.read_text()
        try:
            parsed = parse(document)
        except GraphQLSyntaxError as exc:
            raise ValueError(f"{path}: {exc.message}") from None
        names = [
            d.name.value for d in parsed.definitions if isinstance(d, OperationDefinitionNode) and d.name
        ]
        digest = sha256(document)
        name = ",".join(names) or path.stem
        await PersistedOperation.update_or_create(sha256=digest, defaults={"name": name, "document": document})
        registered.append((name, digest))
        if len(names) > 1 or print_ast(parsed) != document:
            for op_name, text in split_operations(parsed):
                op_digest = sha256(text)
                await PersistedOperation.update_or_create(sha256=op_digest, defaults={"name": op_name, "document": text})
                registered.append((op_name, op_digest))
    return registered
