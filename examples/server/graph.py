"""An agent graph for LangGraph's own server: the model writes one script, ``CodeModeNode``
runs it, and cancelling an order waits for a person's approval.

    pip install "langgraph-cli[inmem]"
    cd examples/server && langgraph dev     # serve it (API on http://127.0.0.1:2024)
    python examples/server/graph.py         # or run one approved thread in this process

Offline by default: a stand-in model that needs no key writes the script below. Set
``CODEMODE_MODEL`` (e.g. ``openai:gpt-4.1``, with the provider's package and key) to use a
real model. The server supplies the checkpointer and the store, so the graph is compiled
without them.

A run pauses with an interrupt whose value is
``{"type": "approval", "tool": "cancel_order", "args": {...}, ...}``; resume it with
``{"type": "approve"}``, ``{"type": "reject", "message": "..."}`` or
``{"type": "edit", "args": {...}}``. Calls the script made before the pause are journaled by
the server's checkpointer and are not repeated when it resumes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool
from langgraph.prebuilt import InjectedStore
from langgraph.store.base import BaseStore

from langchain_codemode import CodeModeNode
from langchain_codemode.demo import build_graph, get_order, list_orders

QUESTION = "Cancel ACME's open orders."

SCRIPT = """\
const ids: string[] = await tools.list_orders({ customer: "acme" });
const orders = await Promise.all(ids.map((order_id) => tools.get_order({ order_id })));
const results = [];
for (const order of orders.filter((o) => o.status === "open")) {
  try {
    results.push(await tools.cancel_order({ order_id: order.id, reason: "customer request" }));
  } catch (error) {
    results.push({ order_id: order.id, cancelled: false, why: (error as Error).message });
  }
}
return results;
"""


@tool
def cancel_order(
    order_id: str, reason: str, store: Annotated[BaseStore, InjectedStore()]
) -> dict[str, Any]:
    """Cancel an open order. A person approves each cancellation first."""
    record = {"order_id": order_id, "reason": reason}
    store.put(("cancellations",), uuid.uuid4().hex, record)
    return {**record, "cancelled": True}


class StandInModel(BaseChatModel):
    """Writes ``SCRIPT`` for a question and reports the script's result after it ran."""

    @property
    def _llm_type(self) -> str:
        return "stand-in"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> StandInModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage):
            reply = AIMessage(content=f"The script finished ({last.status}): {last.content}")
        else:
            call = {"name": "execute_code", "args": {"code": SCRIPT}, "id": uuid.uuid4().hex}
            reply = AIMessage(content="", tool_calls=[call])
        return ChatResult(generations=[ChatGeneration(message=reply)])


def make_model() -> BaseChatModel:
    name = os.environ.get("CODEMODE_MODEL")
    if not name:
        return StandInModel()
    from langchain.chat_models import init_chat_model

    return init_chat_model(name)


graph = build_graph(
    make_model(),
    # Every call the script makes to cancel_order waits for a person's decision.
    CodeModeNode([list_orders, get_order, cancel_order], approve=["cancel_order"]),
)


async def _run_here() -> None:
    """``python graph.py``: one thread in this process, approved by this code."""
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.store.memory import InMemoryStore
    from langgraph.types import Command

    store = InMemoryStore()
    local = graph.builder.compile(checkpointer=InMemorySaver(), store=store)
    config = {"configurable": {"thread_id": "local"}}
    paused = await local.ainvoke({"messages": [("user", QUESTION)]}, config)
    print("paused for:", paused["__interrupt__"][0].value)
    final = await local.ainvoke(Command(resume={"type": "approve"}), config)
    print("approved; final answer:", final["messages"][-1].content)
    print("cancellations stored:", [item.value for item in store.search(("cancellations",))])
    print("to serve this graph: langgraph dev (in this directory)")


if __name__ == "__main__":
    import asyncio

    asyncio.run(_run_here())
