"""The V8 engine: one isolate per execution, driven without ever blocking the host event loop.

This is the only module that imports ``py_mini_racer`` (PyPI ``mini-racer``). It owns the
isolate's lifecycle and the single rule that keeps the host safe: **once user code may be on
the isolate's stack, Python talks to it only through posted evaluations whose completion
arrives as a callback on the event loop.** mini-racer's convenient APIs (``wrap_py_function``,
property reads on JS proxies, awaiting a ``JSPromise``) make blocking round trips from the loop
thread into the isolate; with ``while (true) {}`` on the other side they freeze the host
forever. The few blocking set-up calls below happen before any user code exists.

Creating a context costs ~2 ms of blocking native work, so it happens on a helper thread and
one spare is kept warm (a raw native context, bound to an event loop only when taken).

Sharing the process with other mini-racer users: V8 is initialised, and its first isolate
created, on the thread of the first execution, under mini-racer's own initialisation lock (as
``MiniRacer()`` does on first use). V8 finishes process-wide set-up lazily inside the first
isolate creation without a lock of its own, so no other thread may create a context until
that one exists. Every native context the package creates or frees afterwards is created and
freed on one helper thread, and an execution does not return before the native work it
started (its spare's creation, its own context's teardown) has finished: the package never
does native work behind the caller's back while the caller's own code runs.

Those guarantees rest on private mini-racer internals (``Context`` construction,
``Context._register_js_notification``, the raw ``mr_init_context``/``mr_eval``/
``mr_cancel_task``/``mr_free_context`` entry points), so the dependency is pinned and
``tests/test_engine.py`` fails loudly if they move.

It knows nothing about tools, scripts or results: it evaluates strings and reports
notifications.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import contextlib
import functools
import importlib.metadata
import itertools
import json
import queue
import secrets
import threading
from collections.abc import Callable
from importlib import resources
from typing import Any

from langchain_codemode.errors import ConfigurationError, EngineBusyError, EngineError

try:
    from py_mini_racer import JSOOMException, JSParseException, JSTimeoutException
    from py_mini_racer import _dll as _mini_racer_dll
    from py_mini_racer._context import Context, ContextType
    from py_mini_racer._dll import mr_callback_func
    from py_mini_racer._exc import JSEvalException, JSTerminatedException
    from py_mini_racer._objects import ObjectFactoryImpl, _MiniRacerTypes
except ImportError as exc:  # pragma: no cover - exercised only on broken installs
    raise EngineError(
        "langchain-codemode needs the V8 engine from PyPI 'mini-racer' (import name "
        "'py_mini_racer'): pip install 'mini-racer==0.14.*'. Note that 'py-mini-racer' is an "
        "abandoned fork with the same import name."
    ) from exc

_STR_UTF8 = _MiniRacerTypes.str_utf8

__all__ = [
    "EvalFailed",
    "Isolate",
    "JSParseError",
    "Terminated",
    "engine_version",
    "initialize_engine",
    "release_spare_contexts",
    "set_context_limits",
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


# Callback ids 1-3 are the prelude's notifications, created before the context is bound to a
# loop; mini-racer's own counter starts after them. Id 0 is its "uncancelable task" channel,
# which a spare uses while it boots (nothing else does).
NOTIFY_WORK, NOTIFY_TOOL_CALL_LIMIT, NOTIFY_MEMORY = 1, 2, 3
_FIRST_FREE_CALLBACK_ID = 4
_BOOT_TIMEOUT = 30.0
_ERROR_TYPES = range(200, 300)  # mini-racer's exception value types


def _dll() -> Any:
    """mini-racer's loaded library (initialised by :func:`initialize_engine`)."""
    handle = _mini_racer_dll._dll_handle
    if handle is None:
        raise EngineError("the V8 engine is not initialised (call initialize_engine())")
    return handle


@functools.lru_cache(maxsize=1)
def _prelude_source() -> str:
    """``prelude.js`` without its whole-line comments, which V8 would scan in every context.

    Safe because the prelude has no template literals and no line continuations (a test
    keeps it so): a line that starts with ``//`` is always a comment.
    """
    text = resources.files(__package__).joinpath("prelude.js").read_text("utf-8")
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("//"))


class _NativeContext:
    """A native mini-racer context, booted with the prelude, not yet bound to an event loop.

    mini-racer's own factory binds the loop at creation; splitting the two lets a context be
    created and booted ahead of time on a helper thread, where blocking is harmless because no
    user code exists yet. While booting, evaluation results arrive on a private queue.
    """

    def __init__(self) -> None:
        self.dll = _dll()
        self.context: Any = None
        self.host_name = "__codemode_" + secrets.token_hex(8)
        self._boot_results: queue.SimpleQueue[Any] = queue.SimpleQueue()

        @mr_callback_func
        def on_callback(callback_id: int, raw_val_handle: Any) -> None:
            context = self.context
            if context is not None:
                context.handle_callback_from_v8(callback_id, raw_val_handle)
            elif callback_id == 0:
                self._boot_results.put(raw_val_handle)

        self._callback = on_callback  # ctypes must keep the trampoline alive
        self.handle = self.dll.mr_init_context(on_callback)
        self._freed = False
        self.memory_limit = 0

    def _string(self, text: str) -> Any:
        data = text.encode("utf-8")
        return self.dll.mr_alloc_string_val(self.handle, data, len(data), _STR_UTF8)

    def _eval_while_booting(self, code: str) -> Any:
        code_handle = self._string(code)
        try:
            self.dll.mr_eval(self.handle, code_handle, 0)
            raw = self._boot_results.get(timeout=_BOOT_TIMEOUT)
        finally:
            self.dll.mr_free_value(self.handle, code_handle)
        if raw.contents.type in _ERROR_TYPES:
            message = bytes(raw.contents.value.bytes_val[0 : raw.contents.len])
            self.dll.mr_free_value(self.handle, raw)
            raise EngineError("the sandbox prelude failed: " + message.decode("utf-8", "replace"))
        return raw

    def boot(self) -> None:
        """Build the JS context and install the prelude with its three notifications."""
        global_object = self._eval_while_booting("globalThis")
        try:
            for name, callback_id in (
                ("work", NOTIFY_WORK),
                ("limit", NOTIFY_TOOL_CALL_LIMIT),
                ("memory", NOTIFY_MEMORY),
            ):
                function = self.dll.mr_make_js_callback(self.handle, callback_id)
                key = self._string(f"__codemode_boot_{name}")
                result = self.dll.mr_set_object_item(self.handle, global_object, key, function)
                for value in (result, key, function):
                    self.dll.mr_free_value(self.handle, value)
        finally:
            self.dll.mr_free_value(self.handle, global_object)
        names = ", ".join(f"globalThis.__codemode_boot_{n}" for n in ("work", "limit", "memory"))
        installed = self._eval_while_booting(
            f"(\n{_prelude_source()}\n)({json.dumps(self.host_name)}, {names});"
            " delete globalThis.__codemode_boot_work; delete globalThis.__codemode_boot_limit;"
            " delete globalThis.__codemode_boot_memory; 0"
        )
        self.dll.mr_free_value(self.handle, installed)

    def set_memory_limit(self, limit: int) -> None:
        self.dll.mr_set_hard_memory_limit(self.handle, limit)
        self.dll.mr_set_soft_memory_limit(self.handle, max(limit * 3 // 4, 1))
        self.memory_limit = limit

    def bind(self, loop: asyncio.AbstractEventLoop) -> Any:
        self.context = Context(
            self.dll,
            ContextType(self.handle),
            loop,
            ObjectFactoryImpl(),
            itertools.count(_FIRST_FREE_CALLBACK_ID),
        )
        return self.context

    def free(self) -> None:
        if not self._freed:
            self._freed = True
            self.context = None
            self.dll.mr_free_context(self.handle)


def _booted_context(memory_limit: int) -> _NativeContext:
    native = _NativeContext()
    try:
        # A heap bomb without a hard limit is a V8 fatal error that aborts the process, so the
        # limit is set before any code runs (and off the event loop: the call can wait ~1 ms).
        native.set_memory_limit(memory_limit)
        native.boot()
    except BaseException:
        native.free()
        raise
    return native


DEFAULT_MAX_CONTEXTS = 256
DEFAULT_SPARES = 1


class _ContextPool:
    """Creates and frees every native context on one helper thread, with spares kept ready.

    mini-racer crashes when two threads create contexts at once, so one thread does it all,
    keeping ``spares`` booted ahead. Each live context holds an OS thread and its heap: at most
    ``max_contexts`` exist at once, and executions beyond that wait their turn in order
    (queueing, not failure); with ``max_waiting`` set, one that would queue behind that many
    others raises :class:`~langchain_codemode.errors.EngineBusyError` instead.
    """

    def __init__(self, spares: int = DEFAULT_SPARES) -> None:
        self._spares = spares
        self._ready: list[_NativeContext] = []
        self._creating = 0
        self._lock = threading.Lock()
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._memory_limit = 128 * 2**20
        self.max_contexts = DEFAULT_MAX_CONTEXTS
        self.max_waiting: int | None = None
        self._live = 0
        self._waiters: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = (
            collections.deque()
        )
        atexit.register(self.close)

    def _pool_executor(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="codemode-v8-pool"
                )
            return self._executor

    # -- admission: at most max_contexts live, the rest wait in order -------------------------
    async def _admit(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._live < self.max_contexts and not self._waiters:
                self._live += 1
                return
            if self.max_waiting is not None and len(self._waiters) >= self.max_waiting:
                raise EngineBusyError(
                    f"{self._live} sandboxes are running and {len(self._waiters)} executions "
                    f"are waiting for one (max_waiting={self.max_waiting}). Try again later, "
                    "or raise the limits with set_context_limits()."
                )
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            with self._lock:
                queued = (loop, waiter) in self._waiters
                if queued:
                    self._waiters.remove((loop, waiter))
            if not queued and waiter.done() and not waiter.cancelled():
                self._release()  # a slot was handed over just before the cancellation
            # Otherwise the hand-over under way sees the cancelled waiter and passes it on.
            raise

    def _release(self) -> None:
        """One live context fewer: hand its slot to the first waiter, if any."""
        with self._lock:
            while self._waiters:
                loop, waiter = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(self._hand_over, waiter)
                except RuntimeError:  # that waiter's loop is closed
                    continue
                return
            self._live -= 1

    def _hand_over(self, waiter: asyncio.Future[None]) -> None:
        if waiter.done():  # cancelled meanwhile: the slot goes to the next one
            self._release()
        else:
            waiter.set_result(None)

    # -- contexts ---------------------------------------------------------------------------------
    def seed(self, native: _NativeContext) -> None:
        with self._lock:
            self._ready.append(native)

    async def take(
        self, memory_limit: int
    ) -> tuple[_NativeContext, concurrent.futures.Future[None] | None]:
        """A booted context with ``memory_limit``, and the refill that its taking started.

        Spares are made with the last limit asked. Waits its turn while ``max_contexts``
        contexts are live.
        """
        await self._admit()
        try:
            return await self._take(memory_limit)
        except BaseException:
            self._release()
            raise

    async def _take(
        self, memory_limit: int
    ) -> tuple[_NativeContext, concurrent.futures.Future[None] | None]:
        self._memory_limit = memory_limit
        with self._lock:
            native = self._ready.pop() if self._ready else None
        loop = asyncio.get_running_loop()
        if native is not None and native.memory_limit != memory_limit:
            # No code has run in it: it is safe to change the limit (off the loop).
            await loop.run_in_executor(self._pool_executor(), native.set_memory_limit, memory_limit)
        if native is None:
            native = await loop.run_in_executor(
                self._pool_executor(), _booted_context, memory_limit
            )
        return native, self._refill()

    def dispose(self, native: _NativeContext) -> concurrent.futures.Future[None] | None:
        """Free a used context on the helper thread (tearing down V8 takes ~0.3 ms), and give
        its place to the next execution waiting for one."""
        native.context = None  # from now on its callbacks are dropped
        try:
            return self._pool_executor().submit(native.free)
        except RuntimeError:  # interpreter shutting down: free it here
            native.free()
            return None
        finally:
            self._release()

    def _refill(self) -> concurrent.futures.Future[None] | None:
        with self._lock:
            if len(self._ready) + self._creating >= self._spares:
                return None
            self._creating += 1
        try:
            return self._pool_executor().submit(self._create_spare)
        except RuntimeError:  # interpreter shutting down
            with self._lock:
                self._creating -= 1
            return None

    def _create_spare(self) -> None:
        try:
            native = _booted_context(self._memory_limit)
        finally:
            with self._lock:
                self._creating -= 1
        with self._lock:
            self._ready.append(native)

    def close(self) -> None:
        """Free the spares (at interpreter exit: unclosed contexts can hang it)."""
        with self._lock:
            ready, self._ready = self._ready, []
            executor, self._executor = self._executor, None
        for native in ready:
            native.free()
        if executor is not None:
            executor.shutdown(wait=True)
        with self._lock:
            ready, self._ready = self._ready, []
        for native in ready:
            native.free()


_POOL = _ContextPool()
_ENGINE_LOCK = threading.Lock()
_engine_ready = False


def initialize_engine(memory_limit: int = 128 * 2**20) -> None:
    """Initialise V8 on this thread and create its first isolate, if nobody has yet.

    The first execution calls this itself (blocking its thread once, before any user code).
    An application that also creates ``MiniRacer()`` contexts from several threads may call
    it first, on its main thread, so that V8's process-wide set-up is done before they start.
    """
    global _engine_ready
    if _engine_ready:
        return
    with _ENGINE_LOCK:
        if _engine_ready:
            return
        _check_version()
        # What init_mini_racer() does, inside mini-racer's own initialisation lock, which is
        # then held until the first isolate exists: a MiniRacer() made on another thread
        # meanwhile waits in init_mini_racer() instead of racing V8's lazy process-wide set-up
        # (two first isolates at once abort with "Check failed: !IsConfigurablePoolInitialized()").
        with _mini_racer_dll._init_lock:
            if _mini_racer_dll._dll_handle is None:
                opener = _mini_racer_dll._open_dll(_mini_racer_dll.DEFAULT_V8_FLAGS)
                _mini_racer_dll._dll_handle = opener.__enter__()  # type: ignore[assignment]
                _mini_racer_dll._dll_handle_context_manager = opener  # type: ignore[assignment]
            first = _booted_context(memory_limit)
        _POOL.seed(first)
        _engine_ready = True


def release_spare_contexts() -> None:
    """Free the warm spare context(s) and finish pending teardowns.

    A new spare is made on the next execution. Mostly for tests that count contexts.
    """
    _POOL.close()


def set_context_limits(
    *, max_contexts: int = DEFAULT_MAX_CONTEXTS, max_waiting: int | None = None
) -> None:
    """Bound the V8 contexts of this process (each is one OS thread plus its heap).

    At most ``max_contexts`` executions hold a context at once; the others wait in order and
    their ``timeout`` starts once they have one. With ``max_waiting``, an execution that would
    wait behind that many others raises :class:`~langchain_codemode.errors.EngineBusyError`.
    """
    if isinstance(max_contexts, bool) or not isinstance(max_contexts, int) or max_contexts < 1:
        raise ConfigurationError(f"max_contexts must be a positive integer, got {max_contexts!r}.")
    if max_waiting is not None and (
        isinstance(max_waiting, bool) or not isinstance(max_waiting, int) or max_waiting < 0
    ):
        raise ConfigurationError(
            f"max_waiting must be None or a non-negative integer, got {max_waiting!r}."
        )
    _POOL.max_contexts = max_contexts
    _POOL.max_waiting = max_waiting
    while True:  # a raised limit admits waiters at once
        with _POOL._lock:
            if not _POOL._waiters or _POOL._live >= max_contexts:
                return
            _POOL._live += 1
        _POOL._release()


class Isolate:
    """A fresh V8 context bound to the running event loop, used once and closed.

    Create with :meth:`open`, always :meth:`close` (a context left open can hang interpreter
    exit). :meth:`post` starts an evaluation and returns a future at once; evaluations run in
    the order posted, and V8 drains the microtask queue after each one, so a drain posted
    right behind a settle sees everything the settle's continuations did.
    """

    def __init__(self, native: _NativeContext, ctx: Any) -> None:
        self._manager: _NativeContext | None = native
        self._ctx = ctx
        self._host_name = native.host_name
        self._loop = ctx.event_loop
        self._inflight: dict[int, asyncio.Future[Any]] = {}
        self._posted = 0
        self._native_work: list[concurrent.futures.Future[None]] = []

    @classmethod
    async def open(cls, *, memory_limit: int) -> Isolate:
        """A never-used context bound to the running loop, hard heap limit set before any code."""
        initialize_engine(memory_limit)
        native, refill = await _POOL.take(memory_limit)
        ctx = native.bind(asyncio.get_running_loop())
        isolate = cls(native, ctx)
        if refill is not None:
            isolate._native_work.append(refill)
        return isolate

    @property
    def closed(self) -> bool:
        return self._manager is None

    @property
    def host_name(self) -> str:
        """The hidden global through which the host drives the prelude."""
        return self._host_name

    def on_notifications(
        self, *, work: Callable[[], None], limit: Callable[[], None], memory: Callable[[], None]
    ) -> None:
        """Route the prelude's three data-less notifications to loop callbacks."""
        table = self._ctx._active_cancelable_mr_task_callbacks
        for callback_id, callback in (
            (NOTIFY_WORK, work),
            (NOTIFY_TOOL_CALL_LIMIT, limit),
            (NOTIFY_MEMORY, memory),
        ):
            table[callback_id] = lambda _handle, callback=callback: callback()

    def post(self, code: str) -> asyncio.Future[Any]:
        """Start evaluating ``code``; the future resolves with its (primitive) completion value.

        Cancelling the future terminates the evaluation if it is still running.
        """
        if self._manager is None:
            raise RuntimeError("isolate is closed")
        ctx = self._ctx
        future: asyncio.Future[Any] = self._loop.create_future()
        code_handle = ctx._python_to_value_handle(code)
        completed: list[bool] = []  # V8 reported the evaluation's end

        def on_result(handle: Any) -> None:
            completed.append(True)
            self._complete(future, handle)

        registration = ctx._register_cancelable_mr_task_callback(on_result)
        callback_id = registration.__enter__()
        task_id = ctx._dll.mr_eval(ctx._ctx, code_handle.raw, callback_id)
        self._inflight[task_id] = future
        self._posted += 1

        def finished(_: asyncio.Future[Any]) -> None:
            self._inflight.pop(task_id, None)
            # Closing the isolate may already have dropped every registration.
            with contextlib.suppress(KeyError):
                registration.__exit__(None, None, None)
            if self._manager is not None and not completed:
                # Terminates the evaluation if it still runs. One that completed needs no
                # call (each is a hand-off between threads, the cost of a bridge hop).
                ctx._dll.mr_cancel_task(ctx._ctx, task_id)
            del code_handle_keepalive[:]

        code_handle_keepalive = [code_handle]
        future.add_done_callback(finished)
        return future

    def activity_mark(self) -> int | None:
        """``None`` while an evaluation is in flight; otherwise the number posted so far.

        JS runs only inside evaluations (the prelude never runs on its own), so while the mark
        stays the same no JS has run and the heap cannot have grown.
        """
        return None if self._inflight else self._posted

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
        freeing the context can. In-flight evaluations fail with :class:`Terminated` at once;
        the native teardown finishes on the pool's helper thread.
        """
        manager, self._manager = self._manager, None
        if manager is None:
            return
        self._fail_inflight()
        self._ctx._active_cancelable_mr_task_callbacks.clear()
        teardown = _POOL.dispose(manager)
        if teardown is not None:
            self._native_work.append(teardown)

    async def wait_closed(self) -> None:
        """Close, then wait (without blocking the loop) for the native work this isolate
        started: the spare made when it was taken, and its own teardown. Once this returns,
        the package is doing no native V8 work on this execution's behalf."""
        self.close()
        work, self._native_work = self._native_work, []
        for future in work:
            # Shielded: a cancelled wait must not cancel a queued teardown (it would leak).
            with contextlib.suppress(Exception):
                await asyncio.shield(asyncio.wrap_future(future))
