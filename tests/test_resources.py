"""Isolation, concurrency and leaks: many executions leave nothing behind."""

from __future__ import annotations

import asyncio
import gc
import os
import threading

import psutil
from conftest import ALL_TOOLS
from py_mini_racer._context import context_count

from langchain_codemode import CodeModeToolkit
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
    return threading.active_count(), proc.num_fds(), proc.num_threads()


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
