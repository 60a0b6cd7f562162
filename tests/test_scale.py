"""Many executions at once: bounded contexts, queueing in order, a clear error only when asked."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import Command, interrupt

from langchain_codemode import CodeModeNode, CodeModeToolkit
from langchain_codemode.errors import ConfigurationError, EngineBusyError
from langchain_codemode.sandbox import engine
from langchain_codemode.sandbox.engine import set_context_limits


@pytest.fixture(autouse=True)
def default_limits():
    yield
    set_context_limits()


class Gauge:
    def __init__(self) -> None:
        self.now = 0
        self.peak = 0

    @property
    def tool(self):
        gauge = self

        @tool
        async def hold(seconds: float) -> str:
            """Wait a while, counting how many calls wait at once."""
            gauge.now += 1
            gauge.peak = max(gauge.peak, gauge.now)
            try:
                await asyncio.sleep(seconds)
            finally:
                gauge.now -= 1
            return "ok"

        return hold


async def test_executions_beyond_max_contexts_queue_and_all_succeed() -> None:
    set_context_limits(max_contexts=2)
    gauge = Gauge()
    toolkit = CodeModeToolkit([gauge.tool])
    results = await asyncio.gather(
        *(toolkit.aexecute("return await tools.hold({ seconds: 0.05 })") for _ in range(7))
    )
    assert [r.value for r in results] == ["ok"] * 7, [r.error for r in results]
    assert gauge.peak == 2
    assert engine._POOL._live == 0


async def test_the_timeout_starts_once_a_context_is_had() -> None:
    set_context_limits(max_contexts=1)
    gauge = Gauge()
    toolkit = CodeModeToolkit([gauge.tool], timeout=0.6)
    # Each run takes ~0.3 s of its 0.6 s; the last waits ~0.9 s for its turn.
    results = await asyncio.gather(
        *(toolkit.aexecute("return await tools.hold({ seconds: 0.3 })") for _ in range(4))
    )
    assert [r.error_type for r in results] == [None] * 4, [r.error for r in results]


async def test_max_waiting_refuses_with_a_clear_error() -> None:
    set_context_limits(max_contexts=1, max_waiting=1)
    gauge = Gauge()
    toolkit = CodeModeToolkit([gauge.tool])
    script = "return await tools.hold({ seconds: 0.2 })"
    outcomes = await asyncio.gather(
        *(toolkit.aexecute(script) for _ in range(3)), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, EngineBusyError)]
    assert len(refused) == 1
    assert "max_waiting=1" in str(refused[0])
    assert [o.value for o in outcomes if not isinstance(o, BaseException)] == ["ok", "ok"]
    assert engine._POOL._live == 0


async def test_cancelled_waiters_give_up_their_place() -> None:
    set_context_limits(max_contexts=1)
    gauge = Gauge()
    toolkit = CodeModeToolkit([gauge.tool])
    first = asyncio.ensure_future(toolkit.aexecute("return await tools.hold({ seconds: 0.2 })"))
    await asyncio.sleep(0.05)
    waiting = [
        asyncio.ensure_future(toolkit.aexecute("return await tools.hold({ seconds: 0 })"))
        for _ in range(5)
    ]
    await asyncio.sleep(0.01)
    for task in waiting:
        task.cancel()
    assert (await first).value == "ok"
    for task in waiting:
        with pytest.raises(asyncio.CancelledError):
            await task
    assert engine._POOL._live == 0 and not engine._POOL._waiters
    # The slot is free again.
    assert (await toolkit.aexecute("return 1")).value == 1


def test_threads_with_their_own_loops_share_the_bound() -> None:
    import threading

    set_context_limits(max_contexts=2)
    gauge = Gauge()
    toolkit = CodeModeToolkit([gauge.tool])
    values: list[object] = []

    def worker() -> None:
        values.append(toolkit.execute("return await tools.hold({ seconds: 0.05 })").value)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert values == ["ok"] * 6
    assert gauge.peak <= 2


@pytest.mark.parametrize(
    "options", [{"max_contexts": 0}, {"max_contexts": True}, {"max_waiting": -1}]
)
def test_bad_limits_are_refused(options) -> None:
    with pytest.raises(ConfigurationError):
        set_context_limits(**options)


class CountingSaver(InMemorySaver):
    """A real in-memory saver that also lists the channels of each journal write."""

    def __init__(self) -> None:
        super().__init__()
        self.journal_writes: list[list[str]] = []

    async def aput_writes(self, config, writes, task_id, task_path=""):
        channels = [channel for channel, _ in writes]
        if any(channel.startswith("codemode:") for channel in channels):
            self.journal_writes.append(channels)
        return await super().aput_writes(config, writes, task_id, task_path)


LOOKED_UP: list[int] = []


@tool
async def lookup(i: int) -> int:
    """Return i squared."""
    LOOKED_UP.append(i)
    return i * i


def _journaled_graph(tools: list[Any], **options: Any) -> tuple[Any, CountingSaver]:
    saver = CountingSaver()
    builder = StateGraph(MessagesState)
    builder.add_node("tools", CodeModeNode(tools, **options))
    builder.add_edge(START, "tools")
    return builder.compile(checkpointer=saver), saver


async def _run_script(app: Any, code: str, thread: str) -> Any:
    call = {"name": "execute_code", "args": {"code": code}, "id": "s1"}
    config = {"configurable": {"thread_id": thread}}
    return await app.ainvoke({"messages": [AIMessage("", tool_calls=[call])]}, config)


async def test_journal_writes_calls_settled_together_together() -> None:
    app, saver = _journaled_graph([lookup])
    code = "return (await Promise.all([0,1,2,3,4,5,6,7].map((i) => tools.lookup({ i }))))"
    state = await _run_script(app, code, "grouped")
    assert state["messages"][-1].content.startswith("[0, 1, 4, 9, 16, 25, 36, 49]")
    marks = sum(channels.count("codemode:started") for channels in saver.journal_writes)
    records = sum(channels.count("codemode:result") for channels in saver.journal_writes)
    assert marks == records == 8
    # 8 marks and 8 records, in far fewer writes than one each.
    assert len(saver.journal_writes) <= 6, saver.journal_writes


async def test_a_sequential_call_costs_one_journal_write() -> None:
    app, saver = _journaled_graph([lookup])
    code = "let s = 0; for (let i = 0; i < 5; i++) s += await tools.lookup({ i }); return s;"
    state = await _run_script(app, code, "sequential")
    assert state["messages"][-1].content.startswith("30")
    # Each call's record rides with the next call's start mark; the last one is written
    # when the script ends: 5 marks and 5 records in 6 writes.
    assert saver.journal_writes == [
        ["codemode:started"],
        *[["codemode:result", "codemode:started"]] * 4,
        ["codemode:result"],
    ]


async def test_records_are_saved_before_the_next_tool_runs_without_start_marks() -> None:
    @tool
    async def ask(question: str) -> str:
        """Ask a person."""
        return str(interrupt(question))

    LOOKED_UP.clear()
    app, saver = _journaled_graph([lookup, ask], in_doubt="rerun")
    code = "const a = await tools.lookup({ i: 3 }); const b = await tools.ask({ question: 'ok?' });"
    code += " return a + ':' + b;"
    state = await _run_script(app, code, "interrupted")
    assert "__interrupt__" in state
    # With in_doubt="rerun" there are no start marks to carry the first call's record: it was
    # written before the next tool ran (the one that paused the step).
    assert saver.journal_writes == [["codemode:result"]]
    config = {"configurable": {"thread_id": "interrupted"}}
    state = await app.ainvoke(Command(resume="yes"), config)
    assert state["messages"][-1].content.startswith('"9:yes"')
    assert LOOKED_UP == [3]
