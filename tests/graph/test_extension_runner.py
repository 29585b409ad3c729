"""``ExtensionsRunner`` finds each stream-result hook and result getter once per operation
and must then run exactly what strawberry's own runner runs, result after result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import OperationContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types.execution import ExecutionResult

from graph.extension_runner import ExtensionsRunner


class _Context:
    extensions_results: dict[str, Any] = {"fromContext": True}


def _extensions(seen: list[tuple[str, object]]) -> list[SchemaExtension]:
    class Wrapping(SchemaExtension):
        def on_stream_result(self, result: Any) -> Iterator[None]:
            seen.append(("enter", result.data))
            yield
            seen.append(("exit", result.data))

    class Counting(SchemaExtension):
        async def on_stream_result(self, result: Any) -> None:  # a plain coroutine hook
            seen.append(("counted", result.data))

        def get_results(self) -> dict[str, Any]:
            return {"count": len(seen)}

    class Quiet(SchemaExtension):  # neither hook: the base class's
        pass

    return [Wrapping(), Quiet(), Counting()]


async def _run(runner_class: type[SchemaExtensionsRunner]) -> tuple[list[tuple[str, object]], list[dict[str, Any]]]:
    seen: list[tuple[str, object]] = []
    runner = runner_class(execution_context=_Context(), extensions=_extensions(seen))  # type: ignore[arg-type]
    results = []
    for n in range(3):
        result = ExecutionResult(data={"n": n}, errors=None)
        results.append(await runner.get_extensions_results(_Context()))  # type: ignore[arg-type]
        async with runner.on_stream_result(result):
            seen.append(("yield", result.data))
    return seen, results


async def test_every_result_runs_the_hooks_and_getters_strawberrys_runner_runs() -> None:
    # given / when: three stream results through each runner
    ours = await _run(ExtensionsRunner)
    theirs = await _run(SchemaExtensionsRunner)
    # then: the same hooks, in the same order, around each result; the same extension results
    assert ours == theirs
    assert ours[0][:4] == [("enter", {"n": 0}), ("counted", {"n": 0}), ("yield", {"n": 0}), ("exit", {"n": 0})]
    assert ours[1][2] == {"count": 8, "fromContext": True}


async def test_each_operation_runs_the_stage_hooks_and_shares_their_wrappers() -> None:
    # given: an extension with a hook per stage, two operations
    seen: list[str] = []

    class Staged(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            seen.append("operation")
            yield
            seen.append("operation done")

        async def on_execute(self) -> Any:  # an async generator hook
            seen.append("execute")
            yield
            seen.append("execute done")

        def on_validate(self) -> None:  # a plain hook: strawberry's own wrapper
            seen.append("validate")

    runners = [ExtensionsRunner(execution_context=_Context(), extensions=[Staged()]) for _ in range(2)]  # type: ignore[arg-type]
    # when
    for runner in runners:
        async with runner.operation():
            with runner.validation():
                pass
            async with runner.executing():
                seen.append("body")
    # then: every hook ran, in strawberry's order, for each operation
    assert seen == ["operation", "validate", "execute", "body", "execute done", "operation done"] * 2
    # and the operations' hooks are one function per class, bound to each extension
    first, second = (runner.executing().hooks[0].hook for runner in runners)
    assert first.__func__ is second.__func__  # type: ignore[attr-defined]
    assert first.__self__ is runners[0].extensions[0] and second.__self__ is runners[1].extensions[0]  # type: ignore[attr-defined]


class _Outer(SchemaExtension):
    def __init__(self, seen: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen = seen

    def on_operation(self) -> Iterator[None]:
        self.seen.append("outer in")
        try:
            yield
        except Exception as error:
            self.seen.append(f"outer saw {error!r}")
            raise
        self.seen.append("outer out")


def _inner(behaviour: str, seen: list[str]) -> SchemaExtension:
    class Inner(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            seen.append("inner in")
            if behaviour == "no yield":
                return
            try:
                yield
            except KeyError as error:
                seen.append(f"inner saw {error!r}")
                if behaviour == "swallows":
                    return
                if behaviour == "replaces":
                    raise ValueError("replaced") from error
                raise
            if behaviour == "yields twice":
                yield
            seen.append("inner out")

    return Inner()


async def _operate(manager: Any, body_raises: type[BaseException] | None) -> str:
    try:
        async with manager:
            if body_raises is not None:
                raise body_raises("boom")
    except BaseException as error:  # noqa: BLE001  # the outcome is what is compared
        return f"{type(error).__name__}: {error}"
    return "no error"


@pytest.mark.parametrize("behaviour", ["passes", "swallows", "replaces", "yields twice"])
@pytest.mark.parametrize("body_raises", [None, KeyError], ids=["body returns", "body raises"])
async def test_the_operation_stage_resumes_generator_hooks_as_strawberrys_manager_does(behaviour: str, body_raises: Any) -> None:
    # given: two generator hooks, the inner one passing on, swallowing or replacing an
    # error, or yielding twice
    outcomes = []
    for make in (lambda extensions: OperationContextManager(extensions), lambda extensions: ExtensionsRunner(execution_context=_Context(), extensions=extensions).operation()):  # type: ignore[arg-type]
        seen: list[str] = []
        manager = make([_Outer(seen), _inner(behaviour, seen)])
        # when: an operation runs (its body returns or raises)
        outcome = await _operate(manager, body_raises)
        outcomes.append((seen, outcome))
    # then: the same hooks ran in the same order and the same error came out
    assert type(manager).__name__ == "_GeneratorOperation"
    assert outcomes[1] == outcomes[0]


async def test_a_hook_that_does_not_start_ends_the_operation_and_the_hooks_already_started_see_it() -> None:
    seen: list[str] = []
    manager = ExtensionsRunner(execution_context=_Context(), extensions=[_Outer(seen), _inner("no yield", seen)]).operation()  # type: ignore[arg-type]
    assert await _operate(manager, None) == "RuntimeError: generator didn't yield"
    assert seen == ["outer in", "inner in", "outer saw RuntimeError(\"generator didn't yield\")"]


async def test_an_operation_hook_of_another_kind_takes_strawberrys_manager() -> None:
    seen: list[str] = []

    class Plain(SchemaExtension):
        def on_operation(self) -> None:  # a plain hook: strawberry wraps it
            seen.append("plain")

    runner = ExtensionsRunner(execution_context=_Context(), extensions=[_Outer(seen), Plain()])  # type: ignore[arg-type]
    assert await _operate(runner.operation(), None) == "no error"
    assert seen == ["outer in", "plain", "outer out"]
