"""Graph step benchmark: ToolNode answering 10 tool calls vs CodeModeNode running one script
that makes the same 10 calls. Both run as the only node of a compiled graph, in one process,
so the figures share every overhead but the node itself.

    taskset -c 0 python benchmarks/node_step.py [--runs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import statistics
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from langchain_codemode import CodeModeNode, CodeModeToolkit

# Type checking runs before each script where the checker is installed: off here, so the
# figures measure running scripts (the same work on every version); its cost has a row.
TYPECHECK = "typecheck" in inspect.signature(CodeModeToolkit).parameters
UNCHECKED: dict[str, Any] = {"typecheck": False} if TYPECHECK else {}


@tool
async def get_price(sku: str) -> dict[str, Any]:
    """Price of a product."""
    return {"sku": sku, "price": len(sku) * 1.5}


SKUS = [f"sku-{i}" for i in range(10)]
DIRECT = AIMessage(
    content="",
    tool_calls=[
        {"name": "get_price", "args": {"sku": sku}, "id": f"c{i}"} for i, sku in enumerate(SKUS)
    ],
)
PARALLEL_SCRIPT = (
    f"const skus = {SKUS!r};\n"
    "const prices = await Promise.all(skus.map((sku) => tools.get_price({ sku })));\n"
    "return prices.reduce((sum, p) => sum + p.price, 0);"
)
SEQUENTIAL_SCRIPT = (
    f"const skus = {SKUS!r};\nlet total = 0;\n"
    "for (const sku of skus) total += (await tools.get_price({ sku })).price;\nreturn total;"
)


def script_message(code: str) -> AIMessage:
    return AIMessage(
        content="", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": "s"}]
    )


def one_node_graph(node: ToolNode) -> Any:
    graph = StateGraph(MessagesState)
    graph.add_node("tools", node)
    graph.add_edge(START, "tools")
    return graph.compile()


async def interleaved_medians(
    cases: dict[str, tuple[Any, AIMessage]], runs: int, rounds: int = 10
) -> dict[str, float]:
    """Median ms of a graph step for each case, the cases taking turns in short rounds.

    On a shared or virtual machine the speed of the CPU drifts over seconds; measured one
    after another, two cases can differ by that drift alone. Taking turns, every case sees
    the same drift, so their ratio holds.
    """
    samples: dict[str, list[float]] = {name: [] for name in cases}
    inputs = {
        name: {"messages": [HumanMessage("prices?"), message]}
        for name, (_, message) in cases.items()
    }
    for name, (graph, _) in cases.items():  # warm up: imports, caches, the first contexts
        for _ in range(20):
            await graph.ainvoke(inputs[name])
    per_round = max(runs // rounds, 1)
    for _ in range(rounds):
        for name, (graph, _) in cases.items():
            for _ in range(per_round):
                start = time.perf_counter()
                state = await graph.ainvoke(inputs[name])
                samples[name].append((time.perf_counter() - start) * 1000)
            assert state["messages"][-1].status == "success"
    return {name: statistics.median(values) for name, values in samples.items()}


async def main(runs: int) -> None:
    tool_node = one_node_graph(ToolNode([get_price]))
    code_node = one_node_graph(CodeModeNode([get_price], **UNCHECKED))
    cases: dict[str, tuple[Any, AIMessage]] = {
        "ToolNode, 10 calls in one AIMessage": (tool_node, DIRECT),
        "CodeModeNode, one script, Promise.all": (code_node, script_message(PARALLEL_SCRIPT)),
        "CodeModeNode, one script, sequential awaits": (
            code_node,
            script_message(SEQUENTIAL_SCRIPT),
        ),
    }
    if TYPECHECK:
        checked_node = one_node_graph(CodeModeNode([get_price]))
        cases["  same as Promise.all, type-checked first"] = (
            checked_node,
            script_message(PARALLEL_SCRIPT),
        )
    medians = await interleaved_medians(cases, runs)
    baseline = medians["ToolNode, 10 calls in one AIMessage"]
    print(f"{'graph step with 10 tool calls':44} {'median ms':>10} {'ratio':>7}")
    for name, value in medians.items():
        print(f"{name:44} {value:10.2f} {value / baseline:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    asyncio.run(main(parser.parse_args().runs))
