"""Running one script: the bridge between a V8 isolate and async Python tool calls.

Owns an execution from start to finish: wrap the (already stripped) source as an async
function, take a fresh isolate whose prelude is installed, configure and start the script in
one evaluation, then pump. The pump drains the
script's outbox of tool calls and timer requests (one evaluation returns them all as JSON),
runs every call as its own asyncio task (so ``Promise.all`` runs calls concurrently), and
settles finished calls in batches, always posting a drain right behind each settle so a
sequential ``await`` costs one pipelined pair of evaluations. Every limit is enforced here and
every failure becomes an :class:`ExecutionResult` with a short model-facing message.

It does not know what a tool is: it receives identifiers, their names, and an async invoker.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from langchain_codemode.errors import ErrorType, TypeScriptSyntaxError
from langchain_codemode.result import ExecutionResult, ToolCallRecord
from langchain_codemode.sandbox.engine import EvalFailed, Isolate, JSParseError, Terminated

__all__ = [
    "CALL_INDEX",
    "CallOutcome",
    "EndRun",
    "EventSink",
    "Invoker",
    "Limits",
    "Session",
    "run_script",
]

SCRIPT_URL = "script.js"

TIMEOUT_MESSAGE = "Timed out after {seconds:g}s {activity}. Do less work per run, or split the job."
MEMORY_MESSAGE = (
    "The script ran out of memory (limit {megabytes:g} MB). Work on smaller pieces of data and "
    "return less."
)
TOOL_CALL_LIMIT_MESSAGE = (
    "The script made more than {limit} tool calls, the limit for one run. Ask for fewer items "
    "or use tools that return more per call."
)
OUTPUT_LIMIT_MESSAGE = (
    "The returned value is {size} bytes as JSON, over the {limit}-byte limit. Return a summary "
    "or a slice instead."
)
OUTPUT_MESSAGE = (
    "The returned value cannot be converted to JSON ({detail}). Return plain data: objects, "
    "arrays, strings, numbers, booleans or null."
)
STALLED_MESSAGE = (
    "The script can never finish: it is awaiting a promise that nothing will settle (no tool "
    "call or timer is pending). Make sure every awaited promise resolves."
)
LOGS_TRUNCATED_MARKER = (
    "[logs truncated: console output exceeded {limit} bytes; {dropped} more lines dropped]"
)
UNFINISHED_CALL_ERROR = "not finished: the run ended before the tool returned"
UNAWAITED_CALLS_NOTE = (
    "[warn] {calls} still running when the script returned, and stopped: await every tool "
    "call (or await Promise.all([...])) before returning."
)
INTERNAL_MESSAGE = "The sandbox failed unexpectedly ({detail}). Try again."


class EndRun(Exception):
    """Raised by an invoker to end the run at once with a model-facing error of its own."""

    def __init__(self, message: str, error_type: ErrorType) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type


_POLL_INTERVAL = 0.02


@dataclass(frozen=True)
class Limits:
    """Resource limits for one execution (see ``CodeModeToolkit`` for their meaning)."""

    timeout: float = 30.0
    memory_limit: int = 128 * 2**20
    max_tool_calls: int = 1000
    max_value_bytes: int = 2**20
    max_log_bytes: int = 2**20


@dataclass(frozen=True)
class CallOutcome:
    """What a tool call gave the script: a JSON-compatible value, or a model-facing error."""

    ok: bool
    value: Any = None
    error: str | None = None
    replayed: bool = False
    """Answered from a journal record: the tool did not run this time."""
    json_text: str | None = None
    """``value`` as JSON text (``json.dumps(value, ensure_ascii=False, allow_nan=False)``),
    when the caller made it on the way; saves encoding a large result twice."""


@dataclass(frozen=True)
class Session:
    """What one execution starts from besides its code: the clock and random seed it sees
    (fixed per execution, so replaying it replays them), and the workspace, if it has one."""

    clock_ms: float
    seed: int
    workspace: Mapping[str, Any] | None = None

    @classmethod
    def fresh(cls, workspace: Mapping[str, Any] | None = None) -> Session:
        return cls(
            clock_ms=round(time.time() * 1000.0), seed=secrets.randbits(32), workspace=workspace
        )


Invoker = Callable[[str, dict[str, Any]], Awaitable[CallOutcome]]

CALL_INDEX: contextvars.ContextVar[int] = contextvars.ContextVar("codemode_call_index", default=0)
"""The index of the bridged call being invoked (its place in ``ExecutionResult.calls``)."""
IdleWaiter = Callable[[], "asyncio.Future[None]"]
WHEN_IDLE: contextvars.ContextVar[IdleWaiter | None] = contextvars.ContextVar(
    "codemode_when_idle", default=None
)
"""For the call being invoked: a future that resolves once the script can make no progress
but through the calls waiting on such futures (every pending call waits on one and the script
has nothing left to run). Those resolve together, in one go: approvals use it to ask about
every call pending at that moment at once."""
EventSink = Callable[[dict[str, Any]], None]


def prepare(js: str, *, is_async_arrow: bool, host_name: str, config: str) -> str:
    """Wrap stripped JavaScript so its first line stays line 1 of the evaluated source.

    The same evaluation configures the context (limits, tool identifiers) and starts the
    script, so an execution costs one round trip before its first drain.
    """
    setup = f"{host_name}.configure({json.dumps(config)}); "
    if is_async_arrow:
        prefix = f"{setup}{host_name}.start(async () => {{ const __main = "
        suffix = "\n; return __main(); })"
    else:
        prefix = f"{setup}{host_name}.start(async () => {{"
        suffix = "\n})"
    return f"{prefix}{js}{suffix}\n//# sourceURL={SCRIPT_URL}\n"


_FRAME = re.compile(re.escape(SCRIPT_URL) + r":(\d+):(\d+)")
_PARSE_LOCATION = re.compile(r"^(?:[^\n:]*):(\d+): (\w*Error: [^\n]*)")


def describe_js_error(error: Mapping[str, Any]) -> str:
    """``Name: message (line N)`` from the prelude's error description."""
    name = str(error.get("name") or "Error")
    message = str(error.get("message") or "")
    stack = str(error.get("stack") or "")
    if name == "thrown":
        text = f"Uncaught {message}"
    else:
        text = f"{name}: {message}" if message else name
    frame = _FRAME.search(stack)
    if frame:
        text += f" (line {frame.group(1)})"
    return text


def describe_parse_error(message: str) -> str:
    """``SyntaxError: ... (line N)`` from V8's parse failure text."""
    found = _PARSE_LOCATION.search(message)
    if found:
        return f"{found.group(2).strip()} (line {found.group(1)})"
    first = message.strip().splitlines()[0] if message.strip() else "SyntaxError"
    return re.sub(r"^[^\s:]*:\d+: ", "", first)


class _Run:
    """The state of one execution while it pumps."""

    def __init__(
        self,
        isolate: Isolate,
        names: Mapping[str, str],
        invoker: Invoker,
        limits: Limits,
        on_event: EventSink | None = None,
    ) -> None:
        self.isolate = isolate
        self.host = isolate.host_name
        self.names = names
        self.invoker = invoker
        self.limits = limits
        self.on_event = on_event
        self.loop = asyncio.get_running_loop()
        self.wake = asyncio.Event()
        self.work_pinged = False
        self.settlements: list[list[Any]] = []
        self.timer_due: float | None = None  # the isolate's clock time the host waits for
        self.timer_handle: asyncio.TimerHandle | None = None
        self.timer_fired: float | None = None  # came due: post host.fire() with it
        self.timer_lag_ms = 0.0
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.idle_waiters: list[asyncio.Future[None]] = []
        self.records: list[ToolCallRecord | None] = []
        self.pending_args: dict[int, dict[str, Any]] = {}
        self.pending_names: dict[int, tuple[str, float]] = {}  # index -> (name, started)
        self.logs: list[str] = []
        self.log_bytes = 0
        self.logs_truncated = False
        self.dropped_lines = 0
        self.notes: list[str] = []  # host lines that follow the script's own logs
        self.outcome: dict[str, Any] | None = None
        self.halt_reason: str | None = None
        self.ended: EndRun | None = None
        self.fatal: BaseException | None = None
        self.heap_checked_at: int | None = None
        self.heap_seen_at: int | None = None

    # -- notifications from JS (run on the loop thread) ----------------------------------------
    def on_work(self) -> None:
        self.work_pinged = True
        self.wake.set()

    def on_tool_call_limit(self) -> None:
        self.halt_reason = self.halt_reason or "tool_call_limit"
        self.on_halt()

    def on_memory(self) -> None:
        self.halt_reason = self.halt_reason or "memory"
        self.on_halt()

    def on_halt(self) -> None:
        self.isolate.close()
        self.wake.set()

    # -- evaluation helpers -------------------------------------------------------------------
    async def _evaluate_then_drain(self, sources: list[str], lag_ms: float = 0.0) -> None:
        futures = [self.isolate.post(source) for source in sources]
        drain = self.isolate.post(f"{self.host}.drain()")
        try:
            for future in futures:
                await future
            payload = await drain
        finally:
            for future in [*futures, drain]:
                if not future.done():
                    future.cancel()
                elif not future.cancelled():
                    future.exception()  # mark as retrieved; the first failure is re-raised
        self._absorb(payload, lag_ms)

    def _absorb(self, payload: Any, lag_ms: float = 0.0) -> None:
        if not isinstance(payload, str):
            raise EvalFailed("drain returned no text")
        message = json.loads(payload)
        for line in message.get("logs") or []:
            self._add_log(str(line))
        dropped = message.get("dropped")
        if isinstance(dropped, int) and dropped > self.dropped_lines:
            self.dropped_lines = dropped
        self._schedule_timer(message.get("timer"), message.get("timerDue"), lag_ms)
        for entry in message.get("calls") or []:
            self._start_call(entry)
        if message.get("halt"):
            self.halt_reason = str(message["halt"])
        done = message.get("done")
        if isinstance(done, dict) and self.outcome is None:
            self.outcome = done

    def _add_log(self, line: str) -> None:
        # The prelude already keeps logs within max_log_bytes; this is the host's own guard.
        if self.logs_truncated:
            return
        size = len(line.encode("utf-8", "replace")) + 1
        if self.log_bytes + size > self.limits.max_log_bytes:
            self.logs_truncated = True
            return
        self.log_bytes += size
        self.logs.append(line)

    def final_logs(self) -> list[str]:
        lines = list(self.logs)
        if self.dropped_lines or self.logs_truncated:
            lines.append(
                LOGS_TRUNCATED_MARKER.format(
                    limit=self.limits.max_log_bytes, dropped=max(self.dropped_lines, 1)
                )
            )
        return [*lines, *self.notes]

    def _schedule_timer(self, delay_ms: Any, due: Any, lag_ms: float) -> None:
        """Wait for the isolate's earliest timer: one host timer, however many the script set.

        ``lag_ms``: how late the host fired the timers of the evaluation being absorbed; the
        isolate's clock stopped at their due time, so the next one is that much nearer.
        """
        if not isinstance(due, (int, float)) or not isinstance(delay_ms, (int, float)):
            due = None
        if due == self.timer_due:
            return  # already waiting for it (its delay counts from when it was first seen)
        if self.timer_handle is not None:
            self.timer_handle.cancel()
            self.timer_handle = None
        self.timer_due = due
        if due is not None:
            seconds = max(0.0, (float(delay_ms) - lag_ms) / 1000.0)
            self.timer_handle = self.loop.call_later(
                seconds, self._timer_came_due, due, self.loop.time() + seconds
            )

    def _timer_came_due(self, due: float, planned: float) -> None:
        self.timer_handle = None
        self.timer_due = None
        # Fire everything due by now on the isolate's clock, not just the earliest timer: a
        # host that runs late catches up in one evaluation instead of one per timer.
        self.timer_lag_ms = max(0.0, (self.loop.time() - planned) * 1000.0)
        self.timer_fired = due + self.timer_lag_ms
        self.wake.set()

    def _start_call(self, entry: Any) -> None:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], int)
            and isinstance(entry[1], str)
            and isinstance(entry[2], str)
        ):
            return
        call_id, identifier, args_json = entry
        name = self.names.get(identifier)
        if name is None:  # forged through the host object: refuse, record nothing
            self.settlements.append([call_id, False, f"tools.{identifier} is not a tool"])
            return
        if len(self.records) >= self.limits.max_tool_calls:
            self.halt_reason = "tool_call_limit"
            return
        try:
            args = json.loads(args_json)
        except ValueError:
            args = None
        if not isinstance(args, dict):
            self.settlements.append([call_id, False, f"tools.{identifier} takes one object"])
            return
        index = len(self.records)
        self.records.append(None)
        self.pending_args[index] = args
        self.pending_names[index] = (name, time.perf_counter())
        self.tasks[call_id] = self.loop.create_task(
            self._call(call_id, index, name, identifier, args), name=f"call:tools.{identifier}"
        )

    async def _call(
        self, call_id: int, index: int, name: str, identifier: str, args: dict[str, Any]
    ) -> None:
        started = time.perf_counter()
        self._emit({"event": "tool_start", "tool": name, "index": index, "args": args})
        CALL_INDEX.set(index)  # this task's own context
        WHEN_IDLE.set(self.when_idle)
        try:
            outcome = await self.invoker(identifier, args)
        except asyncio.CancelledError:
            raise
        except EndRun as exc:
            self.ended = self.ended or exc
            self.halt_reason = self.halt_reason or "ended"
            self.on_halt()
            return
        except BaseException as exc:  # control flow that must not be caught by the script
            self.fatal = exc
            self.isolate.close()
            self.wake.set()
            return
        finally:
            self.tasks.pop(call_id, None)
        duration = (time.perf_counter() - started) * 1000.0
        self.pending_args.pop(index, None)
        self._emit(
            {
                "event": "tool_end",
                "tool": name,
                "index": index,
                "ok": outcome.ok,
                "duration_ms": duration,
                "replayed": outcome.replayed,
            }
        )
        if outcome.ok:
            try:
                payload = outcome.json_text
                if payload is None:
                    payload = json.dumps(outcome.value, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as exc:
                outcome = CallOutcome(ok=False, error=f"{name} returned a non-JSON value ({exc})")
            else:
                self.records[index] = ToolCallRecord(
                    name=name, args=args, ok=True, output=outcome.value, duration_ms=duration
                )
                self.settlements.append([call_id, True, payload])
                self.wake.set()
                return
        error = outcome.error or f"{name} failed"
        self.records[index] = ToolCallRecord(
            name=name, args=args, ok=False, error=error, duration_ms=duration
        )
        self.settlements.append([call_id, False, error])
        self.wake.set()

    def _emit(self, event: dict[str, Any]) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # an observer must not break the script
                self.on_event(event)

    def when_idle(self) -> asyncio.Future[None]:
        """See :data:`WHEN_IDLE`; the pump resolves the futures when it finds itself idle."""
        waiter: asyncio.Future[None] = self.loop.create_future()
        self.idle_waiters.append(waiter)
        self.wake.set()
        return waiter

    def _release_if_idle(self) -> None:
        """With nothing to deliver to the script: if every pending call waits for idleness,
        resolve them all (timers not yet due do not count: a script may hold one forever)."""
        self.idle_waiters = [waiter for waiter in self.idle_waiters if not waiter.done()]
        if self.idle_waiters and len(self.idle_waiters) >= len(self.tasks):
            waiters, self.idle_waiters = self.idle_waiters, []
            for waiter in waiters:
                waiter.set_result(None)

    # -- the pump -------------------------------------------------------------------------------
    async def pump(self, start_source: str) -> None:
        await self._evaluate_then_drain([start_source])
        while self.outcome is None and self.halt_reason is None:
            if self.isolate.closed:  # halted: a limit, or a tool's control flow
                return
            if self.settlements or self.timer_fired is not None:
                sources: list[str] = []
                if self.settlements:
                    # [[id, ok, text], ...] is JSON and, holding only numbers, booleans and
                    # strings, a JS array literal too: V8 reads it as source, with no
                    # string-in-a-string escaping of large results and no JSON.parse. ASCII
                    # escapes keep lone surrogates (which UTF-8 cannot carry) intact.
                    batch = json.dumps(self.settlements)
                    self.settlements = []
                    sources.append(f"{self.host}.settle({batch})")
                lag_ms = 0.0
                if self.timer_fired is not None:
                    sources.append(f"{self.host}.fire({json.dumps(self.timer_fired)})")
                    self.timer_fired = None
                    lag_ms = self.timer_lag_ms
                self.work_pinged = False
                await self._evaluate_then_drain(sources, lag_ms)
            elif self.work_pinged:
                self.work_pinged = False
                await self._evaluate_then_drain([])
            elif not self.tasks and self.timer_handle is None:
                # A drain ran, so the microtask queue is empty: either the script awaits
                # something nothing will settle, or V8 ended a microtask storm at the heap
                # limit (a busy script, not a stalled one).
                if self.isolate.heap_limit_reached():
                    self.halt_reason = "memory"
                else:
                    self.outcome = {"ok": False, "kind": "stalled"}
            else:
                self._release_if_idle()
                self.wake.clear()
                await self.wake.wait()

    def check_heap(self) -> bool:
        """Halt the run if V8 hit the hard heap limit; whether the run needs no more checks."""
        mark = self.isolate.activity_mark()
        if mark is not None and mark == self.heap_checked_at:
            return False  # no JS ran since the last check that found the isolate idle
        if self.isolate.heap_limit_reached():
            self.halt_reason = "memory"
            self.on_halt()
            return True
        # An idle mark counts once a check has seen it twice: JS may still be finishing the
        # evaluation whose result just arrived.
        self.heap_checked_at = mark if mark == self.heap_seen_at else None
        self.heap_seen_at = mark
        return False

    async def shutdown(self) -> None:
        if self.timer_handle is not None:
            self.timer_handle.cancel()
            self.timer_handle = None
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def unfinished_calls(self) -> list[str]:
        """``tools.<identifier>`` of every call issued but not answered, in issue order."""
        identifiers = {name: identifier for identifier, name in self.names.items()}
        return [
            "tools." + identifiers.get(self.pending_names[index][0], self.pending_names[index][0])
            for index, record in enumerate(self.records)
            if record is None and index in self.pending_names
        ]

    def call_records(self) -> list[ToolCallRecord]:
        records: list[ToolCallRecord] = []
        ended = time.perf_counter()
        for index, record in enumerate(self.records):
            if record is None:
                name, started = self.pending_names.get(index, ("?", ended))
                record = ToolCallRecord(
                    name=name,
                    args=self.pending_args.get(index, {}),
                    ok=False,
                    error=UNFINISHED_CALL_ERROR,
                    duration_ms=(ended - started) * 1000.0,
                )
            records.append(record)
        return records


class _HeapWatch:
    """One task per event loop that polls the heap limit of every running execution.

    An OOM inside async code can leave the script's promise pending forever; only V8's flag
    tells. One shared ticker instead of one per execution keeps a thousand concurrent runs
    from costing fifty thousand wake-ups a second, and an isolate in which no JS ran since
    its last check is not asked again (each question is a call into mini-racer).
    """

    def __init__(self) -> None:
        self.runs: set[_Run] = set()
        self.task: asyncio.Task[None] | None = None

    def add(self, run: _Run) -> None:
        self.runs.add(run)
        if self.task is None:
            # An empty context: the ticker must not keep the first run's variables alive.
            self.task = contextvars.Context().run(run.loop.create_task, self._tick())

    def discard(self, run: _Run) -> None:
        self.runs.discard(run)

    async def _tick(self) -> None:
        try:
            while self.runs:
                await asyncio.sleep(_POLL_INTERVAL)
                for run in list(self.runs):
                    if run.check_heap():
                        self.runs.discard(run)
        finally:
            self.task = None


_HEAP_WATCH: dict[asyncio.AbstractEventLoop, _HeapWatch] = {}


def _heap_watch(loop: asyncio.AbstractEventLoop) -> _HeapWatch:
    watch = _HEAP_WATCH.get(loop)
    if watch is None or loop.is_closed():
        for stale in [key for key in _HEAP_WATCH if key.is_closed()]:
            del _HEAP_WATCH[stale]
        watch = _HEAP_WATCH[loop] = _HeapWatch()
    return watch


def _failure(error: str, error_type: ErrorType) -> dict[str, Any]:
    return {"ok": False, "error": error, "error_type": error_type}


async def run_script(
    js: str,
    *,
    is_async_arrow: bool,
    names: Mapping[str, str],
    invoker: Invoker,
    limits: Limits,
    on_event: EventSink | None = None,
    session: Session | None = None,
) -> ExecutionResult:
    """Run stripped JavaScript in a fresh isolate; ``names`` maps identifiers to tool names.

    ``session`` fixes the clock, the random seed and the workspace (a fresh one by default:
    the current time, a random seed, no workspace).

    ``on_event`` observes each bridged call: ``{"event": "tool_start", "tool", "index",
    "args"}`` and ``{"event": "tool_end", "tool", "index", "ok", "duration_ms",
    "replayed"}``.

    Raises only what must propagate: ``asyncio.CancelledError`` when the awaiting task is
    cancelled, and control-flow exceptions a tool raised that are not ``Exception``s (such as
    LangGraph's interrupts), after the isolate and every pending call have been stopped.
    """
    started = time.perf_counter()
    session = session or Session.fresh()
    config = json.dumps(
        {
            "identifiers": list(names),
            "maxToolCalls": limits.max_tool_calls,
            "maxValueBytes": limits.max_value_bytes,
            "maxLogBytes": limits.max_log_bytes,
            "memoryLimit": limits.memory_limit,
            "clockMs": session.clock_ms,
            "seed": session.seed,
            "workspace": None if session.workspace is None else dict(session.workspace),
        }
    )
    isolate = await Isolate.open(memory_limit=limits.memory_limit)
    # The timeout covers the script, not the wait for a context (see set_context_limits).
    started_running = time.perf_counter()
    source = prepare(js, is_async_arrow=is_async_arrow, host_name=isolate.host_name, config=config)
    run = _Run(isolate, names, invoker, limits, on_event)
    isolate.on_notifications(work=run.on_work, limit=run.on_tool_call_limit, memory=run.on_memory)
    watch = _heap_watch(run.loop)
    summary: dict[str, Any]
    try:
        watch.add(run)
        try:
            remaining = max(limits.timeout - (time.perf_counter() - started_running), 0.001)
            await asyncio.wait_for(run.pump(source), remaining)
        except asyncio.TimeoutError:
            run.isolate.close()
            activity = (
                "while waiting for " + ", ".join(_pending_tools(run))
                if run.tasks
                else "while running JavaScript"
            )
            summary = _failure(
                TIMEOUT_MESSAGE.format(seconds=limits.timeout, activity=activity), "timeout"
            )
        except JSParseError as exc:
            summary = _failure(describe_parse_error(str(exc)), "syntax")
        except (Terminated, EvalFailed) as exc:
            summary = _summarise_halt(run, exc)
        else:
            summary = _summarise_outcome(run)
            if summary.get("error_type") in (None, "runtime", "output", "output_limit"):
                # The script itself ended (returned or threw) with calls still in flight.
                unfinished = run.unfinished_calls()
                if unfinished:
                    listed = ", ".join(dict.fromkeys(unfinished))
                    count = len(unfinished)
                    run.notes.append(
                        UNAWAITED_CALLS_NOTE.format(
                            calls=f"{listed} was"
                            if count == 1
                            else f"{count} calls ({listed}) were"
                        )
                    )
        if run.fatal is not None:
            raise run.fatal
    finally:
        watch.discard(run)
        await run.shutdown()
        await isolate.wait_closed()
    return ExecutionResult(
        ok=summary["ok"],
        value=summary.get("value"),
        logs=run.final_logs(),
        calls=run.call_records(),
        error=summary.get("error"),
        error_type=summary.get("error_type"),
        duration_ms=(time.perf_counter() - started) * 1000.0,
        workspace_updates=summary.get("workspace"),
    )


def _pending_tools(run: _Run) -> list[str]:
    return sorted({task.get_name().partition(":")[2] for task in run.tasks.values()})


def _summarise_halt(run: _Run, exc: BaseException) -> dict[str, Any]:
    reason = run.halt_reason
    if reason == "ended" and run.ended is not None:
        return _failure(run.ended.message, run.ended.error_type)
    if reason is None and run.isolate.heap_limit_reached():
        reason = "memory"
    if reason == "memory":
        return _failure(MEMORY_MESSAGE.format(megabytes=run.limits.memory_limit / 2**20), "memory")
    if reason == "tool_call_limit":
        return _failure(
            TOOL_CALL_LIMIT_MESSAGE.format(limit=run.limits.max_tool_calls), "tool_call_limit"
        )
    return _failure(INTERNAL_MESSAGE.format(detail=type(exc).__name__), "internal")


def _summarise_outcome(run: _Run) -> dict[str, Any]:
    if run.halt_reason is not None:
        return _summarise_halt(run, RuntimeError(run.halt_reason))
    outcome = run.outcome or {}
    if outcome.get("ok") is True:
        text = outcome.get("value")
        if not isinstance(text, str):
            return _failure(INTERNAL_MESSAGE.format(detail="no value"), "internal")
        size = len(text.encode("utf-8", "replace"))
        if size > run.limits.max_value_bytes:
            return _failure(
                OUTPUT_LIMIT_MESSAGE.format(size=size, limit=run.limits.max_value_bytes),
                "output_limit",
            )
        workspace = outcome.get("workspace")
        return {
            "ok": True,
            "value": json.loads(text),
            "workspace": workspace if isinstance(workspace, dict) else None,
        }
    kind = outcome.get("kind")
    if kind == "output_limit":
        return _failure(
            OUTPUT_LIMIT_MESSAGE.format(size=outcome.get("size"), limit=run.limits.max_value_bytes),
            "output_limit",
        )
    if kind == "output":
        error = outcome.get("error") or {}
        detail = str(error.get("message") or "").strip().splitlines() or ["unknown reason"]
        return _failure(OUTPUT_MESSAGE.format(detail=detail[0].rstrip(" :")), "output")
    if kind == "stalled":
        return _failure(STALLED_MESSAGE, "stalled")
    return _failure(describe_js_error(outcome.get("error") or {}), "runtime")


def syntax_failure(error: TypeScriptSyntaxError) -> ExecutionResult:
    """The result for a script whose TypeScript could not be stripped."""
    return ExecutionResult(ok=False, error=str(error), error_type="syntax")
