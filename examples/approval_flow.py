"""Approval inside a script, paused and resumed later from a SQLite checkpoint.

A refund desk: the model's script looks up an order and refunds it, and every refund waits
for a person. The run pauses at the refund; everything is saved in a SQLite file; later a
fresh graph (as a new process would build it) resumes the same thread with a decision. The
lookup the script made before the pause is answered from the journal, not run again.

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
    return {"id": order_id, "cents": 4999, "status": "delivered"}


@tool
def refund(order_id: str, cents: int) -> dict:
    """Refund `cents` of an order to the customer's card."""
    REFUNDS.append({"order_id": order_id, "cents": cents})
    return {"refunded": cents, "order_id": order_id}


SCRIPT = """
const order = await tools.get_order({ order_id: "A-7" });
try {
  const done = await tools.refund({ order_id: order.id, cents: order.cents });
  return `refunded ${done.refunded} cents`;
} catch (e) {
  return `no refund: ${e.message}`;
}
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
    request = state["__interrupt__"][0].value
    print("paused for approval:", request["tool"], json.dumps(request["args"]))

    # Later, in a new process: a fresh graph on the same file resumes the thread.
    async with AsyncSqliteSaver.from_conn_string(str(db)) as saver:
        edit = {"type": "edit", "args": {"order_id": "A-7", "cents": 2500}}
        state = await build(saver).ainvoke(Command(resume=edit), config)
    print("script result:", state["messages"][-1].content)
    print("lookups run:", LOOKUPS, "refunds made:", REFUNDS)
    assert LOOKUPS == ["A-7"] and REFUNDS == [{"order_id": "A-7", "cents": 2500}]


if __name__ == "__main__":
    asyncio.run(main())
