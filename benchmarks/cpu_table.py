"""The cost figures of the sandbox and the node, in CPU time as well as wall time.

    taskset -c 0 python benchmarks/cpu_table.py [--runs 100]

On a machine shared with other work, wall-clock medians swing with everybody else's load (the
same ratio measured twice a minute apart moved from 1.0× to 13×); the process's CPU time per
operation (all its threads: the loop, the engine's helper, V8's) moves far less. Each row is
a ratio against its baseline measured in the same run, in both clocks:

* graph step, 10 calls (``Promise.all``, then one by one) against ToolNode answering them;
* a sequential bridged call's own cost (minus a plain ``await tool.ainvoke`` loop) against
  mini-racer's stock ``wrap_py_function`` bridge on a bare async function;
* the overhead per call under ``Promise.all`` of 1,000, over ``asyncio.gather`` of ``ainvoke``;
* a cold ``aexecute("return 1+1")`` against a bare mini-racer create + eval + close.

CPU time per step includes the idle gap after it, where the next context is booted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import HumanMessage
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
from py_mini_racer import MiniRacer
from sandbox import ping, stock_bridge

from langchain_codemode import CodeModeNode, CodeModeToolkit


async def per_op(make: Callable[[], Awaitable[Any]], runs: int, gap: float) -> tuple[float, float]:
    """Median wall and mean CPU (whole process) per operation, in ms."""
    for _ in range(10):
        await make()
    walls: list[float] = []
    cpu = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        await make()
        walls.append(time.perf_counter() - started)
        if gap:
            await asyncio.sleep(gap)
    return statistics.median(walls) * 1e3, (time.process_time() - cpu) / runs * 1e3


async def per_call(make: Callable[[], Awaitable[Any]], calls: int) -> tuple[float, float]:
    """Wall and CPU per call, in µs, of one operation making ``calls`` calls (best of 3)."""
    best = (float("inf"), float("inf"))
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        await make()
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        best = min(best, (wall / calls * 1e6, used / calls * 1e6))
    return best


async def bare_context() -> None:
    from py_mini_racer import mini_racer

    with mini_racer(asyncio.get_running_loop()) as mr:
        await mr.eval_cancelable("1 + 1")


async def main(runs: int) -> None:
    MiniRacer().close()  # V8 initialisation is a one-off
    rows: list[tuple[str, tuple[float, float], tuple[float, float]]] = []

    tool_graph = one_node_graph(ToolNode([get_price]))
    code_graph = one_node_graph(CodeModeNode([get_price], **UNCHECKED))

    def step(graph: Any, message: Any) -> Callable[[], Awaitable[Any]]:
        inputs = {"messages": [HumanMessage("prices?"), message]}
        return lambda: graph.ainvoke(inputs)

    base = await per_op(step(tool_graph, DIRECT), runs, 0.002)
    par = await per_op(step(code_graph, script_message(PARALLEL_SCRIPT)), runs, 0.002)
    seq = await per_op(step(code_graph, script_message(SEQUENTIAL_SCRIPT)), runs, 0.002)
    rows.append(("graph step, 10 calls, Promise.all / ToolNode (ms)", par, base))
    rows.append(("graph step, 10 calls, one by one / ToolNode (ms)", seq, base))

    toolkit = CodeModeToolkit([ping], max_tool_calls=10_000, **UNCHECKED)
    n = 1000

    async def plain_loop() -> None:
        for i in range(n):
            await ping.ainvoke({"i": i})

    async def sequential() -> None:
        result = await toolkit.aexecute(
            f"let s = 0; for (let i = 0; i < {n}; i++) s += await tools.ping({{ i }}); return s"
        )
        assert result.ok, result.error

    async def gathered() -> None:
        await asyncio.gather(*(ping.ainvoke({"i": i}) for i in range(n)))

    async def parallel() -> None:
        result = await toolkit.aexecute(
            f"const r = await Promise.all(Array.from({{ length: {n} }}, (_, i) =>"
            " tools.ping({ i }))); return r.length"
        )
        assert result.ok, result.error

    plain = await per_call(plain_loop, n)
    ours = await per_call(sequential, n)
    stock = await per_call(lambda: stock_bridge(n), n)
    own = (ours[0] - plain[0], ours[1] - plain[1])
    rows.append(("sequential bridged call: own cost / stock bridge (µs)", own, stock))
    gather = await per_call(gathered, n)
    par_all = await per_call(parallel, n)
    rows.append(
        (
            "Promise.all of 1000: overhead per call, µs (vs gather's cost)",
            (par_all[0] - gather[0], par_all[1] - gather[1]),
            gather,
        )
    )
    cold = await per_op(lambda: toolkit.aexecute("return 1 + 1"), runs, 0.0)
    bare = await per_op(bare_context, runs, 0.0)
    rows.append(("cold aexecute('return 1+1') / bare create+eval+close (ms)", cold, bare))

    print(
        f"{'measure':64} {'wall':>9} {'base':>9} {'ratio':>6} {'CPU':>9} {'base':>9} {'ratio':>6}"
    )
    for name, value, baseline in rows:
        print(
            f"{name:64} {value[0]:9.2f} {baseline[0]:9.2f} {value[0] / baseline[0]:6.2f}"
            f" {value[1]:9.2f} {baseline[1]:9.2f} {value[1] / baseline[1]:6.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    asyncio.run(main(parser.parse_args().runs))
