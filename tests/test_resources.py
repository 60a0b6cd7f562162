"""Isolation, concurrency and leaks: many executions leave nothing behind."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import psutil
import pytest
from conftest import ALL_TOOLS
from py_mini_racer._context import context_count

from langchain_codemode import CodeModeToolkit, ExecutionResult
from langchain_codemode.sandbox.engine import release_spare_contexts


async def test_fifty_concurrent_executions_with_one_runaway() -> None:
    loop = asyncio.get_running_loop()

    async def one(toolkit: CodeModeToolkit, i: int, finished_at: list[float]) -> object:
        result = await toolkit.aexecute(f"const r = await tools.echo({{ n: {i} }}); return r.n * 2")
        finished_at.append(loop.time())
        return result.value

    # The runaway's timeout is derived from how long 49 executions take on this machine
    # alone, so a busy machine cannot make them outlast it.
    alone = CodeModeToolkit(ALL_TOOLS)
    started = loop.time()
    await asyncio.gather(*(one(alone, i, []) for i in range(49)))
    timeout = 3.0 + 3 * (loop.time() - started)
    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=timeout)
    runaway = asyncio.ensure_future(toolkit.aexecute("await tools.echo({}); while (true) {}"))
    await asyncio.sleep(0.05)
    started = loop.time()
    finished_at: list[float] = []
    values = await asyncio.gather(*(one(toolkit, i, finished_at) for i in range(49)))
    assert values == [i * 2 for i in range(49)]
    # All 49 finished while the runaway was still running: they did not wait for its timeout.
    assert not runaway.done()
    assert max(finished_at) - started < timeout
    result = await runaway
    assert result.error_type == "timeout"


async def test_executions_never_share_globals() -> None:
    toolkit = CodeModeToolkit(ALL_TOOLS, typecheck=False)
    first = await toolkit.aexecute(
        "globalThis.leak = 'secret'; Object.prototype.polluted = 1; Array.prototype.x = 2;"
        " return typeof leak"
    )
    second = await toolkit.aexecute(
        "return [typeof leak, ({}).polluted === undefined, [].x === undefined]"
    )
    assert first.value == "string"
    assert second.value == ["undefined", True, True]


def _process_state() -> tuple[int, int, int]:
    gc.collect()
    proc = psutil.Process(os.getpid())
    # The loop's default executor (the type checker's calls) may add a worker when one call
    # comes before the last worker went idle; it is bounded, not a leak.
    executor = sum(1 for t in threading.enumerate() if t.name.startswith("asyncio_"))
    return threading.active_count() - executor, proc.num_fds(), proc.num_threads() - executor


async def test_thousand_executions_release_contexts_threads_and_fds() -> None:
    toolkit = CodeModeToolkit(ALL_TOOLS, timeout=2.0, typecheck=False)
    scripts = [
        "return (await tools.echo({ n: 1 })).n",
        "throw new Error('x')",
        "return [",
        "await new Promise(() => {})",
        "for (let i = 0; i < 2000; i++) tools.echo({}); return 1",
    ]
    for i in range(20):  # warm up pools and lazy imports
        await toolkit.aexecute(scripts[i % len(scripts)])
    release_spare_contexts()
    threads, fds, os_threads = _process_state()
    assert context_count() == 0
    for i in range(1000):
        await toolkit.aexecute(scripts[i % len(scripts)])
    release_spare_contexts()  # finishes teardowns still queued on the helper thread
    threads_after, fds_after, os_threads_after = _process_state()
    assert context_count() == 0
    assert threads_after <= threads
    assert fds_after <= fds + 2
    assert os_threads_after <= os_threads + 2


def _blocking_toolkit(release: threading.Event, finished: threading.Event) -> CodeModeToolkit:
    from langchain_core.tools import tool

    @tool
    def blocker() -> str:
        """A sync tool that blocks its thread until released."""
        release.wait(30)
        finished.set()
        return "late"

    return CodeModeToolkit([blocker], timeout=0.5, typecheck=False)


def _assert_sync_door_keeps_the_timeout(
    execute: Callable[[CodeModeToolkit], ExecutionResult], capsys: pytest.CaptureFixture[str]
) -> None:
    release, finished = threading.Event(), threading.Event()
    toolkit = _blocking_toolkit(release, finished)
    result = execute(toolkit)
    # execute() returned while the tool's thread still blocks: it did not wait for it.
    assert not finished.is_set()
    assert result.error_type == "timeout"
    assert "tools.blocker" in (result.error or "")
    release.set()
    assert finished.wait(10)
    time.sleep(0.1)  # the late result arrives at a closed loop: dropped without noise
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err


def test_execute_returns_on_time_while_a_sync_tool_blocks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_sync_door_keeps_the_timeout(
        lambda tk: tk.execute("return await tools.blocker({})"), capsys
    )


def test_execute_inside_a_running_loop_returns_on_time(capsys: pytest.CaptureFixture[str]) -> None:
    async def from_a_notebook(toolkit: CodeModeToolkit) -> ExecutionResult:
        return toolkit.execute("return await tools.blocker({})")

    _assert_sync_door_keeps_the_timeout(lambda tk: asyncio.run(from_a_notebook(tk)), capsys)


# -- the host's memory under hostile scripts (each in a child process, measured with psutil) --

_RSS_SCRIPT = """
import json, sys, threading, time
import psutil
sys.path.insert(0, "tests")
from conftest import ALL_TOOLS
from langchain_codemode import CodeModeToolkit

toolkit = CodeModeToolkit(
    ALL_TOOLS, timeout=20, memory_limit=int(sys.argv[2]), typecheck=False
)
toolkit.execute("return 1")  # warm: V8 initialised, a spare context made
process = psutil.Process()
peak = [0]
def watch():
    while True:
        peak[0] = max(peak[0], process.memory_info().rss)
        time.sleep(0.002)
time.sleep(0.05)
base = process.memory_info().rss
threading.Thread(target=watch, daemon=True).start()
result = toolkit.execute(sys.argv[1])
time.sleep(0.05)
print(json.dumps({"grew": peak[0] - base, "error_type": result.error_type,
                  "log_bytes": sum(len(line) + 1 for line in result.logs)}))
"""

RSS_LIMIT = 64 * 2**20
# V8 checks its heap limit after a garbage collection, by which time the heap may have grown
# past it by up to a generation; this margin covers that and the host's own copies.
RSS_MARGIN = 128 * 2**20
HOSTILE_FOR_MEMORY = {
    "log-flood": "const line = 'y'.repeat(1000);"
    " for (let i = 0; i < 200000; i++) console.log(line); return 'done'",
    "timer-flood": "for (let i = 0; i < 100000; i++) setTimeout(() => {}, 1e9); return 'ok'",
    "outbox-flood": "const big = 'x'.repeat(2**20 - 100);"
    " for (let i = 0; i < 1000; i++) tools.hang({ value: big + i }); await new Promise(() => {})",
    "outbox-drip": "const big = 'x'.repeat(2**20 - 100); for (let i = 0; i < 1000; i++) {"
    " tools.hang({ value: big + i }); await new Promise((r) => setTimeout(r, 0)) }",
    "microtask-storm": "const spin = () => Promise.resolve().then(spin); spin();"
    " await new Promise(() => {})",
    "heap-bomb": "const a = []; while (true) a.push({ x: a.length, y: [a.length] })",
    "string-bomb": "const a = []; while (true) a.push('x'.repeat(4e6) + a.length)",
    "arraybuffer-bomb": "const a = [];"
    " for (let i = 0; i < 30; i++) a.push(new ArrayBuffer(100 * 2**20)); return 1",
}


@pytest.mark.parametrize("name", list(HOSTILE_FOR_MEMORY))
def test_host_memory_stays_within_the_limit_plus_a_margin(name: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, HOSTILE_FOR_MEMORY[name], str(RSS_LIMIT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert report["grew"] <= RSS_LIMIT + RSS_MARGIN, (name, report)
    assert report["log_bytes"] <= 2**20 + 200  # max_log_bytes and the marker line
