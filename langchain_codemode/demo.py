"""The demo: a LangGraph agent whose tools node is a ``CodeModeNode``.

Offline by default: a scripted chat model writes one TypeScript script, the graph runs it in
V8, and the demo prints the generated API, the script, each nested tool call as it happens,
the result and the final answer. ``--model provider:name`` uses a real model instead (needs
``langchain`` with that provider's package and its API key).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool, tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import tools_condition
from typing_extensions import TypedDict

from langchain_codemode import CodeModeNode

__all__ = [
    "DEMO_QUESTION",
    "DEMO_SCRIPT",
    "DEMO_TOOLS",
    "ScriptedChatModel",
    "build_graph",
    "run_demo",
    "scripted_model",
]

_ORDERS = {
    "acme": ["A-1001", "A-1002", "A-1003"],
    "globex": ["G-2001"],
}
_ORDER_DETAILS: dict[str, Any] = {
    "A-1001": {"id": "A-1001", "amount": 120.0, "currency": "USD", "status": "shipped"},
    "A-1002": {"id": "A-1002", "amount": 80.0, "currency": "GBP", "status": "open"},
    "A-1003": {"id": "A-1003", "amount": 45.5, "currency": "EUR", "status": "shipped"},
    "G-2001": {"id": "G-2001", "amount": 999.0, "currency": "USD", "status": "open"},
}
_RATES_TO_EUR = {"USD": 0.92, "GBP": 1.17, "EUR": 1.0}


@tool
async def list_orders(customer: str) -> list[str]:
    """List the order ids of a customer (e.g. "acme")."""
    await asyncio.sleep(0.01)
    return _ORDERS.get(customer.lower(), [])


class Order(TypedDict):
    id: str
    amount: float
    currency: str
    status: Literal["open", "shipped"]


@tool
async def get_order(order_id: str) -> Order:
    """Get one order: id, amount, currency and status."""
    await asyncio.sleep(0.02)
    if order_id not in _ORDER_DETAILS:
        raise ValueError(f"no order {order_id}")
    order: Order = _ORDER_DETAILS[order_id]
    return order


@tool
def eur_rate(currency: str) -> float:
    """How many euros one unit of `currency` (ISO code) is worth."""
    return _RATES_TO_EUR[currency.upper()]


DEMO_TOOLS: list[BaseTool] = [list_orders, get_order, eur_rate]

DEMO_QUESTION = "What is the total value in EUR of ACME's shipped orders?"

DEMO_SCRIPT = """\
const ids: string[] = await tools.list_orders({ customer: "acme" });
const orders = await Promise.all(ids.map((order_id) => tools.get_order({ order_id })));
const shipped = orders.filter((o) => o.status === "shipped");
let total = 0;
for (const o of shipped) {
  const rate: number = await tools.eur_rate({ currency: o.currency });
  total += o.amount * rate;
}
console.log(`${shipped.length} of ${orders.length} orders shipped`);
return { shipped: shipped.map((o) => o.id), total_eur: Math.round(total * 100) / 100 };
"""


class ScriptedChatModel(BaseChatModel):
    """A chat model that replays scripted replies in order (no network, no key)."""

    replies: list[AIMessage]
    index: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        reply = self.replies[min(self.index, len(self.replies) - 1)]
        self.index += 1
        if self.index >= len(self.replies) and reply.tool_calls:
            reply = AIMessage(content="(the scripted conversation is over)")
        return ChatResult(generations=[ChatGeneration(message=reply)])


def scripted_model() -> ScriptedChatModel:
    return ScriptedChatModel(
        replies=[
            AIMessage(
                content="",
                tool_calls=[
                    {"name": "execute_code", "args": {"code": DEMO_SCRIPT}, "id": "call_1"}
                ],
            ),
            AIMessage(content="ACME's shipped orders are worth the total shown above, in EUR."),
        ]
    )


def build_graph(model: BaseChatModel, node: CodeModeNode) -> Any:
    # The execute_code tool's description carries the instructions and the declarations, so
    # the model needs nothing else (adding toolkit.prompt as well would send the API twice).
    bound = model.bind_tools(list(node.tools_by_name.values()))

    async def agent(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await bound.ainvoke(state["messages"])]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    return graph.compile()


def _banner(out: Any, title: str) -> None:
    out(f"\n=== {title} " + "=" * max(0, 60 - len(title)))


async def run_demo(model_name: str | None = None, out: Any = print) -> dict[str, Any]:
    """Run the demo and print what happened; returns the final state."""
    node = CodeModeNode(DEMO_TOOLS, timeout=10.0)
    if model_name:
        try:
            from langchain.chat_models import init_chat_model
        except ImportError as exc:
            raise SystemExit(
                "--model needs LangChain's model registry: pip install langchain and the "
                "provider package (e.g. langchain-openai), and set its API key."
            ) from exc
        model: BaseChatModel = init_chat_model(model_name)
    else:
        model = scripted_model()
    graph = build_graph(model, node)

    _banner(out, "The API the model sees (TypeScript)")
    out(node.toolkit.declarations)
    _banner(out, "Question")
    out(DEMO_QUESTION)
    state = await graph.ainvoke({"messages": [("user", DEMO_QUESTION)]})
    for message in state["messages"]:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                if call["name"] == "execute_code":
                    _banner(out, "Script written by the model")
                    out(call["args"]["code"])
        elif message.type == "tool":
            artifact = getattr(message, "artifact", None) or {}
            _banner(out, "Nested tool calls")
            for record in artifact.get("calls", []):
                status = "ok " if record["ok"] else "ERR"
                shown = record["output"] if record["ok"] else record["error"]
                out(
                    f"  {status} tools.{record['name']}({json.dumps(record['args'])}) → "
                    f"{json.dumps(shown)}  [{record['duration_ms']:.1f} ms]"
                )
            for line in artifact.get("logs", []):
                out(f"  console: {line}")
            _banner(out, "Script result (" + message.status + ")")
            out(str(message.content))
    _banner(out, "Final answer")
    out(str(state["messages"][-1].content))
    return dict(state)
