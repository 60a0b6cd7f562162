"""The demo: a LangGraph agent whose tools node is a ``CodeModeNode``.

``codemode demo`` runs the main job: a question about ACME's orders, answered with one
TypeScript script over two local tools and a local MCP server (``demo_server``: exchange
rates, and a report that needs a person's approval). Offline by default, a scripted chat
model writes the script; ``--model provider:name`` uses a real model (the provider's package
and key are needed). The graph runs on a SQLite checkpointer, so a run paused for approval
can be continued later, in another process, with ``--resume THREAD``; the calls the script
made before the pause are not repeated. The demo prints the generated API, the script, each
nested call live, the answer, and the tokens the same work would cost with ``ToolNode``.

The smaller pieces (``DEMO_TOOLS``, ``DEMO_SCRIPT``, ``scripted_model``, ``build_graph``)
serve the examples.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shlex
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
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
    "REPORT_QUESTION",
    "REPORT_SCRIPT",
    "DemoError",
    "ReportModel",
    "ScriptedChatModel",
    "build_graph",
    "report_model",
    "resume_commands",
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


REPORT_QUESTION = (
    "What is the total value in EUR of ACME's shipped orders? Send the figure to "
    "finance@acme.example."
)

REPORT_SCRIPT = """\
const ids: string[] = await tools.list_orders({ customer: "acme" });
const orders = await Promise.all(ids.map((order_id) => tools.get_order({ order_id })));
const shipped = orders.filter((o) => o.status === "shipped");
const rates = await Promise.all(shipped.map((o) => tools.eur_rate({ currency: o.currency })));
const eur = shipped.reduce((sum, o, i) => sum + o.amount * rates[i].eur, 0);
const total = Math.round(eur * 100) / 100;
console.log(`${shipped.length} of ${orders.length} orders shipped`);
let sent = null;
try {
  sent = await tools.send_report({
    to: "finance@acme.example",
    subject: "ACME shipped orders",
    body: `ACME's shipped orders (${shipped.map((o) => o.id).join(", ")}) total ${total} EUR.`,
  });
} catch (error) {
  console.log(`report not sent: ${(error as Error).message}`);
}
return { shipped: shipped.map((o) => o.id), total_eur: total, report: sent };
"""


class ReportModel(BaseChatModel):
    """The offline model of ``codemode demo``: writes ``REPORT_SCRIPT``, then answers from
    the script's result. It decides from the conversation alone, so a run resumed in
    another process carries on where it stopped."""

    @property
    def _llm_type(self) -> str:
        return "scripted-report"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ReportModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        last = messages[-1]
        if not isinstance(last, ToolMessage):
            call = {"name": "execute_code", "args": {"code": REPORT_SCRIPT}, "id": "call_report"}
            reply = AIMessage(content="", tool_calls=[call])
        elif last.status == "error":
            reply = AIMessage(content=f"The script failed: {last.content}")
        else:
            result = (last.artifact or {}).get("value") or {}
            report = result.get("report")
            sent = (
                f"the report went to finance ({report['id']})"
                if report
                else ("the report to finance was not sent")
            )
            reply = AIMessage(
                content=f"ACME's shipped orders ({', '.join(result.get('shipped', []))}) are "
                f"worth {result.get('total_eur')} EUR; {sent}."
            )
        return ChatResult(generations=[ChatGeneration(message=reply)])


def report_model() -> ReportModel:
    return ReportModel()


def build_graph(model: BaseChatModel, node: CodeModeNode, *, checkpointer: Any = None) -> Any:
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
    return graph.compile(checkpointer=checkpointer)


def _banner(out: Any, title: str) -> None:
    out(f"\n=== {title} " + "=" * max(0, 60 - len(title)))


class DemoError(Exception):
    """A problem the person running the demo can fix; printed as one line."""


def default_db() -> Path:
    """Where the demo keeps its threads: ``$XDG_STATE_HOME/codemode`` (or ``~/.local/state``)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "codemode" / "demo.sqlite"


# provider prefix of ``--model`` -> (its package on PyPI, the variable holding its API key)
PROVIDERS: dict[str, tuple[str, str | None]] = {
    "openai": ("langchain-openai", "OPENAI_API_KEY"),
    "anthropic": ("langchain-anthropic", "ANTHROPIC_API_KEY"),
    "google_genai": ("langchain-google-genai", "GOOGLE_API_KEY"),
    "google_vertexai": ("langchain-google-vertexai", None),
    "azure_openai": ("langchain-openai", "AZURE_OPENAI_API_KEY"),
    "bedrock": ("langchain-aws", None),
    "bedrock_converse": ("langchain-aws", None),
    "mistralai": ("langchain-mistralai", "MISTRAL_API_KEY"),
    "groq": ("langchain-groq", "GROQ_API_KEY"),
    "cohere": ("langchain-cohere", "COHERE_API_KEY"),
    "fireworks": ("langchain-fireworks", "FIREWORKS_API_KEY"),
    "together": ("langchain-together", "TOGETHER_API_KEY"),
    "deepseek": ("langchain-deepseek", "DEEPSEEK_API_KEY"),
    "xai": ("langchain-xai", "XAI_API_KEY"),
    "perplexity": ("langchain-perplexity", "PPLX_API_KEY"),
    "huggingface": ("langchain-huggingface", "HUGGINGFACEHUB_API_TOKEN"),
    "ollama": ("langchain-ollama", None),
}
REAL_MODEL_HINT = (
    "--model openai:gpt-4.1 (with pip install langchain-openai and OPENAI_API_KEY set;"
    " any provider:name LangChain's init_chat_model knows works)"
)


def _missing_for(provider: str) -> list[str]:
    """What the provider still needs here: its package, its key variable."""
    package, key = PROVIDERS[provider]
    missing = []
    if importlib.util.find_spec(package.replace("-", "_")) is None:
        missing.append(f"its package (pip install {package})")
    if key and not os.environ.get(key):
        missing.append(f"its API key in {key}")
    return missing


def _model(model_name: str | None) -> BaseChatModel:
    if not model_name:
        return report_model()
    provider = model_name.partition(":")[0] if ":" in model_name else None
    if provider in PROVIDERS and (missing := _missing_for(provider)):
        raise DemoError(
            f"--model {model_name}: the {provider} provider needs {' and '.join(missing)}"
        )
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model_name)
    except Exception as exc:  # an unknown provider, a bad name, a rejected key
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if provider in PROVIDERS:
            package, key = PROVIDERS[provider]
            needs = f"pip install {package}" + (f" and {key}" if key else "")
            raise DemoError(
                f"--model {model_name}: {detail} (the {provider} provider needs {needs})"
            ) from exc
        raise DemoError(
            f"--model {model_name}: {detail} (use provider:name, e.g. {REAL_MODEL_HINT})"
        ) from exc


def _model_notice(model_name: str | None) -> str:
    if model_name:
        return f"Model: {model_name} (it writes its own script from the API below)."
    return (
        "Model: scripted. This offline stand-in needs no network or key: it replays a script\n"
        "written in advance for this question, so the API, the sandbox, the nested calls, the\n"
        "approval and the resume are real, but the script is not generated. For a real model:\n"
        "  codemode demo --model openai:gpt-4.1\n"
        "  (pip install langchain-openai and set OPENAI_API_KEY; any provider:name that\n"
        "  LangChain's init_chat_model knows works, with that provider's package and key)"
    )


def _prepare_db(db: Path | None) -> Path:
    """The demo's SQLite file; creates only its own directory (all of the default's)."""
    if db is None:
        path = default_db()
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    path = db.expanduser().absolute()
    if path.is_dir():
        raise DemoError(
            f"--db {db}: is a directory; name a file in it, e.g. {path / 'demo.sqlite'}"
        )
    if not path.parent.exists():
        missing = path.parent
        while not missing.parent.exists():
            missing = missing.parent
        if missing != path.parent:
            raise DemoError(
                f"--db {db}: the directory {missing} does not exist (the demo creates only the "
                f"file's own directory, {path.parent})"
            )
        try:
            path.parent.mkdir()
        except OSError as exc:
            raise DemoError(f"--db {db}: cannot create {path.parent}: {exc.strerror}") from exc
    return path


def resume_commands(thread: str, db: Path | None) -> str:
    """How to continue a paused thread, with ``--db`` when the run was given one."""
    where = db.expanduser().absolute() if db is not None else default_db()
    flag = f" --db {shlex.quote(str(where))}" if db is not None else ""
    return (
        f"The run is paused and saved in {where}. Continue it with:\n"
        f"  codemode demo --resume {thread} --approve{flag}\n"
        f"  codemode demo --resume {thread} --reject 'not now'{flag}"
    )


Decision = dict[str, Any]


async def run_demo(
    model_name: str | None = None,
    *,
    resume: str | None = None,
    decision: Decision | None = None,
    db: Path | None = None,
    out: Callable[[str], Any] = print,
) -> dict[str, Any]:
    """Run ``codemode demo``: a graph with a ``CodeModeNode`` over local tools and a local MCP
    server, on a SQLite checkpointer, streaming each nested call as it happens.

    The report to finance needs approval, so the run pauses there and returns
    ``{"thread", "status": "paused", "pending": <the approval request>}``; ``resume``
    continues a paused thread with ``decision``, in this process or another. A finished run
    returns ``{"thread", "status": "done", "state"}``. Nothing here reads the terminal: the
    caller asks, outside the event loop, so a Ctrl-C at the prompt is an ordinary one.
    """
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
    from langgraph.types import Command

    from langchain_codemode._tokens import conversation_cost, tokenizer, toolnode_conversation
    from langchain_codemode.mcp import load_mcp_tools, session_scope

    db = _prepare_db(db)
    model = _model(model_name)
    if resume is None:
        out(_model_notice(model_name))
    finance = {
        "transport": "stdio",
        "command": sys.executable,
        "args": [
            "-m",
            "langchain_codemode.demo_server",
            "--outbox",
            str(db.with_name(db.stem + "-outbox.jsonl")),
        ],
    }
    out(
        "\nStarting the demo's MCP server 'finance' (python -m langchain_codemode.demo_server):"
        "\na new Python process that loads the MCP SDK, so it takes a few seconds ..."
    )
    started = time.monotonic()
    mcp_tools = await load_mcp_tools({"finance": finance})
    tools = [list_orders, get_order, *mcp_tools]
    node = CodeModeNode(tools, approve=["send_report"], timeout=30.0)

    async with AsyncSqliteSaver.from_conn_string(str(db)) as saver, session_scope(mcp_tools):
        # session_scope: one session for the whole run, opened now, so the script's first
        # MCP call does not wait for a server to start.
        out(f"... ready in {time.monotonic() - started:.1f} s (listed its tools, session open).")
        graph = build_graph(model, node, checkpointer=saver)
        if resume is None:
            thread = f"demo-{uuid.uuid4().hex[:8]}"
            graph_input: Any = {"messages": [("user", REPORT_QUESTION)]}
            _banner(out, "The API the model sees (TypeScript)")
            out(node.toolkit.declarations)
            _banner(out, "Question")
            out(REPORT_QUESTION)
        else:
            thread = resume
            paused = await graph.aget_state({"configurable": {"thread_id": thread}})
            if not paused.next:
                raise DemoError(f"no paused demo thread {thread!r} in {db}")
            if decision is None:
                raise DemoError("--resume needs a decision: --approve or --reject [REASON]")
            graph_input = Command(resume=_answer(paused.interrupts, decision))
            _banner(out, f"Resuming {thread} with {json.dumps(decision)}")
        config: Any = {"configurable": {"thread_id": thread}}

        pending = await _stream(graph, graph_input, config, out)
        if pending is not None:
            _banner(out, "Approval needed")
            for tool, args in _calls_to_approve(pending):
                out(f"  tools.{tool}({json.dumps(args, ensure_ascii=False)})")
            return {"thread": thread, "status": "paused", "pending": pending}
        state = (await graph.aget_state(config)).values
    messages = state["messages"]
    _banner(out, "Final answer")
    out(str(messages[-1].content))

    count, label = tokenizer()
    code_cost = conversation_cost(messages, list(node.tools_by_name.values()), count)
    scripts = [m for m in messages if isinstance(m, ToolMessage)]
    records = (scripts[-1].artifact or {}).get("calls", []) if scripts else []
    question = next(m for m in messages if m.type == "human")
    baseline = toolnode_conversation(str(question.content), records, str(messages[-1].content))
    tool_cost = conversation_cost(baseline, tools, count)
    _banner(out, f"Tokens ({label})")
    out(f"  Code Mode: {code_cost.model_calls} model calls, {code_cost.tokens:,} tokens")
    out(
        f"  ToolNode, same tool calls: {tool_cost.model_calls} model calls, "
        f"{tool_cost.tokens:,} tokens"
    )
    out("  (a small job; the more data the tools return, the wider the gap: docs/benchmarks.md)")
    return {"thread": thread, "status": "done", "state": state}


async def _stream(graph: Any, graph_input: Any, config: Any, out: Any) -> dict[str, Any] | None:
    """Run until the graph finishes (None) or pauses (the approval request)."""
    async for mode, chunk in graph.astream(graph_input, config, stream_mode=["custom", "updates"]):
        if mode == "custom" and isinstance(chunk, dict):
            if chunk.get("event") == "tool_start":
                args = json.dumps(chunk.get("args", {}), ensure_ascii=False)
                out(f"  → [{chunk['index']}] tools.{chunk['tool']}({args})")
            elif chunk.get("event") == "tool_end":
                status = "ok" if chunk.get("ok") else "failed"
                how = (
                    "from the journal, not run again"
                    if chunk.get("replayed")
                    else f"{chunk.get('duration_ms', 0):.1f} ms"
                )
                out(f"  ← [{chunk['index']}] {chunk['tool']} {status} ({how})")
            continue
        if mode != "updates" or not isinstance(chunk, dict):
            continue
        if "__interrupt__" in chunk:
            for item in chunk["__interrupt__"]:
                value = item.value
                if isinstance(value, dict) and _calls_to_approve(value):
                    return value
            continue
        for update in chunk.values():
            if isinstance(update, dict):
                for message in update.get("messages", []):
                    _show(message, out)
    return None


def _calls_to_approve(request: Any) -> list[tuple[str, Any]]:
    """The calls an approval request asks about: one, or several issued together."""
    if not isinstance(request, dict):
        return []
    if request.get("type") == "approval":
        return [(request["tool"], request["args"])]
    return [(item["name"], item["args"]) for item in request.get("action_requests") or []]


def _answer(requests: Any, decision: dict[str, Any]) -> dict[str, Any]:
    """One decision from the terminal, for every call the pending request asks about."""
    for request in requests:
        value = getattr(request, "value", request)
        if isinstance(value, dict) and "action_requests" in value:
            return {"decisions": [decision] * len(value["action_requests"])}
    return decision


def _show(message: BaseMessage, out: Any) -> None:
    if isinstance(message, AIMessage):
        for call in message.tool_calls:
            if call["name"] == "execute_code":
                _banner(out, "Script written by the model")
                out(call["args"]["code"])
                _banner(out, "Nested tool calls, live")
    elif isinstance(message, ToolMessage):
        artifact = message.artifact if isinstance(message.artifact, dict) else {}
        for line in artifact.get("logs", []):
            out(f"  console: {line}")
        _banner(out, f"Script result ({message.status})")
        out(str(message.content))
