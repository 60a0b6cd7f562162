"""One graph step taken apart by subtraction: what a CodeModeNode step costs beyond ToolNode's.

    taskset -c 0 python benchmarks/step_parts.py [--rounds 10] [--markdown]

``breakdown.py`` times the parts from inside (its wrappers add their own cost); this one
changes nothing and measures whole operations that differ by one part: a script that makes
no call against one that makes ten, ``aexecute`` against the same script in a graph, a bare
context boot. Every case takes its turn in each round, so the machine's drift hits them
alike; the figures are medians of all rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.prebuilt import ToolNode
from node_step import (
    DIRECT,
    PARALLEL_SCRIPT,
    SEQUENTIAL_SCRIPT,
    SKUS,
    UNCHECKED,
    get_price,
    one_node_graph,
    script_message,
)

from langchain_codemode import CodeModeNode, CodeModeToolkit
from langchain_codemode.sandbox import engine

ONE_CALL = AIMessage(
    content="",
    tool_calls=[{"name": "get_price", "args": {"sku": SKUS[0]}, "id": "c0"}],
)


def cases() -> dict[str, Callable[[], Awaitable[Any]]]:
    tool_node = one_node_graph(ToolNode([get_price]))
    code_node = one_node_graph(CodeModeNode([get_price], **UNCHECKED))
    toolkit = CodeModeToolkit([get_price], **UNCHECKED)

    def step(graph: Any, message: AIMessage) -> Callable[[], Awaitable[Any]]:
        inputs = {"messages": [HumanMessage("prices?"), message]}
        return lambda: graph.ainvoke(inputs)

    async def boot_and_free() -> None:
        # What every execution's spare costs: create a context, run the prelude, free it,
        # on the pool's own helper thread.
        pool = engine._POOL._pool_executor()
        limit = toolkit.limits.memory_limit
        await asyncio.get_running_loop().run_in_executor(
            pool, lambda: engine._booted_context(limit).free()
        )

    async def ten_ainvokes() -> None:
        for sku in SKUS:
            await get_price.ainvoke({"sku": sku})

    return {
        "ToolNode step, 10 calls": step(tool_node, DIRECT),
        "ToolNode step, 1 call": step(tool_node, ONE_CALL),
        "CodeModeNode step, Promise.all of 10": step(code_node, script_message(PARALLEL_SCRIPT)),
        "CodeModeNode step, 10 one by one": step(code_node, script_message(SEQUENTIAL_SCRIPT)),
        "CodeModeNode step, `return 1`": step(code_node, script_message("return 1")),
        "aexecute, Promise.all of 10": lambda: toolkit.aexecute(PARALLEL_SCRIPT),
        "aexecute, `return 1`": lambda: toolkit.aexecute("return 1"),
        "context boot + free (helper thread)": boot_and_free,
        "10 × tool.ainvoke, no graph": ten_ainvokes,
    }


async def measure(rounds: int, per_round: int) -> dict[str, float]:
    table = cases()
    samples: dict[str, list[float]] = {name: [] for name in table}
    for run in table.values():  # warm up
        for _ in range(20):
            await run()
    for _ in range(rounds):
        for name, run in table.items():
            for _ in range(per_round):
                start = time.perf_counter()
                await run()
                samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def derived(ms: dict[str, float]) -> list[tuple[str, float]]:
    """The parts, each the difference of two measured operations."""
    tool_fixed = (
        ms["ToolNode step, 1 call"]
        - (ms["ToolNode step, 10 calls"] - ms["ToolNode step, 1 call"]) / 9
    )
    return [
        ("ToolNode: one more call", (ms["ToolNode step, 10 calls"] - tool_fixed) / 10),
        ("ToolNode: graph and node, no call", tool_fixed),
        (
            "CodeModeNode: graph, node and execute_code's own tool run",
            ms["CodeModeNode step, `return 1`"] - ms["aexecute, `return 1`"],
        ),
        (
            "an execution of `return 1` beyond its context's boot and free",
            ms["aexecute, `return 1`"] - ms["context boot + free (helper thread)"],
        ),
        ("a context's boot and free", ms["context boot + free (helper thread)"]),
        (
            "a script's call under Promise.all (aexecute)",
            (ms["aexecute, Promise.all of 10"] - ms["aexecute, `return 1`"]) / 10,
        ),
        (
            "a script's call under Promise.all (in the graph)",
            (ms["CodeModeNode step, Promise.all of 10"] - ms["CodeModeNode step, `return 1`"]) / 10,
        ),
        (
            "a script's call awaited one by one (in the graph)",
            (ms["CodeModeNode step, 10 one by one"] - ms["CodeModeNode step, `return 1`"]) / 10,
        ),
        ("the tool's own LangChain run (tool.ainvoke)", ms["10 × tool.ainvoke, no graph"] / 10),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=30)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    ms = asyncio.run(measure(args.rounds, args.per_round))
    base = ms["ToolNode step, 10 calls"]
    if args.markdown:
        print("| operation | median ms | × ToolNode step |\n| --- | --: | --: |")
        for name, value in ms.items():
            print(f"| {name} | {value:.2f} | {value / base:.2f} |")
        print("\n| part (difference of two rows above) | ms |\n| --- | --: |")
        for name, value in derived(ms):
            print(f"| {name} | {value:.3f} |")
        return
    for name, value in ms.items():
        print(f"{name:44} {value:8.2f} ms  {value / base:5.2f}x")
    print()
    for name, value in derived(ms):
        print(f"{name:62} {value:8.3f} ms")


if __name__ == "__main__":
    main()
