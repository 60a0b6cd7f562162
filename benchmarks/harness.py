"""Runs a task of ``tasks.py`` with one of two LangGraph agents and records every model call.

Both agents are the same graph (``agent`` node → tools node → back to ``agent`` until the
model stops calling tools, as in ``langchain_codemode.demo.build_graph``), the same system
prompt and the same question. They differ only in the tools node:

* ``tool_calling``: ``langgraph.prebuilt.ToolNode(tools)``, the model bound to every tool;
* ``code_mode``: ``CodeModeNode(tools)``, the model bound to ``node.tools_by_name`` (just
  ``execute_code``, whose description carries the TypeScript declarations). This is the
  shipped configuration of the demo: ``toolkit.prompt`` is *not* added to the system prompt,
  so the API is sent once.

Nothing here needs the tokenizer: :func:`render_request` and :func:`render_reply` give the
text each call sends and receives; ``run.py`` counts it.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from tasks import Seen, Task, message_text

from langchain_codemode import CodeModeNode

AGENTS = ("tool_calling", "code_mode")
SYSTEM_PROMPT = (
    "You are the operations assistant of Initech. Today is 2025-06-02. Use the tools to get "
    "facts; never guess. Answer concisely, with every figure and id the user asked for."
)
SERVER = Path(__file__).resolve().parent / "workspace_server.py"
RECURSION_LIMIT = 40


class PolicyChatModel(BaseChatModel):
    """A scripted chat model: each reply is ``policy(Seen(messages))``, i.e. decided from the
    conversation it is sent (same pattern as ``langchain_codemode.demo.ScriptedChatModel``)."""

    policy: Callable[[Seen], AIMessage]

    @property
    def _llm_type(self) -> str:
        return "scripted-policy"

    def bind_tools(self, tools: Any, **kwargs: Any) -> PolicyChatModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.policy(Seen(messages)))])

    async def _agenerate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        return self._generate(messages)


@dataclass
class ModelCall:
    sent: list[BaseMessage]  # system prompt + history
    tools: list[dict[str, Any]]  # the bound tools as bind_tools formats them
    reply: AIMessage
    seconds: float


@dataclass
class Run:
    task: str
    agent: str
    calls: list[ModelCall] = field(default_factory=list)
    final_text: str = ""
    graph_seconds: float = 0.0
    tool_calls: int = 0
    missing: list[str] = field(default_factory=list)
    side_effect_ok: bool = True
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.missing and self.side_effect_ok

    @property
    def turns(self) -> int:
        return len(self.calls)

    @property
    def model_seconds(self) -> float:
        return sum(c.seconds for c in self.calls)

    @property
    def outside_seconds(self) -> float:
        """Wall time of the graph run not spent waiting for the model."""
        return self.graph_seconds - self.model_seconds


def build_graph(model: BaseChatModel, node: ToolNode, run: Run) -> Any:
    tools = list(node.tools_by_name.values())
    bound = model.bind_tools(tools)
    schemas = [convert_to_openai_tool(t) for t in tools]

    async def agent(state: MessagesState) -> dict[str, Any]:
        sent = [SystemMessage(SYSTEM_PROMPT), *state["messages"]]
        start = time.perf_counter()
        reply = await bound.ainvoke(sent)
        run.calls.append(ModelCall(sent, schemas, reply, time.perf_counter() - start))
        return {"messages": [reply]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    return graph.compile()


def mcp_connections(state_dir: str) -> dict[str, Any]:
    return {"workspace": {"transport": "stdio", "command": sys.executable,
                          "args": [str(SERVER), "--state", state_dir]}}


@contextlib.asynccontextmanager
async def task_tools(task: Task, agent: str, state_dir: str, latency: float
                     ) -> AsyncIterator[list[BaseTool]]:
    """The task's tools for ``agent``. Over MCP, both agents keep one session open for the
    whole run, opened before it: the tool-calling agent uses ``langchain_mcp_adapters`` tools
    on that session; Code Mode uses ``langchain_codemode.mcp.load_mcp_tools`` inside a
    ``session_scope`` (which its scripts then share)."""
    if not task.mcp:
        assert task.make_tools is not None
        yield task.make_tools(latency)
        return
    connections = mcp_connections(state_dir)
    if agent == "code_mode":
        from langchain_codemode.mcp import load_mcp_tools, session_scope

        tools = await load_mcp_tools(connections)
        async with session_scope(open_for=tools):
            yield tools
        return
    from langchain_mcp_adapters.client import MultiServerMCPClient
    from langchain_mcp_adapters.tools import load_mcp_tools as adapter_tools

    client = MultiServerMCPClient(connections)
    async with client.session("workspace") as session:
        yield await adapter_tools(session)


def _side_effect_ok(task: Task, state_dir: str) -> bool:
    if task.name != "transcript_to_crm":
        return True
    import bench_data

    path = Path(state_dir) / "crm.json"
    if not path.exists():
        return False
    stored = json.loads(path.read_text()).get("OPP-0417", {})
    return bool(stored.get("notes") == bench_data.transcript()["text"])


def _count_tool_calls(agent: str, messages: list[BaseMessage]) -> int:
    if agent == "tool_calling":
        return sum(m.type == "tool" for m in messages)
    total = 0
    for m in messages:
        artifact = getattr(m, "artifact", None)
        if m.type == "tool" and isinstance(artifact, dict):
            total += len(artifact.get("calls", []))
    return total


async def run_task(task: Task, agent: str, model: BaseChatModel | None = None,
                   latency: float = 0.0) -> Run:
    """Run ``task`` with ``agent``; ``model=None`` uses the scripted model of that agent."""
    run = Run(task.name, agent)
    if model is None:
        model = PolicyChatModel(policy=task.tool_calling if agent == "tool_calling"
                                else task.code_mode)
    with tempfile.TemporaryDirectory(prefix="codemode-bench-") as state_dir:
        async with task_tools(task, agent, state_dir, latency) as tools:
            node = ToolNode(tools) if agent == "tool_calling" else CodeModeNode(tools, timeout=60.0)
            graph = build_graph(model, node, run)
            start = time.perf_counter()
            try:
                state = await graph.ainvoke({"messages": [HumanMessage(task.question)]},
                                            {"recursion_limit": RECURSION_LIMIT})
            except Exception as exc:  # a real model may loop or fail; report, do not crash
                run.graph_seconds = time.perf_counter() - start
                run.error = f"{type(exc).__name__}: {exc}"[:300]
                return run
            run.graph_seconds = time.perf_counter() - start
        run.side_effect_ok = _side_effect_ok(task, state_dir)
    messages = state["messages"]
    run.final_text = message_text(messages[-1])
    run.tool_calls = _count_tool_calls(agent, messages)
    run.missing = task.missing_facts(run.final_text)
    return run


# -- what a model call sends and receives, as text ------------------------------------------------


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _tool_calls_json(message: AIMessage) -> str:
    # Arguments as a JSON object, not re-escaped as a JSON string inside JSON: the model
    # writes them once, and double escaping would inflate long arguments (the transcript).
    return _compact([{"id": c["id"], "name": c["name"], "arguments": c["args"]}
                     for c in message.tool_calls])


def render_message(message: BaseMessage) -> str:
    """A message as the provider would see it: role, text, and for an assistant message its
    tool calls as compact JSON (id, name, arguments); tool results carry their call id."""
    role = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}[message.type]
    text = message_text(message)
    if isinstance(message, AIMessage) and message.tool_calls:
        return f"{role}: {text}\n{_tool_calls_json(message)}"
    if message.type == "tool":
        return f"{role} ({getattr(message, 'tool_call_id', '')}): {text}"
    return f"{role}: {text}"


def render_request(call: ModelCall) -> dict[str, str]:
    """What one model call sends, by part: ``system``, ``tools``, ``history``."""
    system = [m for m in call.sent if m.type == "system"]
    history = [m for m in call.sent if m.type != "system"]
    return {
        "system": "\n".join(render_message(m) for m in system),
        "tools": _compact(call.tools),
        "history": "\n".join(render_message(m) for m in history),
    }


def render_reply(call: ModelCall) -> str:
    """What one model call receives: the reply's text and tool calls."""
    return render_message(call.reply)
