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


async def median_step_ms(graph: Any, message: AIMessage, runs: int) -> float:
    inputs = {"messages": [HumanMessage("prices?"), message]}
    for _ in range(20):
        await graph.ainvoke(inputs)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        state = await graph.ainvoke(inputs)
        samples.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.002)  # room for the pool to prepare the next context
    assert state["messages"][-1].status == "success"
    return statistics.median(samples)


async def main(runs: int) -> None:
    tool_node = one_node_graph(ToolNode([get_price]))
    code_node = one_node_graph(CodeModeNode([get_price], **UNCHECKED))
    baseline = await median_step_ms(tool_node, DIRECT, runs)
    parallel = await median_step_ms(code_node, script_message(PARALLEL_SCRIPT), runs)
    sequential = await median_step_ms(code_node, script_message(SEQUENTIAL_SCRIPT), runs)
    checked = None
    if TYPECHECK:
        checked_node = one_node_graph(CodeModeNode([get_price]))
        checked = await median_step_ms(checked_node, script_message(PARALLEL_SCRIPT), runs)
    print(f"{'graph step with 10 tool calls':44} {'median ms':>10} {'ratio':>7}")
    print(f"{'ToolNode, 10 calls in one AIMessage':44} {baseline:10.2f} {1:7.2f}")
    print(
        f"{'CodeModeNode, one script, Promise.all':44} {parallel:10.2f} {parallel / baseline:7.2f}"
    )
    print(
        f"{'CodeModeNode, one script, sequential awaits':44} {sequential:10.2f}"
        f" {sequential / baseline:7.2f}"
    )
    if checked is not None:
        label = "  same as Promise.all, type-checked first"
        print(f"{label:44} {checked:10.2f} {checked / baseline:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    asyncio.run(main(parser.parse_args().runs))
