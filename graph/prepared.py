"""Documents already parsed and validated run on graphql-core directly (issue 17).

strawberry's ``Schema.execute`` builds, per request, every schema extension, an
extensions runner, a context manager per hook and phase (parse, validate, execute,
operation) and a middleware manager, and looks the document up in the parser and
validation caches, although for a document it has already accepted none of that depends
on the request. ``Prepared`` remembers, for a query text and operation name that parsed
and passed validation (our limits and rules included), the parsed document and its
operation type, and ``execute_prepared`` then runs only what depends on the request:

- the text-input rule on the variables (a document whose literals break the rule, or
  variables that do, take strawberry's full path, which answers the refusal as before);
- graphql-core's ``execute`` with the schema's execution context class;
- the ``on_operation`` hooks of ``OperationLog`` and ``ErrorMasking`` in the order
  strawberry runs them (entered in list order, left in reverse), so masking, the log
  line and the metrics stay exactly as they were.

Parsing, token, depth/alias/size limits, introspection and validation rules run only on
the first request of a document, which takes strawberry's full path; their outcome
depends only on the text. Used only when the schema's extensions are exactly those
(``create_schema`` checks; with tracing on every request takes the full path).

Bounds: at most ``maxsize`` entries (LRU by query text and operation name), each
holding a document the parser cache holds too.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, cast

from graphql import DocumentNode, GraphQLError
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.execution import ExecutionContext as StrawberryExecutionContext
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from graph.errors import ErrorMasking
from graph.observability import OperationLog
from graph.text_input import RefuseHostileText

# Operation types this path runs; subscriptions never come here.
_RUNS = frozenset({OperationType.QUERY, OperationType.MUTATION})


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    document: DocumentNode
    operation_type: OperationType
    literals_ok: bool


class Prepared:
    """LRU of documents that passed parsing and validation (see the module docstring)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[str, str | None], PreparedDocument] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> PreparedDocument | None:
        key = (query, operation_name)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def remember(self, context: StrawberryExecutionContext) -> None:
        """After strawberry's full path accepted ``context``'s document (parse and
        validation without errors)."""
        if not context.query or context.graphql_document is None:
            return
        try:
            operation_type = context.operation_type
        except RuntimeError:
            return
        if operation_type not in _RUNS:
            return
        document = context.graphql_document
        literals_ok = RefuseHostileText._problem({}, document) is None
        # The request's operationName, as ``get`` is asked with it. strawberry keeps it only
        # in ``_provided_operation_name``: ``provided_operation_name`` is an InitVar, whose
        # class attribute reads None on every instance, so named operations never hit.
        key = (context.query, context._provided_operation_name)
        self._entries[key] = PreparedDocument(document, operation_type, literals_ok)
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)


def runnable(prepared: PreparedDocument, variables: dict[str, Any] | None) -> bool:
    """False when the text-input rule would refuse: the full path answers that."""
    return prepared.literals_ok and (not variables or RefuseHostileText._problem(variables, None) is None)


def _enter_operation_hooks(execution_context: StrawberryExecutionContext) -> list[Generator[None, None, None]]:
    """Run the log's and the masking's ``on_operation`` up to their ``yield``, in list
    order as strawberry's ExitStack does; the caller resumes them in reverse."""
    hooks: list[Generator[None, None, None]] = []
    for extension in (OperationLog(), ErrorMasking()):
        extension.execution_context = execution_context
        # Both hooks are generator functions (typed as iterators by strawberry).
        hook = cast(Generator[None, None, None], extension.on_operation())
        next(hook)
        hooks.append(hook)
    return hooks


async def execute_prepared(
    schema: Any,
    prepared: PreparedDocument,
    query: str,
    variable_values: dict[str, Any] | None,
    context_value: Any,
    root_value: Any,
    operation_name: str | None,
    allowed_operation_types: Any,
    operation_extensions: dict[str, Any] | None,
) -> ExecutionResult:
    execution_context = StrawberryExecutionContext(
        query=query,
        schema=schema,
        allowed_operations=allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES,
        context=context_value,
        root_value=root_value,
        variables=variable_values,
        provided_operation_name=operation_name,
        operation_extensions=operation_extensions,
    )
    execution_context.graphql_document = prepared.document
    hooks = _enter_operation_hooks(execution_context)
    try:
        result = await await_maybe(
            schema._get_execute_function()(
                schema._schema,
                prepared.document,
                root_value=root_value,
                variable_values=variable_values,
                operation_name=execution_context.operation_name,
                context_value=context_value,
                is_awaitable=optimized_is_awaitable,
                executor_class=schema.execution_context_class,
                operation_extensions=operation_extensions,
            )
        )
        execution_context.result = result
        if result.errors:
            execution_context.pre_execution_errors = result.errors
            schema._process_errors(result.errors, execution_context)
    except Exception as exc:  # as strawberry's Schema.execute: an error result, unmasked
        for hook in reversed(hooks):
            hook.close()  # the hooks' code after ``yield`` does not run on an exception
        error = exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
        execution_context.pre_execution_errors = [error]
        schema._process_errors([error], execution_context)
        return ExecutionResult(data=None, errors=[error], extensions={})
    for hook in reversed(hooks):  # left in reverse: masking first, then the log sees masked codes
        for _ in hook:
            raise RuntimeError("an on_operation hook yielded twice")
    final = ExecutionResult(data=result.data, errors=result.errors, extensions={})
    execution_context.result = final
    return final
