"""The V8 engine: one isolate per execution, driven without ever blocking the host event loop.

This is the only module that imports ``py_mini_racer`` (PyPI ``mini-racer``). It owns the
isolate's lifecycle and the single rule that keeps the host safe: **once user code may be on
the isolate's stack, Python talks to it only through posted evaluations whose completion
arrives as a callback on the event loop.** mini-racer's convenient APIs (``wrap_py_function``,
property reads on JS proxies, awaiting a ``JSPromise``) make blocking round trips from the loop
thread into the isolate; with ``while (true) {}`` on the other side they freeze the host
forever. The few blocking set-up calls below happen before any user code exists.

Those guarantees rest on private mini-racer internals (``_make_context``,
``Context._register_js_notification``, the raw ``mr_eval``/``mr_cancel_task`` entry points), so
the dependency is pinned and ``tests/test_engine.py`` fails loudly if they move.

It knows nothing about tools, scripts or results: it evaluates strings and reports
notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.metadata
from collections.abc import Callable, Iterator
from typing import Any

from langchain_codemode.errors import EngineError

try:
    from py_mini_racer import JSOOMException, JSParseException, JSTimeoutException
    from py_mini_racer._exc import JSEvalException, JSTerminatedException
    from py_mini_racer._mini_racer import _make_context
except ImportError as exc:  # pragma: no cover - exercised only on broken installs
    raise EngineError(
        "langchain-codemode needs the V8 engine from PyPI 'mini-racer' (import name "
        "'py_mini_racer'): pip install 'mini-racer==0.14.*'. Note that 'py-mini-racer' is an "
        "abandoned fork with the same import name."
    ) from exc

__all__ = [
    "EvalFailed",
    "Isolate",
    "JSParseError",
    "Terminated",
    "engine_version",
]

SUPPORTED_VERSIONS = ("0.14.",)


class EvalFailed(Exception):
    """An evaluation threw. ``message`` is V8's text (it includes the JS stack)."""


class JSParseError(EvalFailed):
    """The evaluated source did not parse."""


class Terminated(EvalFailed):
    """The evaluation was terminated: cancelled, timed out, or the heap limit was hit."""


@functools.lru_cache(maxsize=1)
def engine_version() -> str:
    """The installed mini-racer distribution's version."""
    try:
        return importlib.metadata.version("mini-racer")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored installs
        return "unknown"


def _check_version() -> None:
    version = engine_version()
    if not version.startswith(SUPPORTED_VERSIONS):
        raise EngineError(
            f"mini-racer {version} is not supported; langchain-codemode drives V8 through "
            f"mini-racer internals that were verified on {', '.join(SUPPORTED_VERSIONS)}x. "
            "Install a supported version: pip install 'mini-racer==0.14.*'"
        )


class Isolate:
    """A fresh V8 context bound to the running event loop, used once and closed.

    Create with :meth:`open`, always :meth:`close` (a context left open can hang interpreter
    exit). :meth:`post` starts an evaluation and returns a future at once; evaluations run in
    the order posted, and V8 drains the microtask queue after each one, so a drain posted
    right behind a settle sees everything the settle's continuations did.
    """

    def __init__(self, manager: contextlib.AbstractContextManager[Any], ctx: Any) -> None:
        self._manager: contextlib.AbstractContextManager[Any] | None = manager
        self._ctx = ctx
        self._loop = ctx.event_loop
        self._inflight: dict[int, asyncio.Future[Any]] = {}
        self._keep: list[Any] = []  # JS callables that must outlive their registration

    @classmethod
    def open(cls, *, memory_limit: int) -> Isolate:
        """Create a context on the running loop, with a hard heap limit set before any code."""
        _check_version()
        loop = asyncio.get_running_loop()
        manager = _make_context(loop)
        ctx = manager.__enter__()
        isolate = cls(manager, ctx)
        try:
            # A heap bomb without a hard limit is a V8 fatal error that aborts the process.
            ctx.set_hard_memory_limit(memory_limit)
            ctx.set_soft_memory_limit(max(memory_limit * 3 // 4, 1))
        except BaseException:
            isolate.close()
            raise
        return isolate

    @property
    def closed(self) -> bool:
        return self._manager is None

    async def install_notifier(self, global_name: str, callback: Callable[[], None]) -> None:
        """Define ``globalThis[global_name]`` as a JS function that schedules ``callback()``.

        The JS side returns at once and passes no data: reading arguments would need a
        blocking round trip into the isolate. Set-up only: the one blocking call here is made
        before any user code exists.
        """

        def on_note(_handle: Any) -> None:
            callback()

        registration = self._ctx._register_js_notification(on_note)
        js_function = registration.__enter__()
        self._keep.append(registration)
        global_object = await self._ctx.eval_cancelable("globalThis")
        self._ctx.set_object_item(global_object, global_name, js_function)

    def post(self, code: str) -> asyncio.Future[Any]:
        """Start evaluating ``code``; the future resolves with its (primitive) completion value.

        Cancelling the future terminates the evaluation if it is still running.
        """
        if self._manager is None:
            raise RuntimeError("isolate is closed")
        ctx = self._ctx
        future: asyncio.Future[Any] = self._loop.create_future()
        code_handle = ctx._python_to_value_handle(code)
        registration = ctx._register_cancelable_mr_task_callback(
            lambda handle: self._complete(future, handle)
        )
        callback_id = registration.__enter__()
        task_id = ctx._dll.mr_eval(ctx._ctx, code_handle.raw, callback_id)
        self._inflight[task_id] = future

        def finished(_: asyncio.Future[Any]) -> None:
            self._inflight.pop(task_id, None)
            registration.__exit__(None, None, None)
            if self._manager is not None:
                # Ignored by V8 when the task already finished; terminates it otherwise.
                ctx._dll.mr_cancel_task(ctx._ctx, task_id)
            del code_handle_keepalive[:]

        code_handle_keepalive = [code_handle]
        future.add_done_callback(finished)
        return future

    def _complete(self, future: asyncio.Future[Any], handle: Any) -> None:
        if future.done():
            return
        try:
            value = self._ctx._value_handle_to_python(handle)
        except JSParseException as exc:
            future.set_exception(JSParseError(str(exc)))
        except (JSTerminatedException, JSTimeoutException, JSOOMException) as exc:
            future.set_exception(Terminated(str(exc)))
        except JSEvalException as exc:
            future.set_exception(EvalFailed(str(exc)))
        except Exception as exc:  # a value mini-racer cannot convert
            future.set_exception(
                EvalFailed(f"unconvertible completion value: {type(exc).__name__}")
            )
        else:
            future.set_result(value)

    def _fail_inflight(self) -> None:
        for future in list(self._inflight.values()):
            if not future.done():
                future.set_exception(Terminated("terminated"))
                future.exception()  # nobody may be awaiting it any more

    def heap_limit_reached(self) -> bool:
        """Whether V8 hit the hard heap limit (the context is then unusable: discard it)."""
        if self._manager is None:
            return False
        return bool(self._ctx.was_hard_memory_limit_reached())

    def close(self) -> None:
        """Stop any running JS and free the context, its thread and its memory.

        This is also the only reliable way to stop a script: JS that runs in the microtask
        checkpoint after an evaluation belongs to no task, so cancelling tasks cannot reach it;
        freeing the context can. In-flight evaluations fail with :class:`Terminated`.
        """
        manager, self._manager = self._manager, None
        if manager is None:
            return
        self._fail_inflight()
        for registration in self._keep:
            with contextlib.suppress(Exception):
                registration.__exit__(None, None, None)
        self._keep.clear()
        manager.__exit__(None, None, None)


@contextlib.contextmanager
def suppress_engine_errors() -> Iterator[None]:
    """Swallow engine failures during best-effort work (final log collection)."""
    with contextlib.suppress(EvalFailed, RuntimeError, asyncio.CancelledError):
        yield
