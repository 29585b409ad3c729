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
