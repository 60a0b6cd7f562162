"""What LangSmith shows, checked with the real ``langsmith`` client posting to a local endpoint
(tests/langsmith_endpoint.py): one trace per execution, failed scripts as errors, ``run_name``
on the script's run only, and the run record kept on ``execute_code``'s messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langsmith_endpoint import Recorder, langsmith_endpoint

import langchain_codemode
from langchain_codemode import CodeModeMiddleware, CodeModeNode, CodeModeToolkit
from langchain_codemode.demo import ScriptedChatModel

TESTS = Path(__file__).parent
PACKAGE_ROOT = str(Path(langchain_codemode.__file__).parents[1])  # the package under test


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


FOUR_CALLS = """
const [x, y] = await Promise.all([tools.add({ a: 1, b: 2 }), tools.add({ a: 3, b: 4 })]);
const z = await tools.add({ a: x, b: y });
console.log("sum", z);
return await tools.add({ a: z, b: 0 });
"""
FAILS = "await tools.add({ a: 1, b: 2 });\nthrow new Error('out of luck');"


@pytest.fixture
def endpoint() -> Iterator[Recorder]:
    with langsmith_endpoint() as recorder:
        yield recorder


def _by_name(runs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [run for run in runs if run.get("name") == name]


def _single_trace(runs: list[dict[str, Any]], root_name: str) -> dict[str, Any]:
    roots = [run for run in runs if not run.get("parent_run_id")]
    assert [run["name"] for run in roots] == [root_name]
    [root] = roots
    assert {str(run["trace_id"]) for run in runs} == {str(root["id"])}
    return root


def _check_script_run(runs: list[dict[str, Any]], root_name: str = "execute_code") -> None:
    root = _single_trace(runs, root_name)
    assert root["inputs"]["code"] == FOUR_CALLS
    assert root.get("error") is None
    assert root["outputs"]["output"] == {
        "ok": True,
        "value": 10,
        "logs": ["sum 10"],
        "tool_calls": 4,
    }
    children = [run for run in runs if run is not root]
    assert [run["name"] for run in children] == ["add"] * 4
    assert {str(run["parent_run_id"]) for run in children} == {str(root["id"])}
    assert all(str(run["dotted_order"]).startswith(str(root["dotted_order"])) for run in children)


async def test_aexecute_outside_a_graph_is_one_trace(endpoint: Recorder) -> None:
    toolkit = CodeModeToolkit([add])
    result = await toolkit.aexecute(FOUR_CALLS, config={"callbacks": [endpoint.tracer]})
    assert result.ok and result.value == 10
    _check_script_run(endpoint.runs())


def test_execute_outside_a_graph_is_one_trace(endpoint: Recorder) -> None:
    toolkit = CodeModeToolkit([add])
    assert toolkit.execute(FOUR_CALLS, config={"callbacks": [endpoint.tracer]}).ok
    _check_script_run(endpoint.runs())


async def test_run_name_names_only_the_scripts_run(endpoint: Recorder) -> None:
    toolkit = CodeModeToolkit([add])
    config = {"callbacks": [endpoint.tracer], "run_name": "my_script"}
    assert (await toolkit.aexecute(FOUR_CALLS, config=config)).ok  # type: ignore[arg-type]
    _check_script_run(endpoint.runs(), root_name="my_script")


async def test_a_failed_script_outside_a_graph_is_an_error_run(endpoint: Recorder) -> None:
    toolkit = CodeModeToolkit([add], timeout=5.0)
    result = await toolkit.aexecute(FAILS, config={"callbacks": [endpoint.tracer]})
    assert not result.ok
    runs = endpoint.runs()
    root = _single_trace(runs, "execute_code")
    assert root["error"] == "Error: out of luck (line 2)"
    assert root["outputs"]["output"]["error_type"] == "runtime"
    assert root["outputs"]["output"]["tool_calls"] == 1
    endpoint.clear()
    timed_out = await toolkit.aexecute(
        "while (true) {}", config={"callbacks": [endpoint.tracer], "run_name": "spin"}
    )
    assert timed_out.error_type == "timeout"
    [spin] = endpoint.runs()
    assert spin["name"] == "spin" and "Timed out" in spin["error"]


async def test_as_tool_failure_is_an_error_run_and_keeps_the_calls(endpoint: Recorder) -> None:
    execute_code = CodeModeToolkit([add]).as_tool()
    call = {"name": "execute_code", "args": {"code": FAILS}, "id": "call_1", "type": "tool_call"}
    message = await execute_code.ainvoke(call, config={"callbacks": [endpoint.tracer]})
    assert isinstance(message, ToolMessage)
    assert message.status == "error"
    assert message.content == "Error: out of luck (line 2)"
    assert [c["name"] for c in message.artifact["calls"]] == ["add"]
    assert message.artifact["error_type"] == "runtime"
    runs = endpoint.runs()
    root = _single_trace(runs, "execute_code")
    assert root["error"] == "Error: out of luck (line 2)"
    assert [run["name"] for run in runs if run is not root] == ["add"]
    # The sync door and a plain (non-ToolCall) invocation behave as before.
    sync_message = execute_code.invoke(call)
    assert sync_message.status == "error" and sync_message.artifact["calls"]
    assert execute_code.invoke({"code": FAILS}) == "Error: out of luck (line 2)"


async def test_as_tool_success_keeps_the_calls(endpoint: Recorder) -> None:
    execute_code = CodeModeToolkit([add]).as_tool()
    call = {"name": "execute_code", "args": {"code": FOUR_CALLS}, "id": "c", "type": "tool_call"}
    message = await execute_code.ainvoke(call, config={"callbacks": [endpoint.tracer]})
    assert message.status == "success" and len(message.artifact["calls"]) == 4
    root = _single_trace(endpoint.runs(), "execute_code")
    assert root.get("error") is None


def _graph(node: CodeModeNode) -> Any:
    builder = StateGraph(MessagesState)
    builder.add_node("tools", node)
    builder.add_edge(START, "tools")
    return builder.compile()


def _script_message(code: str) -> AIMessage:
    return AIMessage(
        content="", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": "s1"}]
    )


async def test_a_failed_script_in_a_graph_is_an_error_run(endpoint: Recorder) -> None:
    graph = _graph(CodeModeNode([add]))
    state = await graph.ainvoke(
        {"messages": [_script_message(FAILS)]}, config={"callbacks": [endpoint.tracer]}
    )
    message = state["messages"][-1]
    assert message.status == "error" and message.artifact["calls"][0]["name"] == "add"
    runs = endpoint.runs()
    [script] = _by_name(runs, "execute_code")
    assert script["error"] == "Error: out of luck (line 2)"
    [nested] = _by_name(runs, "add")
    assert str(nested["parent_run_id"]) == str(script["id"])
    assert len({str(run["trace_id"]) for run in runs}) == 1


async def test_a_successful_script_in_a_graph_has_no_error(endpoint: Recorder) -> None:
    graph = _graph(CodeModeNode([add]))
    await graph.ainvoke(
        {"messages": [_script_message(FOUR_CALLS)]}, config={"callbacks": [endpoint.tracer]}
    )
    runs = endpoint.runs()
    [script] = _by_name(runs, "execute_code")
    assert script.get("error") is None
    assert [str(run["parent_run_id"]) for run in _by_name(runs, "add")] == [str(script["id"])] * 4


async def test_a_failed_script_under_the_middleware_is_an_error_run(endpoint: Recorder) -> None:
    call = {"name": "execute_code", "args": {"code": FAILS}, "id": "call_1"}
    model = ScriptedChatModel(
        replies=[AIMessage(content="", tool_calls=[call]), AIMessage(content="done")]
    )
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware([add])])
    state = await agent.ainvoke(
        {"messages": [("user", "go")]}, config={"callbacks": [endpoint.tracer]}
    )
    [message] = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert message.status == "error"
    assert [c["name"] for c in message.artifact["calls"]] == ["add"]
    [script] = _by_name(endpoint.runs(), "execute_code")
    assert script["error"] == "Error: out of luck (line 2)"


def test_codemode_run_is_one_trace(endpoint: Recorder, tmp_path: Path) -> None:
    script = tmp_path / "job.js"
    script.write_text(
        "const a = await tools.double({ n: 2 });\nreturn await tools.double({ n: a });"
    )
    env = {
        **os.environ,
        "LANGSMITH_TRACING": "true",
        "LANGSMITH_ENDPOINT": endpoint.url,
        "LANGSMITH_API_KEY": "test-key",
        "LANGSMITH_PROJECT": "codemode-cli",
        "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "langchain_codemode",
            "run",
            str(script),
            "--tools",
            "cli_tools:TOOLS",
            "--json",
        ],
        cwd=TESTS,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["value"] == 8
    runs = endpoint.runs()
    root = _single_trace(runs, "execute_code")
    assert root["outputs"]["output"]["value"] == 8
    assert [run["name"] for run in runs if run is not root] == ["double", "double"]


async def test_a_script_run_by_a_tool_of_a_script_nests_under_it(endpoint: Recorder) -> None:
    import asyncio

    from langgraph.checkpoint.memory import InMemorySaver

    inner = CodeModeToolkit([add], typecheck=False)

    @tool
    async def sum_by_script(a: int, b: int) -> int:
        """Adds through a script of its own."""
        result = await inner.aexecute(f"return await tools.add({{ a: {a}, b: {b} }})")
        assert result.ok, result.error
        return int(result.value)

    builder = StateGraph(MessagesState)
    builder.add_node("tools", CodeModeNode([sum_by_script], typecheck=False))
    builder.add_edge(START, "tools")
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"callbacks": [endpoint.tracer], "configurable": {"thread_id": "nested"}}
    code = "return await tools.sum_by_script({ a: 2, b: 3 })"
    state = await asyncio.wait_for(
        graph.ainvoke({"messages": [_script_message(code)]}, config=config), 120
    )  # generous: only a script waiting on the one that runs it would take that long
    assert state["messages"][-1].status == "success"
    runs = endpoint.runs()
    outer, inner_run = _by_name(runs, "execute_code")
    [nested_tool] = _by_name(runs, "sum_by_script")
    assert str(nested_tool["parent_run_id"]) == str(outer["id"])
    assert str(inner_run["parent_run_id"]) == str(nested_tool["id"])
    [leaf] = _by_name(runs, "add")
    assert str(leaf["parent_run_id"]) == str(inner_run["id"])
