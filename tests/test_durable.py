"""Durable scripts under real checkpointers: journaled calls, interrupts, approvals, workspace.

Every test drives a real graph (``tests/durable_app.py``) whose ``charge`` tool appends to a
ledger file outside the checkpoint, so "no side effect ran twice" is checked on what really
happened, with the in-memory, SQLite and PostgreSQL savers.
"""

from __future__ import annotations

import json
import operator
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Annotated, Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from langchain_codemode import CodeModeNode, CodeModeState, ConfigurationError
from langchain_codemode.durable import approval_decision, merge_workspace
from tests import durable_app
from tests.checkpointers import (
    async_checkpointer,
    require_postgres,
    sync_checkpointer,
)
from tests.durable_app import (
    CHARGE_ASK_CHARGE,
    LEDGER_ENV,
    build_graph,
    ledger,
    script_call,
)

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["memory", "sqlite", "postgres"]


@pytest.fixture(autouse=True)
def ledger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ledger.txt"
    monkeypatch.setenv(LEDGER_ENV, str(path))
    return path


def _where(kind: str, tmp_path: Path, postgres_uri: str | None) -> Any:
    if kind == "postgres":
        return require_postgres(postgres_uri)
    return tmp_path / "checkpoints.sqlite"


def _thread() -> dict[str, Any]:
    return {"configurable": {"thread_id": f"t-{uuid.uuid4().hex}"}}


def _last_tool_message(state: dict[str, Any]) -> ToolMessage:
    message = state["messages"][-1]
    assert isinstance(message, ToolMessage)
    return message


async def _drive(app: Any, first_input: Any, resumes: list[Any], config: dict[str, Any]) -> tuple:
    """Run, then resume once per value; returns (final state, interrupt values seen)."""
    seen = []
    state = await app.ainvoke(first_input, config)
    for value in resumes:
        assert "__interrupt__" in state, f"expected a pause, got {state['messages'][-1]}"
        seen.append([i.value for i in state["__interrupt__"]])
        state = await app.ainvoke(Command(resume=value), config)
    return state, seen


# -- journaled calls and interrupts -------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
async def test_charge_ask_charge_runs_each_charge_once(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    async with async_checkpointer(kind, _where(kind, tmp_path, postgres_uri)) as saver:
        app = build_graph(saver)
        config = _thread()
        state = await app.ainvoke(script_call(CHARGE_ASK_CHARGE), config)
        assert [i.value for i in state["__interrupt__"]] == [{"question": "Charge 7 more?"}]
        assert ledger() == ["5"]
        state = await app.ainvoke(Command(resume="yes"), config)
    assert ledger() == ["5", "7"]
    message = _last_tool_message(state)
    assert json.loads(message.content) == {"first": 5, "answer": "yes", "second": 7}
    assert [call["name"] for call in message.artifact["calls"]] == ["charge", "ask_human", "charge"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_sync_graph_journals_too(kind: str, tmp_path: Path) -> None:
    with sync_checkpointer(kind, tmp_path / "sync.sqlite") as saver:
        app = build_graph(saver)
        config = _thread()
        state = app.invoke(script_call(CHARGE_ASK_CHARGE), config)
        assert "__interrupt__" in state
        state = app.invoke(Command(resume="ok"), config)
    assert ledger() == ["5", "7"]
    assert json.loads(_last_tool_message(state).content)["answer"] == "ok"


async def test_two_interrupts_get_their_own_resume_values_in_order() -> None:
    code = """
    const a = await tools.ask_human({ question: "first?" });
    await tools.charge({ amount: 1 });
    const b = await tools.ask_human({ question: "second?" });
    const c = await tools.ask_human({ question: "third?" });
    return [a, b, c];
    """
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        state, seen = await _drive(app, script_call(code), ["A", "B", "C"], _thread())
    assert seen == [[{"question": "first?"}], [{"question": "second?"}], [{"question": "third?"}]]
    assert json.loads(_last_tool_message(state).content) == ["A", "B", "C"]
    assert ledger() == ["1"]


CATCHERS = {
    "try_catch": """
        try { await tools.ask_human({ question: "q" }); } catch (e) { await tools.charge({ amount: 99 }); return "swallowed"; }
        """,
    "promise_catch": """
        const r = await tools.ask_human({ question: "q" }).catch(async () => { await tools.charge({ amount: 99 }); return "swallowed"; });
        if (r === "swallowed") return r;
        """,
    "all_settled": """
        const [r] = await Promise.allSettled([tools.ask_human({ question: "q" })]);
        if (r.status === "rejected") { await tools.charge({ amount: 99 }); return "swallowed"; }
        """,
    "finally": """
        try { await tools.ask_human({ question: "q" }); } finally { await tools.charge({ amount: 99 }); }
        """,
}


@pytest.mark.parametrize("form", list(CATCHERS))
async def test_a_script_cannot_catch_an_interrupt(form: str) -> None:
    code = "await tools.charge({ amount: 1 });\n" + CATCHERS[form] + "\nreturn 'resumed';"
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        config = _thread()
        state = await app.ainvoke(script_call(code), config)
        assert [i.value for i in state["__interrupt__"]] == [{"question": "q"}]
        # No script code ran past the interrupt: the handler's charge never happened.
        assert ledger() == ["1"]
        state = await app.ainvoke(Command(resume="fine"), config)
    assert ledger() == (["1", "99"] if form == "finally" else ["1"])
    assert json.loads(_last_tool_message(state).content) == "resumed"


async def test_parallel_calls_replay_in_issue_order() -> None:
    code = """
    const refs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => tools.charge({ amount: n, ref: "p" + n })));
    const go = await tools.ask_human({ question: "more?" });
    const more = await Promise.all([7, 8].map((n) => tools.charge({ amount: n, ref: "p" + n })));
    return [...refs, ...more].map((r) => r.ref).concat([go]);
    """
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        state, _ = await _drive(app, script_call(code), ["yes"], _thread())
    assert sorted(ledger()) == sorted(f"p{n}" for n in range(1, 9))
    assert json.loads(_last_tool_message(state).content)[-1] == "yes"


async def test_clock_and_random_are_the_same_on_replay() -> None:
    code = """
    const before = { t: Date.now(), r: Math.random(), d: new Date().toISOString() };
    await tools.charge({ amount: 1, ref: JSON.stringify(before) });
    await tools.ask_human({ question: "go?" });
    return { before, after: { t: Date.now(), r: Math.random() } };
    """
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        state, _ = await _drive(app, script_call(code), ["go"], _thread())
    value = json.loads(_last_tool_message(state).content)
    # The charge was journaled with the first run's values; the replay reproduced them exactly
    # (otherwise its arguments would differ from the record and the run would fail).
    assert json.loads(ledger()[0]) == value["before"]
    assert value["after"]["t"] == value["before"]["t"]
    assert value["after"]["r"] != value["before"]["r"]


async def test_a_script_that_changes_its_calls_on_replay_is_detected() -> None:
    # A race between a slow tool and a timer: the first run's timer wins; on replay the tool
    # answers at once from the record, wins, and the script takes the other branch.
    code = """
    const quote = tools.slow_quote({ item: "lamp" });
    const winner = await Promise.race([
      quote.then(() => "tool"),
      new Promise((resolve) => setTimeout(() => resolve("timer"), 20)),
    ]);
    await tools.charge({ amount: 1, ref: winner });
    await quote;
    await tools.ask_human({ question: "ok?" });
    return winner;
    """
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        state, _ = await _drive(app, script_call(code), ["ok"], _thread())
    message = _last_tool_message(state)
    assert message.status == "error"
    assert message.artifact["error_type"] == "replay"
    assert "tools.charge" in message.content and "replayed" in message.content
    assert ledger() == ["timer"]  # the mismatched call was not run


async def test_without_a_checkpointer_calls_run_directly() -> None:
    app = build_graph(None)
    state = await app.ainvoke(script_call("return (await tools.charge({ amount: 3 })).charged"))
    assert json.loads(_last_tool_message(state).content) == 3
    assert ledger() == ["3"]


# -- approvals ----------------------------------------------------------------------------------
APPROVAL_SCRIPT = """
const results = [];
for (const amount of [5, 6, 7]) {
  try {
    results.push((await tools.charge({ amount })).charged);
  } catch (e) {
    results.push(e.message);
  }
}
return results;
"""


@pytest.mark.parametrize("kind", KINDS)
async def test_approval_approve_reject_edit(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    async with async_checkpointer(kind, _where(kind, tmp_path, postgres_uri)) as saver:
        app = build_graph(saver, approve=("charge",))
        state, seen = await _drive(
            app,
            script_call(APPROVAL_SCRIPT, call_id="pay"),
            [
                {"type": "approve"},
                {"type": "reject", "message": "not this one"},
                {"type": "edit", "args": {"amount": 70}},
            ],
            _thread(),
        )
    requests = [values[0] for values in seen]
    assert [(r["type"], r["tool"], r["args"]) for r in requests] == [
        ("approval", "charge", {"amount": 5}),
        ("approval", "charge", {"amount": 6}),
        ("approval", "charge", {"amount": 7}),
    ]
    assert [r["tool_call_id"] for r in requests] == ["pay:0", "pay:1", "pay:2"]
    assert ledger() == ["5", "70"]
    assert json.loads(_last_tool_message(state).content) == [
        5,
        "tools.charge failed: not this one",
        70,
    ]


def test_approval_decisions_are_read_leniently_and_bad_ones_explain_themselves() -> None:
    assert approval_decision(True) == ("approve", None)
    assert approval_decision("reject")[0] == "reject"
    assert approval_decision({"type": "edit", "edited_action": {"args": {"a": 1}}}) == (
        "edit",
        {"a": 1},
    )
    kind, message = approval_decision({"type": "maybe"})
    assert kind == "reject" and '{"type": "approve"}' in message


def test_approve_must_name_tools_the_script_can_call() -> None:
    with pytest.raises(ConfigurationError, match=r"'refund'.*choose among"):
        CodeModeNode(durable_app.TOOLS, approve=["refund"])
    with pytest.raises(ConfigurationError, match="list of tool names"):
        CodeModeNode(durable_app.TOOLS, approve="charge")


# -- the workspace ------------------------------------------------------------------------------
WRITE_WS = """
workspace.set("customer", { id: "acme", orders: [1, 2, 3] });
workspace.set("scratch", 1);
return workspace.keys();
"""
READ_WS = """
const customer = workspace.get("customer");
workspace.delete("scratch");
return { orders: customer.orders.length, keys: workspace.keys(), missing: workspace.get("nope") ?? null };
"""


@pytest.mark.parametrize("kind", KINDS)
async def test_workspace_survives_between_executions(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    where = _where(kind, tmp_path, postgres_uri)
    config = _thread()
    async with async_checkpointer(kind, where) as saver:
        app = build_graph(saver)
        await app.ainvoke(script_call(WRITE_WS, "w1"), config)
        state = await app.ainvoke(script_call(READ_WS, "w2"), config)
    assert json.loads(_last_tool_message(state).content) == {
        "orders": 3,
        "keys": ["customer"],
        "missing": None,
    }
    assert state["codemode_workspace"] == {"customer": {"id": "acme", "orders": [1, 2, 3]}}


async def test_a_failed_script_changes_nothing_in_the_workspace() -> None:
    config = _thread()
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        await app.ainvoke(script_call('workspace.set("a", 1); return 1', "w1"), config)
        state = await app.ainvoke(
            script_call('workspace.set("a", 2); workspace.set("b", 3); throw new Error("x")', "w2"),
            config,
        )
    assert _last_tool_message(state).status == "error"
    assert state["codemode_workspace"] == {"a": 1}


def test_workspace_is_declared_only_when_enabled() -> None:
    assert (
        "declare const workspace"
        in CodeModeNode(durable_app.TOOLS, workspace=True).toolkit.declarations
    )
    assert "workspace" not in CodeModeNode(durable_app.TOOLS).toolkit.declarations


def test_merge_workspace_sets_and_deletes() -> None:
    assert merge_workspace({"a": 1, "b": 2}, {"b": None, "c": [3]}) == {"a": 1, "c": [3]}
    assert merge_workspace(None, None) == {}


RESTART_WORKER = textwrap.dedent(
    """
    import asyncio, json, sys
    from tests.checkpointers import async_checkpointer
    from tests.durable_app import build_graph, script_call

    async def main(kind, where, thread, code, call_id):
        async with async_checkpointer(kind, where) as saver:
            app = build_graph(saver)
            state = await app.ainvoke(script_call(code, call_id), {"configurable": {"thread_id": thread}})
        print(json.dumps({"content": state["messages"][-1].content,
                          "workspace": state.get("codemode_workspace")}))

    asyncio.run(main(*sys.argv[1:]))
    """
)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_workspace_survives_a_process_restart(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    where = str(_where(kind, tmp_path, postgres_uri))
    thread = f"t-{uuid.uuid4().hex}"

    def run(code: str, call_id: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", RESTART_WORKER, kind, where, thread, code, call_id],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ},
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    run(WRITE_WS, "w1")
    second = run(READ_WS, "w2")
    assert json.loads(second["content"]) == {"orders": 3, "keys": ["customer"], "missing": None}


# -- the same under create_agent ------------------------------------------------------------------
async def test_the_middleware_journals_approves_and_keeps_a_workspace() -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage as Reply

    from langchain_codemode import CodeModeMiddleware
    from langchain_codemode.demo import ScriptedChatModel

    code = """
    const first = await tools.charge({ amount: 5 });
    const answer = await tools.ask_human({ question: "and 7?" });
    workspace.set("last_answer", answer);
    return { first: first.charged, answer };
    """
    model = ScriptedChatModel(
        replies=[
            Reply("", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": "s1"}]),
            Reply("Done."),
        ]
    )
    middleware = CodeModeMiddleware(durable_app.TOOLS, approve=["charge"], workspace=True)
    async with async_checkpointer("memory", None) as saver:
        agent = create_agent(model, tools=[], middleware=[middleware], checkpointer=saver)
        state, seen = await _drive(
            agent,
            {"messages": [("user", "charge them")]},
            [{"type": "approve"}, "yes"],
            _thread(),
        )
    assert seen[0][0]["tool"] == "charge" and seen[0][0]["tool_call_id"] == "s1:0"
    assert seen[1] == [{"question": "and 7?"}]
    assert ledger() == ["5"]
    [result] = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert json.loads(result.content) == {"first": 5, "answer": "yes"}
    assert state["codemode_workspace"] == {"last_answer": "yes"}
    assert state["messages"][-1].content == "Done."


def test_the_middleware_validates_its_durability_options() -> None:
    from langchain_codemode import CodeModeMiddleware

    with pytest.raises(ConfigurationError, match="choose among"):
        CodeModeMiddleware(durable_app.TOOLS, approve=["refund"])
    with pytest.raises(ConfigurationError, match="in_doubt"):
        CodeModeMiddleware(durable_app.TOOLS, in_doubt="maybe")


async def test_the_middleware_streams_nested_calls() -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage as Reply

    from langchain_codemode import CodeModeMiddleware
    from langchain_codemode.demo import ScriptedChatModel

    code = "await tools.charge({ amount: 2 }); return 1"
    model = ScriptedChatModel(
        replies=[
            Reply("", tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": "m1"}]),
            Reply("ok"),
        ]
    )
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware(durable_app.TOOLS)])
    events = [
        chunk async for chunk in agent.astream({"messages": [("user", "go")]}, stream_mode="custom")
    ]
    assert [(e["event"], e["tool"], e["tool_call_id"]) for e in events] == [
        ("tool_start", "charge", "m1"),
        ("tool_end", "charge", "m1"),
    ]
    assert events[0]["args"] == {"amount": 2} and events[1]["replayed"] is False


async def test_inside_a_subgraph_calls_are_journaled_and_traced_under_execute_code() -> None:
    from langchain_core.tracers.base import AsyncBaseTracer
    from langgraph.graph import END, START, StateGraph

    from langchain_codemode import CodeModeState

    class Runs(AsyncBaseTracer):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[Any] = []

        async def _persist_run(self, run: Any) -> None:
            pass

        async def _start_trace(self, run: Any) -> None:
            await super()._start_trace(run)
            self.seen.append(run)

    inner = StateGraph(CodeModeState)
    inner.add_node("tools", CodeModeNode(durable_app.TOOLS))
    inner.add_edge(START, "tools")
    inner.add_edge("tools", END)
    outer = StateGraph(CodeModeState)
    outer.add_node("payments", inner.compile())
    outer.add_edge(START, "payments")
    outer.add_edge("payments", END)
    tracer = Runs()
    async with async_checkpointer("memory", None) as saver:
        app = outer.compile(checkpointer=saver)
        config = {**_thread(), "callbacks": [tracer]}
        state = await app.ainvoke(script_call(CHARGE_ASK_CHARGE), config)
        # LangGraph reports a task's interrupt from a subgraph once per level it crosses.
        assert {i.value["question"] for i in state["__interrupt__"]} == {"Charge 7 more?"}
        state = await app.ainvoke(Command(resume="yes"), config)
    assert ledger() == ["5", "7"]
    assert json.loads(_last_tool_message(state).content)["answer"] == "yes"
    by_id = {run.id: run for run in tracer.seen}
    nested = [run for run in tracer.seen if run.name in ("charge", "ask_human")]
    assert nested and all(by_id[run.parent_run_id].name == "execute_code" for run in nested)


class CountingState(CodeModeState):
    count: Annotated[int, operator.add]


@tool
def bump(n: int, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Add n to the counter."""
    reply = ToolMessage(f"bumped {n}", tool_call_id=tool_call_id)
    return Command(update={"count": n, "messages": [reply]})


async def test_state_updates_of_journaled_calls_apply_once(tmp_path: Path) -> None:
    graph = StateGraph(CountingState)
    graph.add_node("tools", CodeModeNode([bump, durable_app.ask_human]))
    graph.add_edge(START, "tools")
    graph.add_edge("tools", END)
    code = """
    const a = await tools.bump({ n: 2 });
    const b = await tools.ask_human({ question: "more?" });
    return [a, b, await tools.bump({ n: 3 })];
    """
    async with async_checkpointer("sqlite", tmp_path / "c.sqlite") as saver:
        app = graph.compile(checkpointer=saver)
        state, _ = await _drive(app, {**script_call(code), "count": 0}, ["yes"], _thread())
    # The first bump's update was recorded with it and applied once, not once per run.
    assert state["count"] == 5
    assert json.loads(_last_tool_message(state).content) == ["bumped 2", "yes", "bumped 3"]


def test_the_workspace_is_bounded_and_copies_values() -> None:
    from langchain_codemode import CodeModeToolkit

    toolkit = CodeModeToolkit([durable_app.charge], workspace=True, max_value_bytes=1000)
    result = toolkit.execute(
        """
        const big = "x".repeat(600);
        workspace.set("a", big);
        let refused = null;
        try { workspace.set("b", big); } catch (e) { refused = e.message; }
        workspace.set("a", "small");          // replacing frees the old value's room
        workspace.set("b", big);
        const list = [1, 2];
        workspace.set("list", list);
        list.push(3);                         // the workspace kept a copy
        let badKey = null;
        try { workspace.set("", 1); } catch (e) { badKey = e.message; }
        return { refused, list: workspace.get("list"), badKey, keys: workspace.keys() };
        """
    )
    assert result.ok, result.error
    assert "more than 1000 bytes" in result.value["refused"]
    assert result.value["list"] == [1, 2]
    assert "non-empty strings" in result.value["badKey"]
    assert result.value["keys"] == ["a", "b", "list"]
    assert result.workspace_updates == {"a": "small", "b": "x" * 600, "list": [1, 2]}


async def test_two_scripts_in_one_step_run_each_call_once_across_a_resume() -> None:
    # ToolNode gathers the step's calls; when one script is interrupted the other must stop
    # too, or it would go on (and, in this process, run again after the resume).
    first = """
    await tools.charge({ amount: 1, ref: "a1" });
    const answer = await tools.ask_human({ question: "A?" });
    await tools.charge({ amount: 2, ref: "a2" });
    return answer;
    """
    second = """
    await tools.charge({ amount: 3, ref: "b1" });
    await tools.charge({ amount: 4, ref: "b2" });
    return "b";
    """
    message = AIMessage(
        "",
        tool_calls=[
            {"name": "execute_code", "args": {"code": first}, "id": "A"},
            {"name": "execute_code", "args": {"code": second}, "id": "B"},
        ],
    )
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver)
        state, _ = await _drive(app, {"messages": [message]}, ["go"], _thread())
    assert sorted(ledger()) == ["a1", "a2", "b1", "b2"]
    answers = {m.tool_call_id: json.loads(m.content) for m in state["messages"][1:]}
    assert answers == {"A": "go", "B": "b"}
