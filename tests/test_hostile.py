"""Hostile and broken scripts: each ends with a defined outcome and the host keeps running."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import ALL_TOOLS, Ticker

from langchain_codemode import CodeModeToolkit, ExecutionResult


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    error_type: str | None  # None: the run succeeds
    check: Callable[[ExecutionResult], bool] = lambda r: True
    timeout: float = 1.0  # memory cases get longer: V8 notices its heap limit only at a GC


HOST = "Object.getOwnPropertyNames(globalThis).find(n => n.startsWith('__codemode'))"

CASES = [
    # loops in every position
    Case("sync-loop", "while (true) {}", "timeout"),
    Case("loop-after-await", "await tools.echo({}); while (true) {}", "timeout"),
    Case("loop-in-then", "await Promise.resolve().then(() => { for (;;) {} })", "timeout"),
    Case(
        "loop-in-timer",
        "setTimeout(() => { while (true) {} }, 1); await new Promise(() => {})",
        "timeout",
    ),
    Case("loop-in-toJSON", "return { toJSON() { while (true) {} } }", "timeout"),
    Case(
        "loop-in-log-toString",
        "console.log({ toJSON() { for (;;) {} } }); return 1",
        "timeout",
    ),
    Case("loop-in-proxy-return", "return new Proxy({}, { ownKeys() { for (;;) {} } })", "timeout"),
    Case(
        "loop-while-tool-pending",
        "tools.hang({}); await tools.echo({}); while (true) {}",
        "timeout",
    ),
    Case("catastrophic-regex", "return /^(a+)+$/.test('a'.repeat(40) + 'b')", "timeout"),
    # memory
    Case(
        "heap-bomb",
        "const a = []; while (true) a.push({ x: a.length, y: [a.length] })",
        "memory",
        timeout=10,
    ),
    Case(
        "large-string-bomb",
        "const a = []; while (true) a.push('x'.repeat(4e6) + a.length)",
        "memory",
        timeout=10,
    ),
    Case(
        "arraybuffer-bomb",
        "const a = []; for (let i = 0; i < 30; i++) a.push(new ArrayBuffer(100 * 2**20)); return 1",
        "memory",
    ),
    Case(
        "typed-array-bomb",
        "const a = []; for (let i = 0; i < 30; i++) a.push(new Float64Array(13 * 2**20)); return 1",
        "memory",
    ),
    Case(
        "typed-array-slice-bomb",
        "const s = new Uint8Array(50 * 2**20); const a = [];"
        " for (let i = 0; i < 30; i++) a.push(s.slice()); return 1",
        "memory",
    ),
    Case("resizable-buffer", "new ArrayBuffer(1, { maxByteLength: 2**33 }); return 1", "memory"),
    Case(
        "catch-memory-error",
        "const a = []; for (let i = 0; i < 30; i++) { try { a.push(new ArrayBuffer(100 * 2**20)) }"
        " catch {} } return 'survived'",
        "memory",
    ),
    Case(
        "intl-bomb",
        "const a = []; for (let i = 0; i < 1e5; i++) a.push(new Intl.NumberFormat('en')); return 1",
        "memory",
    ),
    Case(
        "string-bomb", "let s = 'x'; while (true) s += s; return s.length", None, lambda r: False
    ),  # replaced below: either runtime RangeError or memory
    Case(
        "deep-recursion",
        "function f() { return f() + 1 } return f()",
        "runtime",
        lambda r: "call stack" in (r.error or ""),
    ),
    # promises and throws
    Case("never-settles", "await new Promise(() => {})", "stalled"),
    Case(
        "throw-string",
        "throw 'plain string'",
        "runtime",
        lambda r: "plain string" in (r.error or ""),
    ),
    Case("throw-null", "throw null", "runtime"),
    Case(
        "throw-evil-object",
        "throw { get message() { throw new Error('nope') }, toString() { throw 1 } }",
        "runtime",
    ),
    Case("reject-non-error", "await Promise.reject(42)", "runtime"),
    # the bridge and the globals
    Case(
        "forged-drain",
        f"const h = globalThis[{HOST}]; const p = tools.echo({{}}); h.drain(); return await p",
        "stalled",
    ),
    Case(
        "forged-settle",
        f"const h = globalThis[{HOST}]; h.settle(JSON.stringify([[999, true, '1']])); return 7",
        None,
        lambda r: r.value == 7,
    ),
    Case("replace-host", f"globalThis[{HOST}] = null; return 1", None, lambda r: r.value == 1),
    Case(
        "tamper-tools",
        "tools.echo = null; delete tools.echo; return (await tools.echo({ value: 'still' })).value",
        None,
        lambda r: r.value == "still",
    ),
    Case(
        "tamper-json",
        "JSON.stringify = () => 'hijacked'; JSON.parse = () => 0;"
        " return (await tools.echo({ value: 'v' })).value",
        None,
        lambda r: r.value == "v",
    ),
    Case(
        "tamper-object-prototype",
        "Object.prototype.then = function (res) { res('hijacked') }; return await tools.echo({})",
        None,
    ),
    Case(
        "tamper-promise",
        "Promise.prototype.then = function () { while (true) {} }; return await tools.echo({})",
        None,
    ),
    Case(
        "undeclared-tool",
        "await tools.nope({})",
        "runtime",
        lambda r: (
            r.error
            == "TypeError: There is no tool tools.nope. List the tools with Object.keys(tools);"
            " the declarations show each one's arguments. (line 1)"
        ),
    ),
    Case(
        "misspelled-tool",
        "const n = 1;\nreturn await tools.thread_nam({})",
        "runtime",
        lambda r: (
            r.error is not None
            and r.error.startswith(
                "TypeError: There is no tool tools.thread_nam. Closest:"
                " tools.thread_name. List the tools with Object.keys(tools)"
            )
            and r.error.endswith("(line 2)")
        ),
    ),
    Case(
        "probing-tools",
        "return [typeof tools.then, JSON.stringify(tools), Object.keys(tools).includes('echo'),"
        " 'nope' in tools, typeof (await tools)]",
        None,
        lambda r: r.value == ["undefined", "{}", True, False, "object"],
    ),
    Case(
        "unawaited-call",
        "const pending = tools.hang({}); return 'returned early'",
        None,
        lambda r: (
            r.value == "returned early"
            and [(c.name, c.ok) for c in r.calls] == [("hang", False)]
            and r.logs[-1].startswith(
                "[warn] tools.hang was still running when the script returned"
            )
        ),
    ),
    Case(
        "many-calls-sync",
        "for (let i = 0; i < 100000; i++) tools.echo({ n: i }); return 1",
        "tool_call_limit",
        lambda r: len(r.calls) <= 200,
    ),
    Case(
        "many-calls-caught",
        "for (let i = 0; i < 100000; i++) { try { await tools.echo({ n: i }) } catch {} }",
        "tool_call_limit",
        lambda r: len(r.calls) <= 200,
    ),
    Case(
        "tool-raises",
        "try { await tools.boom({ reason: 'x' }) } catch (e) { return e.message }",
        None,
        lambda r: r.value == "tools.boom failed: cannot do that: x",
    ),
    Case(
        "tool-crashes",
        "await tools.crash({})",
        "runtime",
        lambda r: "Traceback" not in (r.error or "") and ".py" not in (r.error or ""),
    ),
    Case(
        "tool-never-returns",
        "await tools.hang({})",
        "timeout",
        lambda r: "tools.hang" in (r.error or ""),
    ),
    Case("bigint-return", "return 10n", "output"),
    Case("cyclic-return", "const a = {}; a.self = a; return a", "output"),
    Case("huge-return", "return 'x'.repeat(3 * 2**20)", "output_limit"),
    Case(
        "log-bomb",
        "for (let i = 0; i < 1e5; i++) console.log('x'.repeat(100)); return 1",
        None,
        lambda r: (
            r.logs[-1]
            == "[logs truncated: console output exceeded 65536 bytes; 99352 more lines dropped]"
            and sum(len(line) + 1 for line in r.logs[:-1]) <= 65536
        ),
    ),
    # logging never makes a script fail
    Case(
        "log-throwing-proxy",
        "console.log(new Proxy({}, { getPrototypeOf() { throw new Error('q') },"
        " get() { throw new Error('g') }, ownKeys() { throw new Error('k') } })); return 1",
        None,
        lambda r: r.value == 1 and r.logs == ["[unprintable object]"],
    ),
    Case(
        "log-revoked-proxy",
        "const p = Proxy.revocable({}, {}); p.revoke(); console.log('v', p.proxy); return 2",
        None,
        lambda r: r.value == 2 and r.logs == ["v [unprintable object]"],
    ),
    Case(
        "log-throwing-conversions",
        "console.log({ toJSON() { throw 1 }, toString() { throw 2 } },"
        " { get x() { throw 3 } }, Object.create(null)); return 3",
        None,
        lambda r: r.value == 3 and r.logs[0].startswith("[unprintable object]"),
    ),
    Case(
        "log-error-with-throwing-name",
        "const e = new Error('m'); Object.defineProperty(e, 'name', { get() { throw 1 } });"
        " console.log(e); console.warn(e); return 4",
        None,
        lambda r: r.value == 4 and len(r.logs) == 2,
    ),
    # busy, not stalled
    Case(
        "microtask-storm",
        "const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {})",
        "memory",  # or timeout, see _expected_ok
        timeout=10,
    ),
    Case(
        "microtask-busy",
        "const spin = () => { Promise.resolve().then(spin) }; spin(); await new Promise(() => {})",
        "timeout",
    ),
    # timers stay in the isolate
    Case(
        "timer-flood",
        "for (let i = 0; i < 100000; i++) setTimeout(() => {}, 1e9); return 'ok'",
        "runtime",
        lambda r: "too many pending timers" in (r.error or ""),
    ),
    Case(
        "timer-flood-caught",
        "let refused = 0; for (let i = 0; i < 20000; i++) { try { setTimeout(() => {}, 1e9) }"
        " catch (e) { refused++ } } return refused",
        None,
        lambda r: r.value == 10000,
    ),
    Case(
        "timer-flood-cleared",
        "for (let i = 0; i < 50000; i++) clearTimeout(setTimeout(() => {}, 1e9)); return 'ok'",
        None,
        lambda r: r.value == "ok",
    ),
    Case("require", "require('fs')", "runtime", lambda r: "require is not defined" in r.error),
    Case("process", "process.exit(1)", "runtime", lambda r: "process is not defined" in r.error),
    Case("dynamic-import", "await import('fs')", "runtime"),
    Case(
        "no-escape-hatches",
        "return [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics, typeof fetch,"
        " typeof XMLHttpRequest, typeof FinalizationRegistry]",
        None,
        lambda r: set(r.value) == {"undefined"},
    ),
    Case(
        "bad-args-type",
        "await tools.add({ a: 'not a number', b: 1 })",
        "runtime",
        lambda r: "'a'" in (r.error or ""),
    ),
    Case("args-not-object", "await tools.echo(5)", "runtime"),
    Case("args-bigint", "await tools.echo({ n: 1n })", "runtime"),
    Case("syntax-error", "return {", "syntax"),
]


def _expected_ok(case: Case, result: ExecutionResult) -> None:
    if case.id == "string-bomb":
        assert not result.ok
        assert result.error_type in ("runtime", "memory")
        return
    if case.id == "microtask-storm":  # busy until the heap or the clock runs out
        assert result.error_type in ("memory", "timeout"), result.error
        return
    if case.error_type is None:
        if case.id.startswith("tamper-"):
            assert result.error_type in (None, "timeout", "runtime", "stalled")
        else:
            assert result.ok, result.error
    else:
        assert not result.ok
        assert result.error_type == case.error_type, result.error
    assert case.check(result)
    for text in [result.error or "", *result.logs]:
        assert "Traceback" not in text
        assert "site-packages" not in text


def hostile_toolkit(timeout: float) -> CodeModeToolkit:
    # Unchecked: these scripts test the bridge's own defences, which hold with the check off.
    return CodeModeToolkit(
        ALL_TOOLS, timeout=timeout, max_log_bytes=64 * 1024, max_tool_calls=200, typecheck=False
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_script(case: Case, ticker: Ticker) -> None:
    toolkit = hostile_toolkit(case.timeout)
    result = await toolkit.aexecute(case.code)
    _expected_ok(case, result)
    # The host loop kept ticking throughout, and the toolkit still works afterwards.
    await asyncio.sleep(0.05)
    assert ticker.ticks > 0
    assert ticker.max_gap < 0.5, f"host loop stalled for {ticker.max_gap:.3f}s"
    again = await toolkit.aexecute("return 1 + 1")
    assert again.ok and again.value == 2


async def test_pending_timers_cost_the_host_nothing_each(ticker: Ticker) -> None:
    """Thousands of pending timers: the host keeps one timer of its own, not one per timer."""
    loop = asyncio.get_running_loop()
    scheduled: list[float] = []
    call_later = loop.call_later

    def counting_call_later(delay: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        scheduled.append(delay)
        return call_later(delay, *args, **kwargs)

    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=10, typecheck=False)
    await toolkit.aexecute("return 0")  # warm up
    loop.call_later = counting_call_later  # type: ignore[method-assign]
    try:
        result = await toolkit.aexecute(
            "for (let i = 0; i < 9000; i++) setTimeout(() => {}, 1e9 + i);"
            " const order = []; for (const d of [30, 10, 20]) setTimeout(() => order.push(d), d);"
            " await new Promise((r) => setTimeout(r, 60)); return order"
        )
    finally:
        del loop.call_later
    assert result.value == [10, 20, 30], result.error
    # The ticker (every 10 ms) and the deadline use a few; the 9003 timers at most a handful.
    timer_waits = [d for d in scheduled if d > 0.001 and d != ticker.interval]
    assert len(timer_waits) <= 12, len(timer_waits)
    assert ticker.max_gap < 0.5


async def test_timers_fire_in_order_including_ones_set_by_timers() -> None:
    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=10, typecheck=False)
    result = await toolkit.aexecute(
        "const seen = [];"
        " for (let i = 0; i < 300; i++) setTimeout(() => seen.push(i), 300 - i);"
        " const t = setTimeout(() => seen.push('cleared'), 5); clearTimeout(t);"
        " setTimeout(() => { seen.push('a'); setTimeout(() => seen.push('c'), 0) }, 400);"
        " setTimeout(() => seen.push('b'), 400);"
        " await new Promise((r) => setTimeout(r, 450));"
        " return [seen.length, seen.slice(0, 3), seen.slice(-3), Date.now() - START]".replace(
            "START", "0"
        )
    )
    assert result.ok, result.error
    count, first, last, _ = result.value
    assert count == 303
    assert first == [299, 298, 297]
    assert last == ["a", "b", "c"]


async def test_runaway_script_never_freezes_the_loop(ticker: Ticker) -> None:
    """FACTS hazard 1: `await tools.x(); while (true) {}` must not wedge the host loop."""
    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=1.0)
    before = ticker.ticks
    result = await toolkit.aexecute("await tools.echo({}); while (true) {}")
    assert result.error_type == "timeout"
    assert ticker.ticks - before >= 20  # ~100 expected at 10 ms; a frozen loop gives 0


async def test_cancelling_stops_script_and_pending_calls() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    from langchain_core.tools import tool

    @tool
    async def wait_forever() -> str:
        """Waits until cancelled."""
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "never"

    toolkit = CodeModeToolkit([wait_forever], timeout=30)
    task = asyncio.ensure_future(toolkit.aexecute("await tools.wait_forever({}); while (true) {}"))
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cancelled.is_set()


async def test_cancelling_a_busy_script() -> None:
    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=30)
    task = asyncio.ensure_future(toolkit.aexecute("while (true) {}"))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_each_toolkit_gets_its_own_memory_limit() -> None:
    script = "const a = new Array(6e6).fill(0).map((_, i) => ({ i })); return a.length"
    small = CodeModeToolkit(ALL_TOOLS, memory_limit=32 * 2**20, timeout=10)
    large = CodeModeToolkit(ALL_TOOLS, memory_limit=1024 * 2**20, timeout=10)
    assert (await small.aexecute(script)).error_type == "memory"
    assert (await large.aexecute(script)).value == 6_000_000
    assert (await small.aexecute(script)).error_type == "memory"
