"""strawberry's schema-extension runner, with the per-result work of a stream done once
per operation.

For every event a subscription delivers, strawberry's runner (0.341) looked up each
extension's ``on_stream_result`` hook anew — a ``contextlib.contextmanager`` wrapper built
per extension per event — and awaited every extension's ``get_results()``, most of them
the base class's ``{}``. Both depend only on the operation's extensions, which are fixed
when the runner is made: ``ExtensionsRunner`` finds the hooks and the extensions with
results of their own once, and runs the same hooks in the same order on every result.
About a tenth of the server's samples in the chat fan-out (``bench/chat.py --profile``).

The other stages (operation, parsing, validation, execution) wrapped each extension's
hook per operation as strawberry's ``get_hook`` does it,
``contextlib.contextmanager(types.MethodType(hook, extension))``: a new function through
``functools.wraps`` (its ``__dict__``, ``__wrapped__``) per hook per operation. A
subscription keeps its operation and execution stages entered for as long as it runs, so
those functions lived as long as the subscriber: ~1.4 KiB each, kept after the
subscribers left (``bench/soak.py``, issue 21). ``_SharedWrappers`` wraps each extension
class's hook once (``_WRAPPERS``) and binds it to the extension per operation.
"""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import Callable
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    OperationContextManager,
    ParsingContextManager,
    StreamResultContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.utils.await_maybe import await_maybe


class _StreamResult(StreamResultContextManager):
    """strawberry's manager for one stream result, around hooks found before."""

    def __init__(self, hooks: list[Any], result: Any) -> None:  # no super(): the hooks are known
        self.result = result
        self.hooks = hooks


# (extension class, stage) → its hook as a context-manager factory taking the extension,
# and whether it is async; None when the class has no such hook, or one that is neither
# a generator nor an async generator (strawberry's own get_hook wraps those). Bounded: one
# entry per extension class and stage, and the classes are the schema's.
_WRAPPERS: dict[tuple[type, str], tuple[Callable[[Any], Any], bool] | None] = {}


class _SharedWrappers:
    """``get_hook`` of strawberry's stage managers with the wrapper made once per class."""

    __slots__ = ()
    HOOK_NAME: str
    default_hook: Any

    def get_hook(self, extension: SchemaExtension) -> WrappedHook | None:
        key = (type(extension), self.HOOK_NAME)
        try:
            wrapper = _WRAPPERS[key]
        except KeyError:
            wrapper = _WRAPPERS[key] = _wrap(getattr(type(extension), self.HOOK_NAME), self.default_hook)
        if wrapper is None:
            return super().get_hook(extension)  # type: ignore[misc]  # the stage manager's
        factory, is_async = wrapper
        return WrappedHook(extension=extension, hook=types.MethodType(factory, extension), is_async=is_async)


def _wrap(hook: Any, default: Any) -> tuple[Callable[[Any], Any], bool] | None:
    if hook is None or hook is default:
        return None
    if inspect.isgeneratorfunction(hook):
        return contextlib.contextmanager(hook), False
    if inspect.isasyncgenfunction(hook):
        return contextlib.asynccontextmanager(hook), True
    return None


class _Operation(_SharedWrappers, OperationContextManager):
    __slots__ = ()


class _Parsing(_SharedWrappers, ParsingContextManager):
    __slots__ = ()


class _Validation(_SharedWrappers, ValidationContextManager):
    __slots__ = ()


class _Executing(_SharedWrappers, ExecutingContextManager):
    __slots__ = ()


class ExtensionsRunner(SchemaExtensionsRunner):
    """``SchemaExtensionsRunner`` that finds what it runs per result once, and wraps each
    extension class's stage hooks once (module doc)."""

    _stream_hooks: list[Any] | None = None
    _result_getters: list[Any] | None = None

    def operation(self) -> OperationContextManager:
        return _Operation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return _Parsing(self.extensions)

    def validation(self) -> ValidationContextManager:
        return _Validation(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return _Executing(self.extensions)

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
