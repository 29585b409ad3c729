"""Limits on the shape of a GraphQL document, checked in bounded time.

One validation rule (``create_limits_rule``), built once per schema, looks at a
document *as it would run*, every fragment spread replaced by its fragment:

- **selections**: fields, fragment spreads and inline fragments, over every operation
  of the document (and every fragment no operation uses) — at most ``max_selections``;
- **repeated fields**: pairs of fields with the same response name at the same path
  (``{ viewer { id } viewer { id } }`` has two: ``viewer`` and ``viewer.id``) — at most
  ``max_selections // 2``;
- **depth**: nesting of fields per operation (introspection fields ``__*`` and their
  subtrees do not count): the measure and message of strawberry's ``QueryDepthLimiter``;
- **aliases**: aliased fields over the operations, counted at each spread of a fragment
  holding them: the message of strawberry's ``MaxAliasesLimiter``.

Why bounded: the walk expands fragments but stops at ``max_selections`` steps, so its
cost is the document's length plus that constant, whatever the document. strawberry's
depth and alias limiters expanded every spread without bound: doubling fragments
(``fragment F1 on Query { ...F0 ...F0 }`` … ``F39``, 1.3 KB, 2^39 fields) froze a
worker for minutes.

Why first: the rule refuses (``QUERY_TOO_COMPLEX``) from ``enter_document``, before any
other rule walks a selection set. graphql-core's ``OverlappingFieldsCanBeMerged``
compares every pair of same-named fields at each path, fragments included: its cost
grows with the square of the repeats (1,000 copies of ``viewer { id }``, 5.5 KB and
under the token limit, took 1–3 s). Bounding the pairs bounds it. A document whose
fragments spread each other in a cycle is refused here too (as ``NoFragmentCycles``
would), so no rule ever expands a cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


class TooManySelections(Exception):
    """The expansion passed its budget."""


def _spread_names(selection_set: SelectionSetNode) -> list[str]:
    """Names of the fragments spread in one definition's own text (iteratively: the
    parser allows deeper nesting than a recursive walk would want)."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


def fragment_cycle(spreads: dict[str, list[str]]) -> str | None:
    """A fragment that spreads itself, directly or not; ``None`` if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in spreads:
        if root in state:
            continue
        state[root] = 1
        path = [(root, iter(spreads[root]))]
        while path:
            name, children = path[-1]
            for child in children:
                if child not in spreads:
                    continue
                if state.get(child) == 1:
                    return child
                if child not in state:
                    state[child] = 1
                    path.append((child, iter(spreads[child])))
                    break
            else:
                state[name] = 2
                path.pop()
    return None


class Expansion:
    """Walks selection sets with fragments expanded, at most ``budget`` selections in
    all, over every ``walk`` (raises ``TooManySelections`` beyond). Fields are counted
    per path: a path is an integer id for (parent path, response name)."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], budget: int) -> None:
        self.fragments = fragments
        self.budget = budget
        self.steps = 0

    def walk(self, selection_set: SelectionSetNode) -> tuple[int, int, int]:
        """(depth, aliases, pairs of repeated fields) of one operation or fragment."""
        max_depth = aliases = 0
        path_ids: dict[tuple[int, str], int] = {}
        path_counts: Counter[int] = Counter()
        # depth None: inside an introspection field, whose subtree does not count
        stack: list[tuple[SelectionSetNode, int | None, int]] = [(selection_set, 0, 0)]
        while stack:
            current, depth, path = stack.pop()
            self.steps += len(current.selections)
            if self.steps > self.budget:
                raise TooManySelections()
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    name = selection.alias.value if selection.alias else selection.name.value
                    key = (path, name)
                    field_path = path_ids.get(key)
                    if field_path is None:
                        field_path = path_ids[key] = len(path_ids) + 1
                    path_counts[field_path] += 1
                    if selection.alias:
                        aliases += 1
                    if selection.selection_set is not None:
                        inner = None if depth is None or selection.name.value.startswith("__") else depth + 1
                        if inner is not None and inner > max_depth:
                            max_depth = inner
                        stack.append((selection.selection_set, inner, field_path))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, depth, path))
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None:
                        stack.append((fragment.selection_set, depth, path))
        pairs = sum(n * (n - 1) // 2 for n in path_counts.values() if n > 1)
        return max_depth, aliases, pairs


def _roots(document: DocumentNode, spreads: dict[str, list[str]]) -> list[tuple[str, SelectionSetNode, bool]]:
    """(name, selection set, is operation): every operation, then every fragment that
    neither an operation nor another unused fragment spreads (other rules refuse unused
    fragments, but they validate them first, so they count too)."""
    roots: list[tuple[str, SelectionSetNode, bool]] = []
    used: set[str] = set()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else "anonymous"
            roots.append((name, definition.selection_set, True))
            stack = _spread_names(definition.selection_set)
            while stack:
                spread = stack.pop()
                if spread in spreads and spread not in used:
                    used.add(spread)
                    stack.extend(spreads[spread])
    unused = [name for name in spreads if name not in used]
    spread_by_unused = {child for name in unused for child in spreads[name]}
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    roots += [(f"fragment {name}", fragments[name].selection_set, False) for name in unused if name not in spread_by_unused]
    return roots


def _too_complex(message: str, max_selections: int) -> ValidationAbortedError:
    return ValidationAbortedError(message, extensions={"code": QUERY_TOO_COMPLEX, "maxSelections": max_selections})


def create_limits_rule(max_depth: int, max_aliases: int, max_selections: int) -> type[ValidationRule]:
    """The validation rule for these limits; build it once per schema (``ValidationCache``
    keys on the rule classes, so a class per request would never hit the cache)."""
    max_pairs = max_selections // 2

    class DocumentLimitsRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            # Entered before any selection set: aborting here spares the other rules
            # (raising from __init__ would escape ``validate``).
            fragments: dict[str, FragmentDefinitionNode] = {}
            for definition in node.definitions:
                if isinstance(definition, FragmentDefinitionNode):
                    fragments.setdefault(definition.name.value, definition)
            spreads = {name: _spread_names(fragment.selection_set) for name, fragment in fragments.items()}
            cycle = fragment_cycle(spreads)
            if cycle is not None:
                raise ValidationAbortedError(
                    f"Cannot spread fragment '{cycle}' within itself.",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
            expansion = Expansion(fragments, max_selections)
            too_deep: list[str] = []
            aliases = pairs = 0
            try:
                for name, selection_set, is_operation in _roots(node, spreads):
                    depth, root_aliases, root_pairs = expansion.walk(selection_set)
                    pairs += root_pairs
                    if is_operation:
                        aliases += root_aliases
                        if depth > max_depth:
                            too_deep.append(name)
            except TooManySelections:
                raise _too_complex(
                    f"The document selects more than {max_selections} fields, fragment spreads and "
                    "inline fragments once its fragments are expanded. Ask for fewer fields, or "
                    "send fewer operations per document.",
                    max_selections,
                ) from None
            if pairs > max_pairs:
                raise _too_complex(
                    f"The document selects the same field at the same path too often ({pairs} pairs "
                    f"of repeats once its fragments are expanded; at most {max_pairs}). Select each "
                    "field once per path.",
                    max_selections,
                )
            for name in too_deep:
                self.report_error(GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}"))
            if aliases > max_aliases:
                self.report_error(GraphQLError(f"{aliases} aliases found. Allowed: {max_aliases}"))

    return DocumentLimitsRule


class NoEmptySelectionSets(ValidationRule):
    """``{ }`` is not a GraphQL document (the grammar says ``{ Selection+ }``), but
    graphql-core 3.3 parses it, and it ran as an empty answer. Refused like a syntax
    error; one look per selection set, so linear in the document."""

    def enter_selection_set(self, node: SelectionSetNode, *_args: Any) -> None:
        if not node.selections:
            self.report_error(GraphQLError("A selection set must select at least one field.", node))


class DocumentLimits(SchemaExtension):
    """The token limit (``max_tokens``, as strawberry's ``MaxTokensLimiter``) and the
    validation ``rules`` (as its ``AddValidationRules``: the limits rule, built once per
    schema so that ``ValidationCache``, keyed on the rules, hits), each set just before
    the document is parsed and validated. Listed before ``ParserCache`` and
    ``ValidationCache``, whose hooks parse and validate on entry.

    strawberry's two set them from ``on_operation``, a generator suspended until the
    operation ends: a subscription kept both generators, with their context managers and
    wrappers, for as long as it ran (~1.5 KiB per subscriber, kept after the subscribers
    left: bench/soak.py, issue 21). Parsing and validation end before a subscription
    starts, and so do these hooks."""

    def __init__(self, max_tokens: int, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self.max_tokens = max_tokens
        self.rules = rules  # the schema's tuple: an instance is made per operation

    def on_parse(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.validation_rules, self.rules)
        combined = _COMBINED_RULES.get(key)
        if combined is None:
            combined = _COMBINED_RULES[key] = key[0] + key[1]
        context.validation_rules = combined  # one tuple for every operation, not one each
        yield


# (strawberry's rules, ours) → both: one entry per schema (the rules are built with it).
_COMBINED_RULES: dict[tuple[tuple[type[ASTValidationRule], ...], tuple[type[ASTValidationRule], ...]], tuple[type[ASTValidationRule], ...]] = {}
