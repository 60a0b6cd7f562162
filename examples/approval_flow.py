"""Approvals inside a script, paused and resumed later from a SQLite checkpoint.

A refund desk: the model's script looks up two orders and refunds both at once, and every
refund waits for a person. The two refunds are pending together, so the run pauses once for
both, in the shape of LangChain's HumanInTheLoopMiddleware (a list of action requests);
everything is saved in a SQLite file; later a fresh graph (as a new process would build it)
resumes the same thread with one decision per refund. The lookups the script made before the
pause are answered from the journal, not run again.

    python examples/approval_flow.py
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from langchain_codemode import CodeModeNode, CodeModeState

LOOKUPS: list[str] = []
REFUNDS: list[dict] = []


@tool
def get_order(order_id: str) -> dict:
    """Look up an order: its id, amount in cents and status."""
    LOOKUPS.append(order_id)
    return {"id": order_id, "cents": 4999 if order_id == "A-7" else 1250, "status": "delivered"}


@tool
def refund(order_id: str, cents: int) -> dict:
    """Refund `cents` of an order to the customer's card."""
    REFUNDS.append({"order_id": order_id, "cents": cents})
    return {"refunded": cents, "order_id": order_id}


SCRIPT = """
const orders = await Promise.all(["A-7", "B-3"].map((order_id) => tools.get_order({ order_id })));
const refunds = await Promise.allSettled(
  orders.map((order) => tools.refund({ order_id: order.id, cents: order.cents })),
);
return refunds.map((r, i) =>
  r.status === "fulfilled"
    ? `${orders[i].id}: refunded ${r.value.refunded} cents`
    : `${orders[i].id}: no refund (${r.reason.message})`,
);
"""


def build(saver: AsyncSqliteSaver):
    graph = StateGraph(CodeModeState)
    graph.add_node("tools", CodeModeNode([get_order, refund], approve=["refund"]))
    graph.add_edge(START, "tools")
    graph.add_edge("tools", END)
    return graph.compile(checkpointer=saver)


async def main() -> None:
    db = Path(tempfile.mkdtemp()) / "threads.sqlite"
    config = {"configurable": {"thread_id": "refund-A-7"}}
    call = {"name": "execute_code", "args": {"code": SCRIPT}, "id": "call_1"}

    async with AsyncSqliteSaver.from_conn_string(str(db)) as saver:
        state = await build(saver).ainvoke({"messages": [AIMessage("", tool_calls=[call])]}, config)
    [pause] = state["__interrupt__"]  # one pause for both refunds
    for request in pause.value["action_requests"]:
        print("waiting for approval:", request["name"], json.dumps(request["args"]))

    # Later, in a new process: a fresh graph on the same file resumes the thread, with one
    # decision per action request, in order: half of A-7, none of B-3.
    decisions = [
        {
            "type": "edit",
            "edited_action": {"name": "refund", "args": {"order_id": "A-7", "cents": 2500}},
        },
        {"type": "reject", "message": "B-3 was refunded by phone"},
    ]
    async with AsyncSqliteSaver.from_conn_string(str(db)) as saver:
        state = await build(saver).ainvoke(Command(resume={"decisions": decisions}), config)
    print("script result:", state["messages"][-1].content)
    print("lookups run:", LOOKUPS, "refunds made:", REFUNDS)
    assert LOOKUPS == ["A-7", "B-3"] and REFUNDS == [{"order_id": "A-7", "cents": 2500}]
    assert json.loads(state["messages"][-1].content) == [
        "A-7: refunded 2500 cents",
        "B-3: no refund (tools.refund failed: B-3 was refunded by phone)",
    ]


if __name__ == "__main__":
    asyncio.run(main())
