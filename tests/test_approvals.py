"""Approvals of calls a script issues together: one pause in LangChain's HITL shape.

Real graphs (``tests/durable_app.py``) under the in-memory, SQLite and PostgreSQL savers; the
``charge`` ledger file says how often each charge really ran. Resumes in a new process and a
SIGKILL during an approved charge run in child processes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langgraph.errors import is_invalid_resume
from langgraph.types import Command
from pydantic import ValidationError

from langchain_codemode.durable import approval_decision
from tests import durable_app
from tests.checkpointers import async_checkpointer, require_postgres, sync_checkpointer
from tests.durable_app import (
    DELAY_ENV,
    LEDGER_ENV,
    build_graph,
    ledger,
    running_path,
    script_call,
)

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["memory", "sqlite", "postgres"]

TOGETHER = """
const settled = await Promise.allSettled([1, 2, 3].map((amount) => tools.charge({ amount })));
const more = await tools.ask_human({ question: "anything else?" });
return {
  charges: settled.map((s) => (s.status === "fulfilled" ? s.value.charged : s.reason.message)),
  more,
};
"""
DECISIONS = {
    "decisions": [
        {"type": "approve"},
        {"type": "reject", "message": "not this one"},
        {"type": "edit", "edited_action": {"name": "charge", "args": {"amount": 30}}},
    ]
}


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


def _result(state: dict[str, Any]) -> Any:
    message = state["messages"][-1]
    assert isinstance(message, ToolMessage)
    return json.loads(message.content)


def _expect_batch(state: dict[str, Any], amounts: list[int], call_id: str = "call_1") -> None:
    [pause] = state["__interrupt__"]
    request = pause.value
    assert [(r["name"], r["args"]) for r in request["action_requests"]] == [
        ("charge", {"amount": amount}) for amount in amounts
    ]
    assert [r["tool_call_id"] for r in request["action_requests"]] == [
        f"{call_id}:{n}" for n in range(len(amounts))
    ]
    assert all(r["description"] for r in request["action_requests"])
    assert request["review_configs"] == [
        {"action_name": "charge", "allowed_decisions": ["approve", "edit", "reject"]}
    ] * len(amounts)
    assert pause.response_schema is not None  # clients can render a form for the decisions


@pytest.mark.parametrize("kind", KINDS)
async def test_calls_pending_together_pause_once_with_all_of_them(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    async with async_checkpointer(kind, _where(kind, tmp_path, postgres_uri)) as saver:
        app = build_graph(saver, approve=("charge",))
        config = _thread()
        state = await app.ainvoke(script_call(TOGETHER), config)
        _expect_batch(state, [1, 2, 3])
        assert ledger() == []
        state = await app.ainvoke(Command(resume=DECISIONS), config)
        # The script went on to the next pause; the approved and the edited call ran once.
        assert [i.value for i in state["__interrupt__"]] == [{"question": "anything else?"}]
        assert ledger() == ["1", "30"]
        state = await app.ainvoke(Command(resume="no"), config)
    assert ledger() == ["1", "30"]  # the replay asked nobody again and ran nothing again
    assert _result(state) == {"charges": [1, "tools.charge failed: not this one", 30], "more": "no"}


@pytest.mark.parametrize(
    "resume",
    [
        {"type": "approve"},  # the single-call form
        {"decisions": [{"type": "approve"}, {"type": "approve"}]},  # too few
        {"decisions": [{"type": "approve"}] * 4},  # too many
        {"decisions": [{"type": "approve"}, {"type": "maybe"}, {"type": "approve"}]},
        {
            "decisions": [
                {"type": "approve"},
                {"type": "respond", "message": "x"},
                {"type": "approve"},
            ]
        },
        {"decisions": [{"type": "edit", "edited_action": {"name": "ask_human", "args": {}}}] * 3},
        {"decisions": [{"type": "edit", "edited_action": {"name": "charge", "args": {}}}] * 3},
        {"decisions": [{"type": "edit"}, {"type": "approve"}, {"type": "approve"}]},
        ["approve", "approve", "approve"],
    ],
    ids=[
        "single",
        "too-few",
        "too-many",
        "unknown",
        "respond",
        "other-tool",
        "bad-args",
        "no-args",
        "bare-list",
    ],
)
async def test_a_resume_that_does_not_fit_the_batch_raises_and_can_be_answered_again(
    resume: Any,
) -> None:
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver, approve=("charge",))
        config = _thread()
        await app.ainvoke(script_call(TOGETHER), config)
        with pytest.raises(ValidationError) as raised:
            await app.ainvoke(Command(resume=resume), config)
        assert is_invalid_resume(raised.value)
        assert ledger() == []  # nothing was applied
        # The same pause is still there and takes a fitting answer.
        paused = await app.aget_state(config)
        assert len(paused.interrupts) == 1
        state = await app.ainvoke(Command(resume=DECISIONS), config)
    assert ledger() == ["1", "30"]
    assert [i.value for i in state["__interrupt__"]] == [{"question": "anything else?"}]


def test_the_batch_error_says_what_to_send() -> None:
    async def run() -> str:
        async with async_checkpointer("memory", None) as saver:
            app = build_graph(saver, approve=("charge",))
            config = _thread()
            await app.ainvoke(script_call(TOGETHER), config)
            with pytest.raises(ValidationError) as raised:
                await app.ainvoke(Command(resume={"type": "approve"}), config)
            return str(raised.value)

    message = asyncio.run(run())
    assert "3 calls are waiting for a decision" in message
    assert '{"decisions": [...]}' in message and "holding 3 decisions" in message


async def test_the_edit_shorthand_of_the_single_form_works_in_a_batch_too() -> None:
    code = "return (await Promise.all([1, 2].map((amount) => tools.charge({ amount })))).map((r) => r.charged);"
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver, approve=("charge",))
        config = _thread()
        await app.ainvoke(script_call(code), config)
        resume = {"decisions": [{"type": "edit", "args": {"amount": 10}}, {"type": "approve"}]}
        state = await app.ainvoke(Command(resume=resume), config)
    assert _result(state) == [10, 2]
    assert ledger() == ["10", "2"]


async def test_one_pending_call_keeps_the_single_call_form() -> None:
    code = """
    const [quote, charged] = await Promise.all([
      tools.slow_quote({ item: "x" }), tools.charge({ amount: 5 }),
    ]);
    return [quote.price, charged.charged];
    """
    async with async_checkpointer("memory", None) as saver:
        app = build_graph(saver, approve=("charge",))
        config = _thread()
        events: list[dict[str, Any]] = []
        async for chunk in app.astream(
            script_call(code), config, stream_mode=["custom", "updates"]
        ):
            if chunk[0] == "custom":
                events.append(chunk[1])
            elif "__interrupt__" in chunk[1]:
                [pause] = chunk[1]["__interrupt__"]
        assert pause.value == {
            "type": "approval",
            "tool": "charge",
            "args": {"amount": 5},
            "description": durable_app.charge.description,
            "tool_call_id": "call_1:1",
        }
        # The pause came once nothing else could go on: the quote had finished and is kept.
        assert [(e["event"], e["tool"]) for e in events] == [
            ("tool_start", "slow_quote"),
            ("tool_start", "charge"),
            ("tool_end", "slow_quote"),
        ]
        events.clear()
        # The batch form with one decision is read too.
        async for chunk in app.astream(
            Command(resume={"decisions": [{"type": "approve"}]}), config, stream_mode="custom"
        ):
            events.append(chunk)
        state = (await app.aget_state(config)).values
    assert _result(state) == [12, 5]
    assert [e["replayed"] for e in events if e["event"] == "tool_end"] == [True, False]
    assert ledger() == ["5"]


def test_single_call_decisions_stay_lenient() -> None:
    assert approval_decision({"decisions": [{"type": "approve"}]}) == ("approve", None)
    assert approval_decision({"decisions": [{"type": "reject"}]})[0] == "reject"
    kind, message = approval_decision({"decisions": [{"type": "approve"}] * 2})
    assert kind == "reject" and "unreadable" in message


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_sync_graph_batches_too(kind: str, tmp_path: Path) -> None:
    with sync_checkpointer(kind, tmp_path / "sync.sqlite") as saver:
        app = build_graph(saver, approve=("charge",))
        config = _thread()
        state = app.invoke(script_call(TOGETHER), config)
        _expect_batch(state, [1, 2, 3])
        state = app.invoke(Command(resume=DECISIONS), config)
        state = app.invoke(Command(resume="ok"), config)
    assert ledger() == ["1", "30"]
    assert _result(state)["charges"] == [1, "tools.charge failed: not this one", 30]


async def test_the_middleware_batches_the_same_way() -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage

    from langchain_codemode import CodeModeMiddleware
    from langchain_codemode.demo import ScriptedChatModel

    model = ScriptedChatModel(
        replies=[
            AIMessage(
                "", tool_calls=[{"name": "execute_code", "args": {"code": TOGETHER}, "id": "s1"}]
            ),
            AIMessage("Done."),
        ]
    )
    middleware = CodeModeMiddleware(durable_app.TOOLS, approve=["charge"])
    async with async_checkpointer("memory", None) as saver:
        agent = create_agent(model, tools=[], middleware=[middleware], checkpointer=saver)
        config = _thread()
        state = await agent.ainvoke({"messages": [("user", "charge them")]}, config)
        _expect_batch(state, [1, 2, 3], call_id="s1")
        with pytest.raises(ValidationError):
            await agent.ainvoke(Command(resume={"decisions": []}), config)
        state = await agent.ainvoke(Command(resume=DECISIONS), config)
        assert [i.value for i in state["__interrupt__"]] == [{"question": "anything else?"}]
        state = await agent.ainvoke(Command(resume="no"), config)
    assert ledger() == ["1", "30"]
    [result] = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert json.loads(result.content)["charges"] == [1, "tools.charge failed: not this one", 30]
    assert state["messages"][-1].content == "Done."


# -- in a new process --------------------------------------------------------------------------
WORKER = textwrap.dedent(
    """
    import asyncio, json, sys
    from langgraph.types import Command
    from tests.checkpointers import async_checkpointer
    from tests.durable_app import build_graph, script_call

    async def main(kind, where, thread, code, resume):
        config = {"configurable": {"thread_id": thread}}
        async with async_checkpointer(kind, where) as saver:
            app = build_graph(saver, approve=("charge",))
            if resume == "start":
                state = await app.ainvoke(script_call(code), config)
            elif resume == "continue":
                state = await app.ainvoke(None, config)
            else:
                state = await app.ainvoke(Command(resume=json.loads(resume)), config)
        print(json.dumps({
            "interrupts": [i.value for i in state.get("__interrupt__", [])],
            "content": state["messages"][-1].content,
        }))

    asyncio.run(main(*sys.argv[1:]))
    """
)


def _process(
    kind: str, where: str, thread: str, code: str, resume: Any, **env: str
) -> dict[str, Any]:
    step = resume if resume in ("start", "continue") else json.dumps(resume)
    done = subprocess.run(
        [sys.executable, "-c", WORKER, kind, where, thread, code, step],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_batch_is_resumed_in_a_new_process(
    kind: str, tmp_path: Path, postgres_uri: str | None
) -> None:
    where = str(_where(kind, tmp_path, postgres_uri))
    thread = f"t-{uuid.uuid4().hex}"
    first = _process(kind, where, thread, TOGETHER, "start")
    [request] = first["interrupts"]
    assert [r["args"]["amount"] for r in request["action_requests"]] == [1, 2, 3]
    second = _process(kind, where, thread, TOGETHER, DECISIONS)
    assert second["interrupts"] == [{"question": "anything else?"}]
    third = _process(kind, where, thread, TOGETHER, "yes")
    assert json.loads(third["content"]) == {
        "charges": [1, "tools.charge failed: not this one", 30],
        "more": "yes",
    }
    assert ledger() == ["1", "30"]


def test_an_approved_call_killed_while_it_runs_is_in_doubt_not_run_again(tmp_path: Path) -> None:
    """Asked about, paused, approved in a new process that dies while the charge runs: the
    next process must not run the charge again (it may have happened)."""
    code = """
    try {
      return (await tools.charge({ amount: 5 })).charged;
    } catch (e) {
      return e.message;
    }
    """
    db = tmp_path / "checkpoints.sqlite"
    thread = f"t-{uuid.uuid4().hex}"
    first = _process("sqlite", str(db), thread, code, "start")
    assert first["interrupts"][0]["type"] == "approval"
    step = json.dumps({"type": "approve"})
    dying = subprocess.Popen(
        [sys.executable, "-c", WORKER, "sqlite", str(db), thread, code, step],
        cwd=ROOT,
        env={**os.environ, DELAY_ENV: "60"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not running_path().exists():  # the approved charge is now running
            assert dying.poll() is None, "the resuming process ended before the charge ran"
            assert time.monotonic() < deadline, "the approved charge never started"
            time.sleep(0.05)
    finally:
        dying.send_signal(signal.SIGKILL)
        dying.wait()
    last = _process("sqlite", str(db), thread, code, "continue")
    assert "may or may not have taken effect" in json.loads(last["content"])
    assert ledger() == []


def test_the_demo_applies_its_one_decision_to_every_call_of_a_batch() -> None:
    from langchain_codemode import demo

    batch = {
        "action_requests": [
            {"name": "send_report", "args": {"to": "a"}, "description": "", "tool_call_id": "s:0"},
            {"name": "send_report", "args": {"to": "b"}, "description": "", "tool_call_id": "s:1"},
        ],
        "review_configs": [],
    }
    single = {"type": "approval", "tool": "send_report", "args": {"to": "a"}}
    assert demo._calls_to_approve(batch) == [
        ("send_report", {"to": "a"}),
        ("send_report", {"to": "b"}),
    ]
    assert demo._calls_to_approve(single) == [("send_report", {"to": "a"})]
    approve = {"type": "approve"}
    assert demo._answer([batch], approve) == {"decisions": [approve, approve]}
    assert demo._answer([single], approve) == approve


async def test_a_replay_whose_waiting_calls_differ_from_the_pause_ends_as_replay() -> None:
    """A timer raced a slow call: the first run asked about two charges together, but on
    replay the slow call answers at once from the journal and the script issues its charges
    in another order. The decisions must not be handed to other calls."""
    from langchain_core.tools import tool
    from langgraph.graph import END, START, StateGraph

    from langchain_codemode import CodeModeNode, CodeModeState

    @tool
    async def slow_lookup(item: str) -> str:
        """Look something up, slowly."""
        await asyncio.sleep(2.0)
        return item

    code = """
    const later = new Promise((r) => setTimeout(r, 1000)).then(() => tools.charge({ amount: 2 }));
    const first = tools.slow_lookup({ item: "x" }).then(() => tools.charge({ amount: 1 }));
    return (await Promise.all([first, later])).map((r) => r.charged);
    """
    graph = StateGraph(CodeModeState)
    graph.add_node("tools", CodeModeNode([durable_app.charge, slow_lookup], approve=["charge"]))
    graph.add_edge(START, "tools")
    graph.add_edge("tools", END)
    async with async_checkpointer("memory", None) as saver:
        app = graph.compile(checkpointer=saver)
        config = _thread()
        state = await app.ainvoke(script_call(code), config)
        [pause] = state["__interrupt__"]
        assert [r["args"] for r in pause.value["action_requests"]] == [{"amount": 2}, {"amount": 1}]
        resume = {"decisions": [{"type": "approve"}, {"type": "approve"}]}
        state = await app.ainvoke(Command(resume=resume), config)
    message = state["messages"][-1]
    assert message.status == "error" and message.artifact["error_type"] == "replay"
    assert "not the ones the pause asked about" in message.artifact["error"]
    assert ledger() == []
