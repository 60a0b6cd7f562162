"""CodeModeNode against ToolNode: same inputs, same outputs; plus what scripts add."""

from __future__ import annotations

import operator
from typing import Annotated, Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langchain_core.tracers.base import BaseTracer
from langchain_core.tracers.schemas import Run
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, InjectedStore, ToolNode, ToolRuntime, tools_condition
from langgraph.types import Command
from pydantic import BaseModel

from langchain_codemode import CodeModeNode
from langchain_codemode.demo import ScriptedChatModel


@tool
def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


@tool
def lookup(key: str) -> dict[str, Any]:
    """Look a key up."""
    return {"key": key, "value": len(key)}


@tool
def fails(reason: str) -> str:
    """Always raises."""
    raise ValueError(f"bad: {reason}")


TOOLS = [multiply, lookup, fails]


def ai_calls(*calls: tuple[str, dict[str, Any]]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{i}"} for i, (name, args) in enumerate(calls)
        ],
    )


def script_call(code: str, call_id: str = "script_1") -> AIMessage:
    return AIMessage(
        content="", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": call_id}]
    )


def standalone() -> dict[str, Any]:
    """Config for invoking a ToolNode outside a graph (it needs a LangGraph runtime)."""
    from langgraph.runtime import Runtime

    return {"configurable": {"__pregel_runtime": Runtime()}}


def strip_ids(output: Any) -> Any:
    """Outputs compared across node types: messages without their random run ids."""
    if isinstance(output, dict):
        return {k: strip_ids(v) for k, v in output.items()}
    if isinstance(output, list):
        return [strip_ids(v) for v in output]
    if isinstance(output, ToolMessage):
        return (output.content, output.name, output.tool_call_id, output.status)
    if isinstance(output, AIMessage):
        return ("ai", output.content, [c["id"] for c in output.tool_calls])
    return output


DIRECT = ai_calls(("multiply", {"a": 6, "b": 7}), ("lookup", {"key": "abc"}))


class PydanticState(BaseModel):
    messages: list[Any]


INPUT_SHAPES = {
    "list": [HumanMessage("hi"), DIRECT],
    "dict": {"messages": [HumanMessage("hi"), DIRECT]},
    "object": PydanticState(messages=[HumanMessage("hi"), DIRECT]),
    "tool_calls": [{**DIRECT.tool_calls[0], "type": "tool_call"}],
    "tool_call_with_context": {
        "__type": "tool_call_with_context",
        "tool_call": {**DIRECT.tool_calls[1], "type": "tool_call"},
        "state": {"messages": [DIRECT]},
    },
}


@pytest.mark.parametrize("shape", list(INPUT_SHAPES))
async def test_direct_calls_match_toolnode_for_every_input_shape(shape: str) -> None:
    plain = ToolNode(TOOLS)
    code_mode = CodeModeNode([lookup], direct_tools=TOOLS)
    expected = await plain.ainvoke(INPUT_SHAPES[shape], standalone())
    actual = await code_mode.ainvoke(INPUT_SHAPES[shape], standalone())
    assert strip_ids(actual) == strip_ids(expected)
    assert strip_ids(code_mode.invoke(INPUT_SHAPES[shape], standalone())) == strip_ids(
        plain.invoke(INPUT_SHAPES[shape], standalone())
    )


@pytest.mark.parametrize(
    "policy", [True, False, "custom message", (ValueError,), lambda e: f"handled {e}"]
)
async def test_error_policies_match_toolnode(policy: Any) -> None:
    message = ai_calls(("fails", {"reason": "x"}))
    plain = ToolNode(TOOLS, handle_tool_errors=policy)
    code_mode = CodeModeNode([lookup], direct_tools=TOOLS, handle_tool_errors=policy)
    if policy is False:
        with pytest.raises(ValueError, match="bad: x"):
            await plain.ainvoke([message], standalone())
        with pytest.raises(ValueError, match="bad: x"):
            await code_mode.ainvoke([message], standalone())
        return
    assert strip_ids(await code_mode.ainvoke([message], standalone())) == strip_ids(
        await plain.ainvoke([message], standalone())
    )


def test_tools_by_name_binds_execute_code_and_direct_tools() -> None:
    node = CodeModeNode(TOOLS, direct_tools=[lookup])
    assert list(node.tools_by_name) == ["execute_code", "lookup"]
    assert "multiply(args: { a: number; b: number }): Promise<number>;" in (
        node.tools_by_name["execute_code"].description
    )


async def test_script_result_and_failure_as_tool_messages() -> None:
    node = CodeModeNode(TOOLS)
    ok = await node.ainvoke(
        [script_call("return (await tools.multiply({ a: 2, b: 21 })) + 0;", "s1")], standalone()
    )
    (message,) = ok
    assert message.status == "success"
    assert message.content == "42"
    assert message.artifact["calls"][0]["name"] == "multiply"
    bad = await node.ainvoke([script_call("throw new Error('nope')", "s2")], standalone())
    (failed,) = bad
    assert failed.status == "error"
    assert failed.content == "Error: nope (line 1)"
    assert failed.artifact["error_type"] == "runtime"


class CountState(MessagesState):
    user: str
    counter: Annotated[int, operator.add]


@tool
def whoami(state: Annotated[dict, InjectedState]) -> str:
    """Who is asking."""
    return str(state["user"])


@tool
def runtime_probe(runtime: ToolRuntime) -> dict[str, Any]:
    """Reports what the runtime carries."""
    return {"user": runtime.state["user"], "call": runtime.tool_call_id}


@tool
def bump(by: int, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Adds to the counter in graph state."""
    return Command(
        update={
            "counter": by,
            "messages": [ToolMessage(f"bumped by {by}", tool_call_id=tool_call_id)],
        }
    )


def build_graph(node: ToolNode, *replies: AIMessage) -> Any:
    model = ScriptedChatModel(replies=[*replies, AIMessage(content="done")])

    def agent(state: CountState) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    graph = StateGraph(CountState)
    graph.add_node("agent", agent)
    graph.add_node("tools", node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    return graph.compile()


INJECTION_SCRIPT = """
const who = await tools.whoami({});
const probe = await tools.runtime_probe({});
const first = await tools.bump({ by: 2 });
const second = await tools.bump({ by: 3 });
return { who, probe, first, second };
"""


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_nested_tools_get_the_langgraph_runtime(mode: str) -> None:
    node = CodeModeNode([whoami, runtime_probe, bump])
    declarations = node.toolkit.declarations
    assert "whoami(args?: {}): Promise<string" in declarations
    assert "runtime_probe(args?: {})" in declarations
    assert "bump(args: { by: number })" in declarations
    graph = build_graph(node, script_call(INJECTION_SCRIPT, "s9"))
    inputs = {"messages": [HumanMessage("go")], "user": "ada", "counter": 0}
    state = graph.invoke(inputs) if mode == "sync" else await graph.ainvoke(inputs)
    tool_message = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    value = tool_message.artifact["value"]
    assert value["who"] == "ada"
    assert value["probe"] == {"user": "ada", "call": "s9:1"}
    assert value["first"] == "bumped by 2"
    assert value["second"] == "bumped by 3"
    assert state["counter"] == 5  # both Command updates applied
    # The nested calls' own ToolMessages never enter the conversation.
    assert [m.tool_call_id for m in state["messages"] if isinstance(m, ToolMessage)] == ["s9"]


async def test_custom_stream_events_for_nested_calls() -> None:
    node = CodeModeNode(TOOLS)
    graph = build_graph(
        node,
        script_call(
            "const [a, b] = await Promise.all([tools.multiply({a: 2, b: 3}),"
            " tools.lookup({key: 'k'})]); try { await tools.fails({reason: 'r'}) } catch {}"
            " return a",
            "s7",
        ),
    )
    events = [
        chunk
        async for chunk in graph.astream(
            {"messages": [HumanMessage("go")], "user": "u", "counter": 0}, stream_mode="custom"
        )
    ]
    starts = [e for e in events if e["event"] == "tool_start"]
    ends = [e for e in events if e["event"] == "tool_end"]
    assert [(e["tool"], e["index"]) for e in starts] == [
        ("multiply", 0),
        ("lookup", 1),
        ("fails", 2),
    ]
    assert all(isinstance(e["args"], dict) for e in starts)
    assert {e["tool_call_id"] for e in events} == {"s7"}
    assert sorted((e["tool"], e["ok"]) for e in ends) == [
        ("fails", False),
        ("lookup", True),
        ("multiply", True),
    ]
    assert all(e["duration_ms"] >= 0 for e in ends)


async def test_astream_events_show_nested_tool_runs() -> None:
    node = CodeModeNode(TOOLS)
    graph = build_graph(node, script_call("return await tools.multiply({ a: 3, b: 3 })"))
    names = [
        (event["event"], event["name"])
        async for event in graph.astream_events(
            {"messages": [HumanMessage("go")], "user": "u", "counter": 0}, version="v2"
        )
        if event["event"] in ("on_tool_start", "on_tool_end")
    ]
    assert names == [
        ("on_tool_start", "execute_code"),
        ("on_tool_start", "multiply"),
        ("on_tool_end", "multiply"),
        ("on_tool_end", "execute_code"),
    ]


class Collector(BaseTracer):
    def __init__(self) -> None:
        super().__init__()
        self.runs: list[Run] = []

    def _persist_run(self, run: Run) -> None:
        pass

    def _end_trace(self, run: Run) -> None:
        self.runs.append(run)
        super()._end_trace(run)


async def test_nested_tool_runs_are_children_of_execute_code() -> None:
    node = CodeModeNode(TOOLS)
    graph = build_graph(
        node,
        script_call(
            "const x = await tools.multiply({ a: 2, b: 2 }); return tools.lookup({key: 'q'})"
        ),
    )
    collector = Collector()
    await graph.ainvoke(
        {"messages": [HumanMessage("go")], "user": "u", "counter": 0},
        config={"callbacks": [collector]},
    )
    runs: dict[str, Run] = {}

    def walk(run: Run) -> None:
        runs[str(run.id)] = run
        for child in run.child_runs:
            walk(child)

    for root in collector.runs:
        walk(root)
    execute = next(r for r in runs.values() if r.name == "execute_code")
    nested = [r for r in runs.values() if r.name in ("multiply", "lookup")]
    assert len(nested) == 2
    assert [runs[str(r.parent_run_id)].name for r in nested] == ["execute_code"] * 2
    assert execute.parent_run_id is not None
    assert runs[str(execute.parent_run_id)].name == "tools"


async def test_wrap_tool_call_applies_to_nested_calls() -> None:
    seen: list[str] = []

    async def audit(request: Any, execute: Any) -> Any:
        seen.append(request.tool_call["name"])
        return await execute(request)

    node = CodeModeNode(TOOLS, awrap_tool_call=audit)
    await node.ainvoke([script_call("return await tools.multiply({ a: 1, b: 1 })")], standalone())
    assert seen == ["execute_code", "multiply"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_create_react_agent_accepts_the_node() -> None:
    from langgraph.prebuilt import create_react_agent

    node = CodeModeNode(TOOLS)
    model = ScriptedChatModel(
        replies=[script_call("return await tools.multiply({ a: 5, b: 5 })"), AIMessage("25")]
    )
    agent = create_react_agent(model, node)
    state = agent.invoke({"messages": [HumanMessage("5*5?")]})
    assert state["messages"][-1].content == "25"
    assert state["messages"][-2].content == "25"


@tool
def remember(note: str, store: Annotated[Any, InjectedStore()]) -> str:
    """Saves a note in the long-term store."""
    store.put(("notes",), "last", {"note": note})
    return "saved"


async def test_nested_tools_get_the_store() -> None:
    from langgraph.store.memory import InMemoryStore

    store = InMemoryStore()
    node = CodeModeNode([remember])
    graph = StateGraph(CountState)
    model = ScriptedChatModel(
        replies=[script_call("return await tools.remember({ note: 'hi' })"), AIMessage("ok")]
    )
    graph.add_node("agent", lambda state: {"messages": [model.invoke(state["messages"])]})
    graph.add_node("tools", node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", tools_condition)
    graph.add_edge("tools", "agent")
    compiled = graph.compile(store=store)
    await compiled.ainvoke({"messages": [HumanMessage("go")], "user": "u", "counter": 0})
    item = store.get(("notes",), "last")
    assert item is not None
    assert item.value == {"note": "hi"}


@pytest.mark.parametrize("mode", ["updates", "messages"])
async def test_stream_modes_match_toolnode_for_direct_calls(mode: str) -> None:
    def run(node: ToolNode) -> list[Any]:
        graph = build_graph(node, DIRECT)
        inputs = {"messages": [HumanMessage("go")], "user": "u", "counter": 0}
        chunks = graph.stream(inputs, stream_mode=mode)
        # Message chunks come with run metadata that differs between runs: keep the message.
        return [strip_ids(c[0] if mode == "messages" else c) for c in chunks]

    assert run(CodeModeNode([lookup], direct_tools=TOOLS)) == run(ToolNode(TOOLS))
