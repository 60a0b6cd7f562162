"""What durability costs: one graph step whose script makes 10 tool calls, without a
checkpointer (calls run directly) and with the in-memory and SQLite savers (every call is
journaled: its result, and with in_doubt="fail" a start mark, written before the script goes
on). The ToolNode answering the same 10 calls under the same saver is the baseline of each
row, in the same run.

    taskset -c 0 python benchmarks/durable_step.py [--runs 60]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from node_step import (
    DIRECT,
    PARALLEL_SCRIPT,
    SEQUENTIAL_SCRIPT,
    UNCHECKED,
    get_price,
    script_message,
)

from langchain_codemode import CodeModeNode

SEQUENTIAL = script_message(SEQUENTIAL_SCRIPT)
PARALLEL = script_message(PARALLEL_SCRIPT)


def graph(node: Any, saver: Any) -> Any:
    builder = StateGraph(MessagesState)
    builder.add_node("tools", node)
    builder.add_edge(START, "tools")
    return builder.compile(checkpointer=saver)


async def medians_ms(cases: list[tuple[Any, AIMessage]], runs: int, rounds: int = 6) -> list[float]:
    """Median ms of a step for each (app, message), the cases taking turns in rounds (so the
    machine's drift hits them alike), each step on a fresh thread."""
    samples: list[list[float]] = [[] for _ in cases]
    for app, message in cases:  # warm up
        for _ in range(3):
            await app.ainvoke({"messages": [message]}, _thread())
    per_round = max(runs // rounds, 1)
    for _ in range(rounds):
        for index, (app, message) in enumerate(cases):
            for _ in range(per_round):
                config = _thread()
                started = time.perf_counter()
                await app.ainvoke({"messages": [message]}, config)
                samples[index].append((time.perf_counter() - started) * 1000)
    return [statistics.median(values) for values in samples]


def _thread() -> dict[str, Any]:
    return {"configurable": {"thread_id": uuid.uuid4().hex}}


async def main(runs: int) -> None:
    tool_node = ToolNode([get_price])
    code_nodes = {
        "fail": CodeModeNode([get_price], **UNCHECKED),
        "rerun": CodeModeNode([get_price], in_doubt="rerun", **UNCHECKED),
    }
    with tempfile.TemporaryDirectory() as tmp:
        async with AsyncSqliteSaver.from_conn_string(str(Path(tmp) / "b.sqlite")) as sqlite:
            rows = [
                ("none", None, "fail"),
                ("memory", InMemorySaver(), "fail"),
                ("sqlite", sqlite, "fail"),
                ("sqlite", sqlite, "rerun"),
            ]
            print(
                f"{'saver':8} {'in_doubt':8} {'ToolNode':>10} {'CM sequential':>14} "
                f"{'CM parallel':>12}  ratios"
            )
            without: tuple[float, float] | None = None  # the row without a saver
            for label, saver, in_doubt in rows:
                code_node = code_nodes[in_doubt]
                base, seq, par = await medians_ms(
                    [
                        (graph(tool_node, saver), DIRECT),
                        (graph(code_node, saver), SEQUENTIAL),
                        (graph(code_node, saver), PARALLEL),
                    ],
                    runs,
                )
                if without is None:
                    without = (seq, par)
                print(
                    f"{label:8} {in_doubt:8} {base:8.1f}ms {seq:12.1f}ms {par:10.1f}ms  "
                    f"seq {seq / base:.2f}x, par {par / base:.2f}x; a journaled call adds "
                    f"{(seq - without[0]) / 10:.2f} ms one by one, "
                    f"{(par - without[1]) / 10:.2f} ms under Promise.all"
                )
            # What bounds a journaled call: one durable write to the same database.
            print(f"one durable write to the same SQLite database: {await write_ms(sqlite):.2f} ms")


async def write_ms(saver: Any, writes: int = 200) -> float:
    """Median ms of one checkpointer ``aput_writes`` (one commit), as a journal write makes."""
    config = await saver.aput(
        {"configurable": {"thread_id": "write-probe", "checkpoint_ns": ""}},
        empty_checkpoint(),
        {"source": "input", "step": -1, "parents": {}},
        {},
    )
    samples = []
    for index in range(writes):
        started = time.perf_counter()
        await saver.aput_writes(config, [("probe", index)], f"probe-{index}")
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    asyncio.run(main(parser.parse_args().runs))
