"""Load benchmark: N executions at once, each awaiting a 50 ms tool 3 times, against ToolNode.

    taskset -c 0 python benchmarks/load.py [--n 1 10 100 300 1000] [--markdown]

Rows, each N in a fresh child process (so peaks are its own):

* ``aexecute``: N ``toolkit.aexecute`` calls gathered on one event loop;
* ``graph``: N threads at once, each invoking a compiled graph whose ``CodeModeNode`` step runs
  the script (sync ``graph.invoke``: the way a threaded server runs graphs);
* ``ToolNode graph``: the same N threads, each invoking a graph in which a ``ToolNode``
  answers the same 3 calls, one model-free turn after another (what the script's three
  awaits replace).

For each: wall time, executions per second, CPU time of the whole process per execution (the
serial work: on one CPU it bounds executions per second), peak RSS over the process's RSS
before the run,
peak OS threads, and the worst stall of an event loop that only ticks every millisecond
(in ``aexecute``, the loop running the scripts; in the graph rows, the main thread's loop,
which shares the GIL with the workers).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import StructuredTool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from sandbox import StallMeter  # benchmarks/ is on the path, as for cpu_table.py

from langchain_codemode import CodeModeNode, CodeModeToolkit

# Type checking (where installed) is off: these figures are about running scripts.
UNCHECKED: dict[str, Any] = (
    {"typecheck": False} if "typecheck" in inspect.signature(CodeModeToolkit).parameters else {}
)

TOOL_SECONDS = 0.05
SCRIPT = (
    "let total = 0;\n"
    "for (let i = 0; i < 3; i++) total += (await tools.slow_lookup({ i })).value;\n"
    "return total;"
)


async def _lookup(i: int) -> dict[str, Any]:
    await asyncio.sleep(TOOL_SECONDS)
    return {"i": i, "value": i + 1}


def _lookup_sync(i: int) -> dict[str, Any]:
    time.sleep(TOOL_SECONDS)
    return {"i": i, "value": i + 1}


# Async for scripts (and ToolNode's async path); the sync twin is what a sync ToolNode calls.
slow_lookup = StructuredTool.from_function(
    func=_lookup_sync,
    coroutine=_lookup,
    name="slow_lookup",
    description="A lookup that waits like a network call.",
)


# -- process gauges --------------------------------------------------------------------------------


def _status() -> dict[str, int]:
    values: dict[str, int] = {}
    with open(f"/proc/{os.getpid()}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "Threads"):
                values[key] = int(rest.split()[0])
    return values


class Gauges:
    """Samples RSS and the OS thread count every 5 ms on a thread of its own."""

    def __init__(self) -> None:
        self.base = _status()
        self.peak_rss_kb = self.base["VmRSS"]
        self.peak_threads = self.base["Threads"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            now = _status()
            self.peak_rss_kb = max(self.peak_rss_kb, now["VmRSS"])
            self.peak_threads = max(self.peak_threads, now["Threads"])

    def __enter__(self) -> Gauges:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


# -- the workloads ---------------------------------------------------------------------------------


def code_mode_graph() -> Any:
    builder = StateGraph(MessagesState)
    builder.add_node("tools", CodeModeNode([slow_lookup], timeout=600, **UNCHECKED))
    builder.add_edge(START, "tools")
    return builder.compile()


def tool_node_graph() -> Any:
    """A model-free agent: it asks for slow_lookup(i) three times, one turn after another."""

    def agent(state: MessagesState) -> dict[str, Any]:
        turn = sum(1 for m in state["messages"] if isinstance(m, AIMessage))
        if turn == 3:
            return {"messages": [AIMessage("done")]}
        call = {"name": "slow_lookup", "args": {"i": turn}, "id": f"c{turn}"}
        return {"messages": [AIMessage("", tool_calls=[call])]}

    def route(state: MessagesState) -> str:
        return "tools" if state["messages"][-1].tool_calls else "__end__"

    builder = StateGraph(MessagesState)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode([slow_lookup]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", route, ["tools", "__end__"])
    builder.add_edge("tools", "agent")
    return builder.compile()


SCRIPT_INPUT = {
    "messages": [
        HumanMessage("sum"),
        AIMessage("", tool_calls=[{"name": "execute_code", "args": {"code": SCRIPT}, "id": "s"}]),
    ]
}

TOOL_NODE_INPUT = {"messages": [HumanMessage("sum")]}


async def run_aexecute(n: int) -> dict[str, Any]:
    toolkit = CodeModeToolkit([slow_lookup], timeout=600, **UNCHECKED)
    assert (await toolkit.aexecute(SCRIPT)).value == 6  # warm: V8 initialised, a spare made
    stall = StallMeter()
    with Gauges() as gauges:
        stall.start()
        started, cpu = time.perf_counter(), time.process_time()
        results = await asyncio.gather(*(toolkit.aexecute(SCRIPT) for _ in range(n)))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        stall.stop()
    failures = [r.error for r in results if not r.ok or r.value != 6]
    return _report(n, wall, cpu, gauges, stall.worst, failures)


async def run_threads(n: int, graph: Any, check: Any, inputs: Any) -> dict[str, Any]:
    check(graph.invoke(inputs))  # warm
    failures: list[str] = []
    barrier = threading.Barrier(n + 1)

    def worker() -> None:
        barrier.wait()
        try:
            check(graph.invoke(inputs))
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}"[:200])

    stall = StallMeter()
    with Gauges() as gauges:
        threads = [threading.Thread(target=worker) for _ in range(n)]
        for thread in threads:
            thread.start()
        stall.start()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, barrier.wait)
        started, cpu = time.perf_counter(), time.process_time()
        await loop.run_in_executor(None, lambda: [t.join() for t in threads])
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        stall.stop()
    return _report(n, wall, cpu, gauges, stall.worst, failures)


def _check_script(state: Any) -> None:
    message = state["messages"][-1]
    assert message.status == "success" and message.content.startswith("6"), message.content


def _check_tool_node(state: Any) -> None:
    assert len(state["messages"]) == 1 + 3 * 2 + 1, len(state["messages"])


def _report(
    n: int, wall: float, cpu: float, gauges: Gauges, stall: float, failures: list[str]
) -> dict[str, Any]:
    return {
        "n": n,
        "wall_s": wall,
        "cpu_ms": cpu / n * 1000,
        "per_s": n / wall,
        "rss_mb": (gauges.peak_rss_kb - gauges.base["VmRSS"]) / 1024,
        "threads": gauges.peak_threads,
        "stall_ms": stall * 1000,
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
    }


async def run_one(mode: str, n: int) -> dict[str, Any]:
    if mode == "aexecute":
        return await run_aexecute(n)
    if mode == "graph":
        return await run_threads(n, code_mode_graph(), _check_script, SCRIPT_INPUT)
    return await run_threads(n, tool_node_graph(), _check_tool_node, TOOL_NODE_INPUT)


MODES = ("aexecute", "graph", "toolnode")
LABELS = {"aexecute": "aexecute", "graph": "CodeModeNode graph", "toolnode": "ToolNode graph"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1, 10, 100, 300, 1000])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(run_one(args.one[0], int(args.one[1])))))
        return
    rows = []
    for n in args.n:
        for mode in args.modes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", mode, str(n)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                rows.append((mode, {"n": n, "error": out.stderr.strip().splitlines()[-1:]}))
            else:
                rows.append((mode, json.loads(out.stdout.strip().splitlines()[-1])))
            print_row(*rows[-1], markdown=args.markdown, header=len(rows) == 1)


def print_row(mode: str, row: dict[str, Any], *, markdown: bool, header: bool) -> None:
    columns = ["N", "how", "wall s", "executions/s", "CPU ms/execution", "peak RSS +MB"]
    columns += ["peak threads"]
    columns += ["worst loop stall ms", "failed"]
    if header:
        if markdown:
            print("| " + " | ".join(columns) + " |")
            print("|" + "|".join(["--:"] + [":--"] + ["--:"] * (len(columns) - 2)) + "|")
        else:
            print("  ".join(f"{c:>14}" for c in columns))
    if "error" in row:
        cells = [str(row["n"]), LABELS[mode], f"crashed: {row['error']}"]
    else:
        cells = [
            str(row["n"]),
            LABELS[mode],
            f"{row['wall_s']:.2f}",
            f"{row['per_s']:.0f}",
            f"{row['cpu_ms']:.1f}",
            f"{row['rss_mb']:.0f}",
            str(row["threads"]),
            f"{row['stall_ms']:.0f}",
            str(row["failures"]) + (f" ({row['first_failure']})" if row["failures"] else ""),
        ]
    if markdown:
        print("| " + " | ".join(cells) + " |", flush=True)
    else:
        print("  ".join(f"{c:>14}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
