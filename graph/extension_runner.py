"""strawberry's schema-extension runner, with the per-result work of a stream done once
per operation.

For every event a subscription delivers, strawberry's runner (0.341) looked up each
extension's ``on_stream_result`` hook anew — a ``contextlib.contextmanager`` wrapper built
per extension per event — and awaited every extension's ``get_results()``, most of them
the base class's ``{}``. Both depend only on the operation's extensions, which are fixed
when the runner is made: ``ExtensionsRunner`` finds the hooks and the extensions with
results of their own once, and runs the same hooks in the same order on every result.
About a tenth of the server's samples in the chat fan-out (``bench/chat.py --profile``).
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import StreamResultContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.utils.await_maybe import await_maybe


class _StreamResult(StreamResultContextManager):
    """strawberry's manager for one stream result, around hooks found before."""

    def __init__(self, hooks: list[Any], result: Any) -> None:  # no super(): the hooks are known
        self.result = result
        self.hooks = hooks


class ExtensionsRunner(SchemaExtensionsRunner):
    """``SchemaExtensionsRunner`` that finds what it runs per result once (module doc)."""

    _stream_hooks: list[Any] | None = None
    _result_getters: list[Any] | None = None

    def on_stream_result(self, result: Any) -> StreamResultContextManager:
        hooks = self._stream_hooks
        if hooks is None:
            hooks = self._stream_hooks = StreamResultContextManager(self.extensions, result).hooks
        return _StreamResult(hooks, result)

    async def get_extensions_results(self, ctx: Any) -> dict[str, Any]:
        getters = self._result_getters
        if getters is None:
            getters = self._result_getters = [
                extension.get_results
                for extension in self.extensions
                if type(extension).get_results is not SchemaExtension.get_results
            ]
        data: dict[str, Any] = {}
        for get_results in getters:
            data.update(await await_maybe(get_results()))
        data.update(ctx.extensions_results)
        return data
