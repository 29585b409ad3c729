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
- graphql-core's execution with the schema's execution context class, from an
  ``ExecutionPlan`` made once per document (below);
- what the ``on_operation`` hooks of ``OperationLog`` and ``ErrorMasking`` do after the
  operation, in the order strawberry leaves them (masking first, then the log line and
  the metrics, which see the masked codes), called directly.

graphql-core's ``execute`` sets up, per request, what depends on the document alone: it
checks the schema for ``@defer``, finds the operation and the fragments
(``Executor.build``), coerces the (absent) variables, looks the root type up and collects
the root fields, then collects each object field's sub-fields again (memoised only
within one execution). ``ExecutionPlan`` keeps the operation, fragments and root type;
for an operation without variables (collection then depends on the text alone) also the
collected root fields and a sub-field memo shared by its executions, which
``run_plan`` hands to each executor. An operation with variables coerces them and
collects its fields per request, through graphql-core's own ``execute_operation``.

Parsing, token, depth/alias/size limits, introspection and validation rules run only on
the first request of a document, which takes strawberry's full path; their outcome
depends only on the text. Used only when the schema's extensions are exactly those
(``create_schema`` checks; with tracing on every request takes the full path).

Bounds: at most ``maxsize`` entries (LRU by query text and operation name), each
holding a document the parser cache holds too, and its plan: the shared sub-field memo
has one entry per (object type, field group of the document), as graphql-core's
per-execution memo (at most ``_SUB_FIELDS_MAX``, a backstop), and goes with the entry.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLObjectType,
    OperationDefinitionNode,
    default_field_resolver,
    default_type_resolver,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import execute as graphql_execute
from graphql.execution.collect_fields import CollectedFields, FragmentDetails, collect_fields
from graphql.execution.executor import Executor
from graphql.execution.values import VariableValues, get_variable_values
from graphql.language import OperationType as GraphQLOperationType
from graphql.utilities import get_operation_ast
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.execution import ExecutionContext as StrawberryExecutionContext
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from graph.errors import mask_errors
from graph.observability import log_operation
from graph.text_input import RefuseHostileText

# Operation types this path runs; subscriptions never come here.
_RUNS = frozenset({OperationType.QUERY, OperationType.MUTATION})


# graphql-core's ``execute`` default: coercion errors reported before it gives up.
_MAX_COERCION_ERRORS = 50
# A shared sub-field memo holds one entry per (object type, field group of the document),
# plus graph/plain.py's plan beside each; cleared past this many, should a path ever build
# field groups per execution (none does without @defer/@stream, which plans exclude).
_SUB_FIELDS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class ExecutionPlan:
    """What graphql-core sets up per execution that depends on the document alone."""

    operation: OperationDefinitionNode
    fragment_definitions: dict[str, FragmentDefinitionNode]
    fragments: dict[str, Any]
    root_type: GraphQLObjectType
    serially: bool
    # Only for an operation without variables: its collected root fields and the
    # sub-field memo its executions share (graphql-core's ``_relevant_sub_fields``).
    root_fields: CollectedFields | None
    sub_fields: dict[Any, Any] | None


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    document: DocumentNode
    operation_type: OperationType
    literals_ok: bool
    plan: ExecutionPlan | None = None


def plan_execution(schema: Any, document: DocumentNode, operation_name: str | None) -> ExecutionPlan | None:
    """The plan of ``document``'s operation ``operation_name``, or None when graphql-core's
    ``execute`` is to run it as it is (another execute function, ``@defer``/``@stream``
    in the schema, no such operation)."""
    graphql_schema = schema._schema
    executor_class = schema.execution_context_class
    if (
        schema._get_execute_function() is not graphql_execute
        or graphql_schema.get_directive("defer") is not None
        or graphql_schema.get_directive("stream") is not None
        or not (isinstance(executor_class, type) and issubclass(executor_class, Executor))
    ):
        return None
    # The operation and fragments as ``Executor.build`` finds them (which also coerces the
    # variables, so cannot run without a request's). Fragments with variable definitions
    # (an experimental syntax) leave the document to graphql-core as it is.
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    fragment_definitions: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if definition.variable_definitions:
                return None
            fragment_definitions[definition.name.value] = definition
    fragments = {name: FragmentDetails(definition, None) for name, definition in fragment_definitions.items()}
    root_type = graphql_schema.get_root_type(operation.operation)
    if root_type is None:
        return None
    root_fields = None
    if not operation.variable_definitions:
        try:
            root_fields = collect_fields(graphql_schema, fragments, VariableValues({}, {}), root_type, operation)
        except RecursionError:
            root_fields = None  # graphql-core's execute_operation answers it, per request
    return ExecutionPlan(
        operation=operation,
        fragment_definitions=fragment_definitions,
        fragments=fragments,
        root_type=root_type,
        serially=operation.operation == GraphQLOperationType.MUTATION,
        root_fields=root_fields,
        sub_fields={} if root_fields is not None else None,
    )


def run_plan(
    schema: Any,
    plan: ExecutionPlan,
    root_value: Any,
    context_value: Any,
    raw_variables: dict[str, Any] | None,
    operation_extensions: dict[str, Any] | None,
) -> tuple[Any, Any]:
    """graphql-core's ``execute`` of ``plan``'s operation, without its per-request set-up
    (see the module docstring): the executor (None when the variables were refused) and
    the result, or an awaitable of it; ``release`` the executor once it is awaited."""
    graphql_schema = schema._schema
    if plan.root_fields is not None:
        variable_values = VariableValues({}, {})  # what get_variable_values makes of no definitions
    else:
        coerced = get_variable_values(
            graphql_schema, plan.operation.variable_definitions or (), raw_variables or {},
            max_errors=_MAX_COERCION_ERRORS,
        )
        if isinstance(coerced, list):
            return None, GraphQLExecutionResult(None, errors=coerced)
        variable_values = coerced
    executor = schema.execution_context_class(
        graphql_schema,
        plan.fragment_definitions,
        plan.fragments,
        root_value,
        context_value,
        plan.operation,
        variable_values,
        default_field_resolver,
        default_type_resolver,
        default_field_resolver,
        is_awaitable=optimized_is_awaitable,
        operation_extensions=operation_extensions,
    )
    if plan.root_fields is None:
        return executor, executor.execute_operation()
    memo = plan.sub_fields
    if memo is not None and len(memo) > _SUB_FIELDS_MAX:
        memo.clear()  # a backstop only: its entries are the document's field groups
    executor._relevant_sub_fields = memo
    return executor, _execute_collected(executor, plan, plan.root_fields)


def release(executor: Any) -> None:
    """Cut the reference cycle between a finished executor and its ``async_helpers``
    (bound methods of the executor, which it builds in ``__init__``). Through the
    executor's context, each request's context, request, session rows and closures (~40
    objects) otherwise waited for the cyclic garbage collector: a collection every ~20
    requests, and full collections of the whole heap more often (~10% of a trivial
    request's CPU). Resolvers got the helpers through their ``info``, which keeps its own
    reference; work still running in the background (after an error) keeps the cycle."""
    if not executor.background_futures and not executor.pending_incremental_futures:
        executor.async_helpers = None


def _execute_collected(executor: Any, plan: ExecutionPlan, root_fields: CollectedFields) -> Any:
    """graphql-core 3.3's ``Executor.execute_operation`` from its collected root fields on
    (no abort signal here)."""
    grouped_field_set, new_defer_usages, _forbidden = root_fields
    try:
        result = executor.execute_collected_root_fields(
            plan.root_type, executor.root_value, grouped_field_set, plan.serially, new_defer_usages
        )
        if executor.is_awaitable(result):

            async def await_result() -> Any:
                try:
                    data = await result
                except GraphQLError as error:
                    executor.collected_errors.add(error, None)
                    return executor.build_response(None)
                except Exception:
                    await executor.cancel_incremental_work()
                    executor.run_async_work_finished_hook()
                    raise
                return executor.build_response(data)

            return await_result()
        data = result
    except GraphQLError as error:
        executor.collected_errors.add(error, None)
        return executor.finish(executor.build_response(None))
    return executor.finish(executor.build_response(data))


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
        plan = plan_execution(context.schema, document, context._provided_operation_name)
        self._entries[key] = PreparedDocument(document, operation_type, literals_ok, plan)
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)


def runnable(prepared: PreparedDocument, variables: dict[str, Any] | None) -> bool:
    """False when the text-input rule would refuse: the full path answers that."""
    return prepared.literals_ok and (not variables or RefuseHostileText._problem(variables, None) is None)


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
    started = time.perf_counter()
    executor = None
    try:
        if prepared.plan is not None:
            executor, pending = run_plan(
                schema, prepared.plan, root_value, context_value, variable_values, operation_extensions
            )
        else:
            pending = schema._get_execute_function()(
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
        result = await await_maybe(pending)
        if executor is not None:
            release(executor)
        execution_context.result = result
        if result.errors:
            execution_context.pre_execution_errors = result.errors
            schema._process_errors(result.errors, execution_context)
    except Exception as exc:  # as strawberry's Schema.execute: an error result, unmasked, not logged
        error = exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
        execution_context.pre_execution_errors = [error]
        schema._process_errors([error], execution_context)
        return ExecutionResult(data=None, errors=[error], extensions={})
    # strawberry leaves the hooks in reverse: masking first, then the log sees masked codes.
    mask_errors(execution_context)
    log_operation(execution_context, time.perf_counter() - started)
    final = ExecutionResult(data=result.data, errors=result.errors, extensions={})
    execution_context.result = final
    return final
