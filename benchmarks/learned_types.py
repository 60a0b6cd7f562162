"""Benchmark: tools with no output types, before and after Code Mode has learned them.

    python benchmarks/learned_types.py [--output docs/benchmarks-learned-types.md]

The tools come from a local stdio MCP server (``untyped_server.py``) whose tools declare no
``outputSchema`` and answer with JSON text, so their results are declared ``unknown``. The
question needs the open orders summed per customer and the top customer's email. Three runs of
the same graph (``harness.build_graph``), each with a scripted model:

* **ToolNode**: the model calls ``list_orders`` and reads all 30 open orders, then calls
  ``get_customer``, then answers;
* **Code Mode, first run**: the declarations say ``Promise<unknown>``, so a careful model first
  returns a sample of the orders, then writes the real script, then answers;
* **Code Mode, second run**: a new ``CodeModeNode`` on the same store (a later conversation,
  another server process) declares the result types learned in the first run, so the model
  writes the real script at once.

Which of the two scripts the Code Mode model sends is decided from the declarations it is
given (whether they carry "Result type learned from"), as a model would. Tokens are counted as
in ``run.py`` (``bpe-openai``, ``o200k_base``): system, bound tools, history and output of every
model call.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import untyped_server as data  # noqa: E402
from harness import PolicyChatModel, Run, build_graph  # noqa: E402
from langchain_core.messages import AIMessage, HumanMessage  # noqa: E402
from langgraph.prebuilt import ToolNode  # noqa: E402
from langgraph.store.memory import InMemoryStore  # noqa: E402
from tasks import Seen, code_call, message_text  # noqa: E402

from langchain_codemode import CodeModeNode  # noqa: E402
from langchain_codemode.mcp import load_mcp_tools, session_scope  # noqa: E402
from langchain_codemode.typescript.learned import LEARNED_MARKER  # noqa: E402

QUESTION = ("Which customer has the largest total of open orders? Give their name, email and "
            "that total in EUR.")
CONNECTIONS = {"orders": {"transport": "stdio", "command": sys.executable,
                          "args": [str(HERE / "untyped_server.py")]}}

SAMPLE_SCRIPT = """\
const open = await tools.list_orders({ status: "open" });
return Array.isArray(open) ? { count: open.length, sample: open.slice(0, 2) } : open;
"""
"""What a careful model sends first when the result type is ``unknown``."""

TYPED_SCRIPT = """\
const open = await tools.list_orders({ status: "open" });
const totals: Record<string, number> = {};
for (const o of open) totals[o.customer_id] = (totals[o.customer_id] ?? 0) + o.total;
const [top, total] = Object.entries(totals).sort((a, b) => b[1] - a[1])[0];
const c = await tools.get_customer({ customer_id: top });
return { name: c.name, email: c.email, total: Math.round(total * 100) / 100 };
"""
"""The real script, written against the orders' fields (seen in a sample, or declared)."""

UNTYPED_CUSTOMER_SCRIPT = TYPED_SCRIPT.replace(
    "return { name: c.name, email: c.email, total: Math.round(total * 100) / 100 };",
    "return { customer: c, total: Math.round(total * 100) / 100 };  // its shape is unknown",
)
"""The real script when ``get_customer``'s result is still ``unknown``: it returns it whole."""


def expected() -> dict[str, Any]:
    totals: Counter[str] = Counter()
    for order in data.orders():
        if order["status"] == "open":
            totals[order["customer_id"]] += order["total"]
    top, total = totals.most_common(1)[0]
    found = data.customer(top)
    return {"name": found["name"], "email": found["email"], "total": round(total, 2)}


def answer(value: dict[str, Any]) -> str:
    who = value.get("customer", value)
    return (f"{who['name']} ({who['email']}) has the largest total of open orders: "
            f"{value['total']:.2f} EUR.")


def tool_calling(seen: Seen) -> AIMessage:
    if not seen.has("list_orders"):
        return seen.calls(("list_orders", {"status": "open"}))
    totals: Counter[str] = Counter()
    for order in seen.one("list_orders"):
        totals[order["customer_id"]] += order["total"]
    top, total = totals.most_common(1)[0]
    if not seen.has("get_customer"):
        return seen.calls(("get_customer", {"customer_id": top}))
    found = seen.one("get_customer")
    return AIMessage(content=answer({**found, "total": round(total, 2)}))


def code_mode(declarations: str) -> Callable[[Seen], AIMessage]:
    """The scripted Code Mode model, deciding from the ``declarations`` it was given."""
    orders_known = "list_orders" in _learned_tools(declarations)
    customer_known = "get_customer" in _learned_tools(declarations)

    def policy(seen: Seen) -> AIMessage:
        runs = seen.all("execute_code")
        if not runs and not orders_known:
            return code_call(SAMPLE_SCRIPT, seen.turn)
        if len(runs) == (0 if orders_known else 1):
            return code_call(TYPED_SCRIPT if customer_known else UNTYPED_CUSTOMER_SCRIPT,
                             seen.turn)
        return AIMessage(content=answer(runs[-1][1]))

    return policy


def _learned_tools(declarations: str) -> set[str]:
    """Tools whose method JSDoc says its result type was learned (the line before it)."""
    found, learned = set(), False
    for line in declarations.splitlines():
        if LEARNED_MARKER in line:
            learned = True
        elif learned and "(args" in line:
            found.add(line.strip().split("(")[0])
            learned = False
        elif "(args" in line:
            learned = False
    return found


async def run_once(agent: str, store: Any) -> Run:
    """One run of the question: ``agent`` is "tool_calling", "first" or "second"."""
    run = Run("learned_types", agent)
    if agent == "tool_calling":
        from langchain_mcp_adapters.client import MultiServerMCPClient
        from langchain_mcp_adapters.tools import load_mcp_tools as adapter_tools

        client = MultiServerMCPClient(CONNECTIONS)  # type: ignore[arg-type]
        async with client.session("orders") as session:
            node: ToolNode = ToolNode(await adapter_tools(session))
            model = PolicyChatModel(policy=tool_calling)
            state = await _invoke(build_graph(model, node, run), run)
    else:
        tools = await load_mcp_tools(CONNECTIONS)
        async with session_scope(open_for=tools):
            node = CodeModeNode(tools, timeout=60.0, output_types_store=store)
            description = node.tools_by_name["execute_code"].description
            model = PolicyChatModel(policy=code_mode(description))
            state = await _invoke(build_graph(model, node, run), run)
    run.final_text = message_text(state["messages"][-1])
    truth = expected()
    run.missing = [str(v) if not isinstance(v, float) else f"{v:.2f}" for v in truth.values()]
    run.missing = [fact for fact in run.missing if fact not in run.final_text]
    return run


async def _invoke(graph: Any, run: Run) -> Any:
    start = time.perf_counter()
    state = await graph.ainvoke({"messages": [HumanMessage(QUESTION)]}, {"recursion_limit": 20})
    run.graph_seconds = time.perf_counter() - start
    return state


async def measure() -> dict[str, Run]:
    """ToolNode, then Code Mode twice on one store (first run learns, second uses it)."""
    store = InMemoryStore()
    runs = {"tool_calling": await run_once("tool_calling", store)}
    runs["first"] = await run_once("first", store)
    runs["second"] = await run_once("second", store)
    return runs


LABELS = {"tool_calling": "ToolNode", "first": "Code Mode, first run (types unknown)",
          "second": "Code Mode, second run (types learned)"}


def report(runs: dict[str, Run], count: Callable[[str], int], tokenizer: str) -> str:
    from run import count_run

    base = None
    lines = ["| agent | model turns | input tokens | output tokens | total tokens | vs ToolNode |",
             "|---|---:|---:|---:|---:|---:|"]
    for key, run in runs.items():
        per_call = count_run(run, count)
        inputs = sum(c["system"] + c["tools"] + c["history"] for c in per_call)
        outputs = sum(c["output"] for c in per_call)
        total = inputs + outputs
        base = total if base is None else base
        lines.append(f"| {LABELS[key]} | {run.turns} | {inputs:,} | {outputs:,} | {total:,} | "
                     f"{total / base:.2f}× |")
    return "\n".join([*lines, "", f"Tokens: {tokenizer}. Correct answer in every run."]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    from run import load_counter

    count, tokenizer = load_counter("o200k_base")
    runs = asyncio.run(measure())
    for key, run in runs.items():
        if not run.ok:
            raise SystemExit(f"{key}: wrong answer, missing {run.missing}: {run.final_text}")
    text = report(runs, count, tokenizer)
    print(text)
    if args.output is not None:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
