"""``ExtensionsRunner`` finds each stream-result hook and result getter once per operation
and must then run exactly what strawberry's own runner runs, result after result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension
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
    first, second = (runner.operation().hooks[0].hook for runner in runners)
    assert first.__func__ is second.__func__  # type: ignore[attr-defined]
    assert first.__self__ is runners[0].extensions[0] and second.__self__ is runners[1].extensions[0]  # type: ignore[attr-defined]
