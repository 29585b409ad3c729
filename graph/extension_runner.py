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
class's hook once (``_WRAPPERS``) and binds it to the extension per operation. The
operation stage, when all its hooks are generator functions (the schema's are), runs them
without strawberry's exit stack and context managers at all (``_GeneratorOperation``):
41 → 39 KiB of RSS per open subscriber.
"""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import Callable
from typing import Any, NoReturn

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


# extension class → its ``on_operation`` when that is a plain generator function, None
# when the class has none; absent from the map: some other kind of hook. Bounded: one
# entry per extension class, and the classes are the schema's.
_OPERATION_GENERATORS: dict[type, Callable[[Any], Any] | None] = {}


def _operation_generator(cls: type) -> Callable[[Any], Any] | None | bool:
    """``cls``'s generator ``on_operation``, None without one, False for another kind."""
    try:
        return _OPERATION_GENERATORS[cls]
    except KeyError:
        pass
    hook = getattr(cls, "on_operation", None)
    if hook is None or hook is SchemaExtension.on_operation:
        _OPERATION_GENERATORS[cls] = None
        return None
    if inspect.isgeneratorfunction(hook):
        _OPERATION_GENERATORS[cls] = hook
        return hook
    return False


class _GeneratorOperation(OperationContextManager):
    """The operation stage when every ``on_operation`` hook is a generator function (the
    schema's are): each generator is resumed directly, first entered last resumed, with
    what ``contextlib.ExitStack`` and ``contextlib.contextmanager`` would do on the way
    out: an exception thrown into each hook in turn, which the hook passes on, replaces
    or swallows for the hooks outside it. A subscription holds its operation stage for
    its whole life; this holds the running generators in one list, where strawberry's
    manager held an exit stack (a 760-byte deque), a context manager and two bound
    methods per hook (issue 21)."""

    __slots__ = ("_extensions", "_running")

    def __init__(self, extensions: list[SchemaExtension]) -> None:  # no super(): no wrapped hooks
        self._extensions = extensions
        self._running: list[Any] = []

    def __enter__(self) -> None:
        running = self._running
        for extension in self._extensions:
            hook = _OPERATION_GENERATORS[type(extension)]
            if hook is None:
                continue
            generator = hook(extension)
            try:
                next(generator)
            except BaseException as error:
                failure = RuntimeError("generator didn't yield") if isinstance(error, StopIteration) else error
                outcome = self._resume(failure)  # the hooks already entered see the failure
                _raise(outcome if outcome is not None else failure)
            running.append(generator)

    async def __aenter__(self) -> None:
        self.__enter__()

    def __exit__(self, exc_type: Any, exc: BaseException | None, traceback: Any) -> None:
        # Like strawberry's stage managers, never suppresses ``exc`` (they return None,
        # whatever the exit stack says); raises what a hook raised instead of it.
        outcome = self._resume(exc)
        if outcome is not None and outcome is not exc:
            _raise(outcome)

    def _resume(self, exc: BaseException | None) -> BaseException | None:
        """Resume the running hooks, last first, each with what the one after it left
        (``exc`` for the first): the exception still propagating at the end, or None."""
        pending = exc
        running = self._running
        while running:
            generator = running.pop()
            try:
                if pending is None:
                    next(generator)
                else:
                    generator.throw(pending)
            except StopIteration as stop:
                if stop is not pending:
                    pending = None  # ran to its end: suppressed what was thrown in, if anything
                continue
            except RuntimeError as error:
                if error is not pending and not (pending is not None and error.__cause__ is pending):
                    pending = error  # else the same one back (PEP 479 wraps a StopIteration)
                continue
            except BaseException as error:
                pending = error
                continue
            stuck = RuntimeError("generator didn't stop" if pending is None else "generator didn't stop after throw()")
            generator.close()
            stuck.__context__ = pending
            pending = stuck
        return pending

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, traceback: Any) -> None:
        self.__exit__(exc_type, exc, traceback)


class _Parsing(_SharedWrappers, ParsingContextManager):
    __slots__ = ()


class _Validation(_SharedWrappers, ValidationContextManager):
    __slots__ = ()


class _Executing(_SharedWrappers, ExecutingContextManager):
    __slots__ = ()


def _raise(error: BaseException) -> NoReturn:
    """Raise ``error`` keeping the ``__context__`` it has (as ``contextlib.ExitStack``
    does), not the exception being handled where this is called."""
    context = error.__context__
    try:
        raise error
    except BaseException:
        error.__context__ = context
        raise


class ExtensionsRunner(SchemaExtensionsRunner):
    """``SchemaExtensionsRunner`` that finds what it runs per result once, and wraps each
    extension class's stage hooks once (module doc)."""

    _stream_hooks: list[Any] | None = None
    _result_getters: list[Any] | None = None

    def operation(self) -> OperationContextManager:
        if all(_operation_generator(type(extension)) is not False for extension in self.extensions):
            return _GeneratorOperation(self.extensions)
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
