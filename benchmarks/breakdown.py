"""Where one graph step goes: ToolNode answering 10 calls against CodeModeNode running one
script that makes the same 10 calls (``Promise.all``, then one by one), split into parts.

    taskset -c 0 python benchmarks/breakdown.py [--runs 200] [--markdown]

The package is not changed: this script wraps its functions (and LangChain's) with timers for
the length of the run. Wall-clock parts are spans on the event loop's thread, summed per step;
the CPU columns split the process's CPU time per step between the loop's thread, the engine's
helper thread (creating and freeing contexts) and the rest (V8's own threads, one per context).
Pinned to one CPU, every thread's CPU time is also wall time of somebody's step, so the CPU
columns say what a busy server pays; the wall parts say what one step waits for.

Internal names move as the package changes: a part whose function no longer exists is shown
as "-" instead of failing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextvars
import functools
import importlib
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool
from langgraph.prebuilt import ToolNode
from node_step import (
    DIRECT,
    PARALLEL_SCRIPT,
    SEQUENTIAL_SCRIPT,
    UNCHECKED,
    get_price,
    one_node_graph,
    script_message,
)

from langchain_codemode import CodeModeNode
from langchain_codemode import node as node_module
from langchain_codemode import toolkit as toolkit_module
from langchain_codemode.sandbox import engine, runner

try:  # the module that calls one tool for a script, where it exists
    calls_module: Any = importlib.import_module("langchain_codemode.calls")
except ImportError:
    calls_module = None

# -- accounting ----------------------------------------------------------------------------------
# Loop-thread CPU is attributed exclusively: every callback the event loop runs starts in the
# part named by its context (tasks inherit the part that created them), and entering or leaving
# a timed function moves the clock to the new part. So overlapping calls under Promise.all are
# not counted twice, and a part's figure excludes the parts nested inside it.

OUTSIDE = "graph, ToolNode and asyncio machinery (outside the parts)"
LOOP_IDLE = "event loop: select() and scheduling"
_PART: contextvars.ContextVar[str] = contextvars.ContextVar("breakdown_part", default=OUTSIDE)
_cpu: collections.Counter[str] = collections.Counter()
_waits: collections.Counter[str] = collections.Counter()
_counts: collections.Counter[str] = collections.Counter()
_helper_cpu: collections.Counter[str] = collections.Counter()
_lock = threading.Lock()
_clock = [LOOP_IDLE, 0.0]


def _switch(part: str) -> str:
    """Charge the loop thread's CPU since the last switch to the running part; run ``part``."""
    now = time.thread_time()
    previous = _clock[0]
    _cpu[previous] += now - _clock[1]
    _clock[0], _clock[1] = part, now
    return previous


_original_handle_run = asyncio.events.Handle._run


def _handle_run(self: Any) -> None:
    _switch(self._context.get(_PART, OUTSIDE))
    try:
        _original_handle_run(self)
    finally:
        _switch(LOOP_IDLE)


def _timed_async(
    owner: Any, name: str, label: str | Callable[..., str], *, wait: bool = False
) -> None:
    original = getattr(owner, name, None)
    if original is None:
        return

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        part = label(*args, **kwargs) if callable(label) else label
        _counts[part] += 1
        if wait:  # a span of waiting: wall time, no CPU attribution of its own
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                _waits[part] += time.perf_counter() - started
        token = _PART.set(part)
        previous = _switch(part)
        try:
            return await original(*args, **kwargs)
        finally:
            _PART.reset(token)
            _switch(_PART.get())
            del previous

    setattr(owner, name, wrapper)


def _timed_sync(owner: Any, name: str, label: str, *, helper: bool = False) -> None:
    original = getattr(owner, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            if not helper:
                return original(*args, **kwargs)
            cpu = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                with _lock:
                    _helper_cpu[label] += time.thread_time() - cpu
        _counts[label] += 1
        previous = _switch(label)
        try:
            return original(*args, **kwargs)
        finally:
            _switch(previous)

    setattr(owner, name, wrapper)


def _hop_label(_self: Any, sources: list[str], *_: Any, **__: Any) -> str:
    if sources and ".start(" in sources[0]:
        return "wait: configure + start + drain"
    if sources:
        return "wait: settle + drain"
    return "wait: drain only"


def _tool_label(tool: Any, *_: Any, **__: Any) -> str:
    if tool.name == "execute_code":
        return "execute_code's own tool run (LangChain callbacks, config)"
    return "nested tool.ainvoke (LangChain's tool machinery, tool body)"


def instrument() -> None:
    asyncio.events.Handle._run = _handle_run  # type: ignore[method-assign]
    pool = type(engine._POOL)
    _timed_async(pool, "take", "wait: context take", wait=True)
    _timed_async(pool, "take", "context take (loop side)")
    _timed_sync(engine._NativeContext, "bind", "context bind")
    _timed_sync(engine, "_booted_context", "boot: create context + prelude", helper=True)
    _timed_sync(engine._NativeContext, "free", "teardown: free context", helper=True)
    _timed_sync(engine.Isolate, "close", "teardown: close (loop side)")
    _timed_sync(toolkit_module, "strip_types", "strip TypeScript")
    _timed_sync(runner, "prepare", "prepare source + configure")
    _timed_sync(engine.Isolate, "post", "post an evaluation (loop side)")
    _timed_sync(engine.Isolate, "_complete", "evaluation completed (loop side)")
    _timed_sync(runner._Run, "_absorb", "parse drained outbox, start calls")
    _timed_async(runner._Run, "_evaluate_then_drain", _hop_label, wait=True)
    _timed_async(runner._Run, "_call", "runner: call bookkeeping, events, JSON")
    _timed_async(toolkit_module.CodeModeToolkit, "_invoke", "toolkit: validation, outcome")
    if calls_module is not None:
        _timed_async(calls_module.ToolCalls, "invoke", "toolkit: validation, outcome")
    _timed_async(CodeModeNode, "_call_nested", "node: request, runtime, wrappers")
    _timed_async(CodeModeNode, "_invoke_nested", "node: injection, ToolMessage")
    _timed_async(StructuredTool, "ainvoke", _tool_label)
    _timed_async(toolkit_module.CodeModeToolkit, "_execute", "toolkit: session, scopes")
    _timed_async(toolkit_module, "run_script", "runner: run set-up, pump, result")
    if hasattr(node_module, "Journal"):
        _timed_sync(node_module.Journal, "open", "journal open")


# -- running -----------------------------------------------------------------------------------


async def measure(graph: Any, message: Any, runs: int, gap: float) -> dict[str, Any]:
    inputs = {"messages": [HumanMessage("prices?"), message]}
    for _ in range(20):
        await graph.ainvoke(inputs)
    for counter in (_cpu, _waits, _counts, _helper_cpu):
        counter.clear()
    walls: list[float] = []
    process_cpu = loop_cpu = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        p0, t0 = time.process_time(), time.thread_time()
        state = await graph.ainvoke(inputs)
        t1 = time.thread_time()
        walls.append(time.perf_counter() - started)
        if gap:
            await asyncio.sleep(gap)
        # CPU spent during the gap belongs to this step too (a context made for the next one).
        process_cpu += time.process_time() - p0
        loop_cpu += t1 - t0
    assert state["messages"][-1].status == "success"
    return {
        "wall": statistics.median(walls),
        "cpu": {k: v / runs for k, v in _cpu.items()},
        "waits": {k: v / runs for k, v in _waits.items()},
        "counts": {k: v / runs for k, v in _counts.items()},
        "helper": {k: v / runs for k, v in _helper_cpu.items()},
        "process_cpu": process_cpu / runs,
        "loop_cpu": loop_cpu / runs,
    }


LOOP_PARTS = [
    "context take (loop side)",
    "context bind",
    "strip TypeScript",
    "prepare source + configure",
    "post an evaluation (loop side)",
    "evaluation completed (loop side)",
    "parse drained outbox, start calls",
    "runner: call bookkeeping, events, JSON",
    "toolkit: validation, outcome",
    "node: request, runtime, wrappers",
    "node: injection, ToolMessage",
    "nested tool.ainvoke (LangChain's tool machinery, tool body)",
    "journal open",
    "teardown: close (loop side)",
    "runner: run set-up, pump, result",
    "toolkit: session, scopes",
    "execute_code's own tool run (LangChain callbacks, config)",
    OUTSIDE,
    LOOP_IDLE,
]
WAITS = [
    "wait: context take",
    "wait: configure + start + drain",
    "wait: settle + drain",
    "wait: drain only",
]
HELPER_PARTS = ["boot: create context + prelude", "teardown: free context"]


def render(results: dict[str, dict[str, Any]], markdown: bool) -> str:
    names = list(results)
    base = results[names[0]]["wall"]
    lines: list[str] = []

    def row(cells: list[str]) -> None:
        if markdown:
            lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append(f"{cells[0]:62}" + "".join(f"{c:>16}" for c in cells[1:]))

    def count(r: dict[str, Any], label: str) -> str:
        n = r["counts"].get(label, 0)
        return f" ×{n:.0f}" if n >= 1.5 else ""

    row(["part, ms per step (×: times per step)", *names])
    if markdown:
        row(["---", *["--:" for _ in names]])
    row(
        [
            "graph step, median wall",
            *[f"{r['wall'] * 1e3:.2f} ({r['wall'] / base:.2f}×)" for r in results.values()],
        ]
    )
    row(
        [
            "**event loop thread, CPU by part**" if markdown else "event loop thread, CPU by part",
            *["" for _ in names],
        ]
    )
    extra = sorted({k for r in results.values() for k in r["cpu"]} - set(LOOP_PARTS))
    for label in [*LOOP_PARTS[:-2], *extra, *LOOP_PARTS[-2:]]:
        cells = [
            f"{r['cpu'][label] * 1e3:.3f}{count(r, label)}" if label in r["cpu"] else "-"
            for r in results.values()
        ]
        if any(c != "-" for c in cells):
            row([label, *cells])
    row(
        [
            "(sum of the parts above)",
            *[f"{sum(r['cpu'].values()) * 1e3:.2f}" for r in results.values()],
        ]
    )
    row(
        ["event loop thread, CPU in all", *[f"{r['loop_cpu'] * 1e3:.2f}" for r in results.values()]]
    )
    for label in HELPER_PARTS:
        cells = [
            f"{r['helper'][label] * 1e3:.3f}" if label in r["helper"] else "-"
            for r in results.values()
        ]
        row([f"helper thread CPU: {label}", *cells])
    row(
        [
            "V8's threads, CPU",
            *[
                f"{(r['process_cpu'] - r['loop_cpu'] - sum(r['helper'].values())) * 1e3:.2f}"
                for r in results.values()
            ],
        ]
    )
    row(["whole process, CPU", *[f"{r['process_cpu'] * 1e3:.2f}" for r in results.values()]])
    row(
        [
            "**waits on the loop (wall)**" if markdown else "waits on the loop (wall)",
            *["" for _ in names],
        ]
    )
    for label in WAITS:
        cells = [
            f"{r['waits'][label] * 1e3:.3f}{count(r, label)}" if label in r["waits"] else "-"
            for r in results.values()
        ]
        if any(c != "-" for c in cells):
            row([label, *cells])
    return "\n".join(lines)


async def main(runs: int, gap: float, markdown: bool) -> None:
    instrument()
    graphs = {
        "ToolNode": (one_node_graph(ToolNode([get_price])), DIRECT),
        "CodeModeNode, Promise.all": (
            one_node_graph(CodeModeNode([get_price], **UNCHECKED)),
            script_message(PARALLEL_SCRIPT),
        ),
        "CodeModeNode, one by one": (
            one_node_graph(CodeModeNode([get_price], **UNCHECKED)),
            script_message(SEQUENTIAL_SCRIPT),
        ),
    }
    results = {}
    for name, (graph, message) in graphs.items():
        results[name] = await measure(graph, message, runs, gap)
    print(render(results, markdown))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--gap", type=float, default=0.002, help="seconds of idle time between steps"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.gap, args.markdown))
