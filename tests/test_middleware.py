"""``CodeModeMiddleware`` inside ``langchain.agents.create_agent``, driven by a scripted model."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import (
    AgentMiddleware,
    AgentState,
    HumanInTheLoopMiddleware,
    ModelCallLimitMiddleware,
    ModelRequest,
    ModelResponse,
    ToolCallLimitMiddleware,
)
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatResult
from langchain_core.tools import BaseTool, InjectedToolCallId, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState
from langgraph.types import Command
from pydantic import Field

from langchain_codemode import ConfigurationError
from langchain_codemode.demo import ScriptedChatModel
from langchain_codemode.middleware import CodeModeMiddleware

CALLS: list[str] = []


@tool
async def search(query: str) -> list[str]:
    """Search the catalogue; returns matching item ids."""
    CALLS.append(f"search:{query}")
    return ["a-1", "a-2"] if query == "apples" else []


@tool
def lookup(item_id: str) -> dict[str, Any]:
    """Look up one item by id: its id and price."""
    CALLS.append(f"lookup:{item_id}")
    return {"id": item_id, "price": 3 if item_id == "a-1" else 4}


@tool
def clock() -> str:
    """The current time (a direct tool)."""
    CALLS.append("clock")
    return "12:00"


SCRIPT = """\
const ids: string[] = await tools.search({ query: "apples" });
const item = await tools.lookup({ item_id: ids[0] });
return { ids, price: item.price };
"""
SCRIPT_RESULT = {"ids": ["a-1", "a-2"], "price": 3}
FINAL = "The first apple costs 3."


class RecordingModel(ScriptedChatModel):
    """A scripted model that records the tools it is bound to and the messages it receives."""

    bound: list[list[Any]] = Field(default_factory=list)
    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> RecordingModel:
        self.bound.append(list(tools))
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def offered(self) -> list[list[str]]:
        return [
            [t.name if isinstance(t, BaseTool) else str(t) for t in call] for call in self.bound
        ]


def call(name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    return {"name": name, "args": args, "id": call_id, "type": "tool_call"}


def model_for(*turns: list[dict[str, Any]]) -> RecordingModel:
    replies = [AIMessage(content="", tool_calls=calls) for calls in turns]
    return RecordingModel(replies=[*replies, AIMessage(content=FINAL)])


def tool_messages(state: dict[str, Any]) -> list[ToolMessage]:
    return [m for m in state["messages"] if isinstance(m, ToolMessage)]


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


def _check_code_mode_run(
    state: dict[str, Any], model: RecordingModel, mw: CodeModeMiddleware
) -> None:
    # The model was offered exactly execute_code, on every call; the declarations travel once,
    # in the system prompt, not in the tool's description.
    assert model.offered() == [["execute_code"], ["execute_code"]]
    offered_tool = model.bound[0][0]
    assert offered_tool is mw.execute_code
    assert mw.toolkit.declarations not in offered_tool.description
    # Each call's system prompt: the agent's own prompt, then the toolkit prompt as it was
    # then: after the script ran it shows the result type learned from `lookup`'s result.
    before = CodeModeMiddleware([search, lookup], timeout=10.0).toolkit
    assert "learned from 1 result" not in before.declarations
    assert "learned from 1 result" in mw.toolkit.declarations
    for messages, toolkit in zip(model.seen, [before, mw.toolkit], strict=True):
        system = messages[0]
        assert isinstance(system, SystemMessage)
        assert system.content == f"You are a shop assistant.\n\n{toolkit.prompt}"
        assert toolkit.declarations in system.text
    # The script really ran, calling both tools.
    assert CALLS == ["search:apples", "lookup:a-1"]
    [result] = tool_messages(state)
    assert result.name == "execute_code"
    assert result.tool_call_id == "call_1"
    assert result.status == "success"
    assert json.loads(result.text) == SCRIPT_RESULT
    assert [c["name"] for c in result.artifact["calls"]] == ["search", "lookup"]
    # The model read the result on its second turn, and its answer ends the run.
    assert model.seen[1][-1] == result
    assert state["messages"][-1].content == FINAL


def _code_mode_agent(**options: Any) -> tuple[Any, RecordingModel, CodeModeMiddleware]:
    model = model_for([call("execute_code", {"code": SCRIPT}, "call_1")])
    mw: CodeModeMiddleware = CodeModeMiddleware([search, lookup], timeout=10.0, **options)
    agent = create_agent(
        model, tools=[], system_prompt="You are a shop assistant.", middleware=[mw]
    )
    return agent, model, mw


def test_invoke_offers_execute_code_and_runs_the_script() -> None:
    agent, model, mw = _code_mode_agent()
    state = agent.invoke({"messages": [("user", "How much is an apple?")]})
    _check_code_mode_run(state, model, mw)


async def test_ainvoke_offers_execute_code_and_runs_the_script() -> None:
    agent, model, mw = _code_mode_agent()
    state = await agent.ainvoke({"messages": [("user", "How much is an apple?")]})
    _check_code_mode_run(state, model, mw)


def test_middleware_surface() -> None:
    mw: CodeModeMiddleware = CodeModeMiddleware([search, lookup], direct_tools=[clock])
    assert mw.name == "CodeModeMiddleware"
    assert [t.name for t in mw.toolkit.tools] == ["search", "lookup"]
    assert [t.name for t in mw.tools] == ["execute_code", "clock"]
    assert mw.tools[0] is mw.execute_code
    assert mw.execute_code.description == (
        mw.toolkit.as_tool(include_declarations=False).description
    )


def test_system_prompt_added_when_the_agent_has_none() -> None:
    # Frozen result types keep one prompt for every call (learning is tested elsewhere).
    agent, model, mw = _code_mode_agent(learn_output_types=False)
    agent = create_agent(model, tools=[], middleware=[mw])
    agent.invoke({"messages": [("user", "How much is an apple?")]})
    for messages in model.seen:
        assert messages[0] == SystemMessage(content=mw.toolkit.prompt)


def test_system_prompt_content_blocks_are_kept() -> None:
    # Frozen result types keep one prompt for every call (learning is tested elsewhere).
    agent, model, mw = _code_mode_agent(learn_output_types=False)
    cached = {"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}}
    agent = create_agent(
        model, tools=[], system_prompt=SystemMessage(content=[cached]), middleware=[mw]
    )
    agent.invoke({"messages": [("user", "How much is an apple?")]})
    system = model.seen[0][0]
    assert system.content == [cached, {"type": "text", "text": f"\n\n{mw.toolkit.prompt}"}]


async def test_direct_tools_are_called_as_normal_tools() -> None:
    model = model_for(
        [
            call("execute_code", {"code": SCRIPT}, "call_1"),
            call("clock", {}, "call_2"),
        ]
    )
    mw: CodeModeMiddleware = CodeModeMiddleware([search, lookup], direct_tools=[clock])
    agent = create_agent(model, tools=[], middleware=[mw])
    state = await agent.ainvoke({"messages": [("user", "Price and time?")]})
    assert model.offered() == [["execute_code", "clock"]] * 2
    # clock is not part of the script API.
    assert "clock" not in mw.toolkit.declarations
    code_result, clock_result = tool_messages(state)
    assert json.loads(code_result.text) == SCRIPT_RESULT
    assert clock_result.name == "clock"
    assert clock_result.tool_call_id == "call_2"
    assert clock_result.status == "success"
    assert clock_result.content == "12:00"
    assert sorted(CALLS) == ["clock", "lookup:a-1", "search:apples"]
    assert state["messages"][-1].content == FINAL


async def test_raw_tools_given_to_create_agent_too_are_hidden_from_the_model() -> None:
    model = model_for([call("execute_code", {"code": SCRIPT}, "call_1")])
    mw: CodeModeMiddleware = CodeModeMiddleware([search, lookup], direct_tools=[lookup])
    agent = create_agent(model, tools=[search, lookup, clock], middleware=[mw])
    state = await agent.ainvoke({"messages": [("user", "How much is an apple?")]})
    # search is only reachable from scripts; lookup is a direct tool as well; clock is the
    # agent's own tool.
    assert [sorted(names) for names in model.offered()] == [["clock", "execute_code", "lookup"]] * 2
    assert json.loads(tool_messages(state)[0].text) == SCRIPT_RESULT


async def test_failing_script_gives_an_error_tool_message() -> None:
    model = model_for([call("execute_code", {"code": "throw new Error('nope')"}, "call_1")])
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware([search, lookup])])
    state = await agent.ainvoke({"messages": [("user", "Try it.")]})
    [result] = tool_messages(state)
    assert result.status == "error"
    assert result.name == "execute_code"
    assert "Error: nope" in result.text
    assert model.seen[1][-1] == result  # the model reads the error and carries on
    assert state["messages"][-1].content == FINAL


def test_failing_script_sync() -> None:
    model = model_for([call("execute_code", {"code": "await tools.nope({})"}, "call_1")])
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware([search, lookup])])
    state = agent.invoke({"messages": [("user", "Try it.")]})
    [result] = tool_messages(state)
    assert result.status == "error"
    assert "nope" in result.text
    assert state["messages"][-1].content == FINAL


async def test_with_tool_call_and_model_call_limits() -> None:
    # The limit counts execute_code runs, not the tool calls a script makes inside them.
    model = model_for(
        [call("execute_code", {"code": SCRIPT}, "call_1")],
        [call("execute_code", {"code": SCRIPT}, "call_2")],
    )
    agent = create_agent(
        model,
        tools=[],
        middleware=[
            ToolCallLimitMiddleware(run_limit=1),
            ModelCallLimitMiddleware(run_limit=2),
            CodeModeMiddleware([search, lookup]),
        ],
    )
    state = await agent.ainvoke({"messages": [("user", "How much is an apple?")]})
    first, second = tool_messages(state)
    assert first.status == "success"
    assert json.loads(first.text) == SCRIPT_RESULT
    assert second.status == "error"
    assert second.tool_call_id == "call_2"
    assert "limit" in second.text.lower()
    assert CALLS == ["search:apples", "lookup:a-1"]  # the second script never ran
    assert len(model.seen) == 2  # the model-call limit ended the run before a third call
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    assert "limit" in last.text.lower()
    assert model.offered() == [["execute_code"], ["execute_code"]]


def _hitl_agent() -> tuple[Any, RecordingModel, dict[str, Any]]:
    model = model_for([call("execute_code", {"code": SCRIPT}, "call_1")])
    agent = create_agent(
        model,
        tools=[],
        middleware=[
            CodeModeMiddleware([search, lookup]),
            HumanInTheLoopMiddleware(interrupt_on={"execute_code": True}),
        ],
        checkpointer=InMemorySaver(),
    )
    return agent, model, {"configurable": {"thread_id": "t1"}}


def _check_interrupted(state: dict[str, Any]) -> None:
    [pending] = state["__interrupt__"]
    [action] = pending.value["action_requests"]
    assert action["name"] == "execute_code"
    assert action["args"] == {"code": SCRIPT}
    assert pending.value["review_configs"][0]["action_name"] == "execute_code"
    assert CALLS == []  # the script has not run
    assert tool_messages(state) == []


def test_human_in_the_loop_approve_sync() -> None:
    agent, _model, config = _hitl_agent()
    state = agent.invoke({"messages": [("user", "How much is an apple?")]}, config)
    _check_interrupted(state)
    state = agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config)
    [result] = tool_messages(state)
    assert result.status == "success"
    assert json.loads(result.text) == SCRIPT_RESULT
    assert CALLS == ["search:apples", "lookup:a-1"]
    assert state["messages"][-1].content == FINAL


async def test_human_in_the_loop_approve_async() -> None:
    agent, _model, config = _hitl_agent()
    state = await agent.ainvoke({"messages": [("user", "How much is an apple?")]}, config)
    _check_interrupted(state)
    state = await agent.ainvoke(Command(resume={"decisions": [{"type": "approve"}]}), config)
    [result] = tool_messages(state)
    assert result.status == "success"
    assert json.loads(result.text) == SCRIPT_RESULT
    assert state["messages"][-1].content == FINAL


async def test_human_in_the_loop_edit_runs_the_reviewed_script() -> None:
    agent, _model, config = _hitl_agent()
    state = await agent.ainvoke({"messages": [("user", "How much is an apple?")]}, config)
    _check_interrupted(state)
    edited = 'return (await tools.lookup({ item_id: "a-2" })).price;'
    decision = {"type": "edit", "edited_action": {"name": "execute_code", "args": {"code": edited}}}
    state = await agent.ainvoke(Command(resume={"decisions": [decision]}), config)
    [result] = tool_messages(state)
    assert result.status == "success"
    assert result.text.endswith("4")
    assert CALLS == ["lookup:a-2"]


async def test_human_in_the_loop_reject_never_runs_the_script() -> None:
    agent, _model, config = _hitl_agent()
    await agent.ainvoke({"messages": [("user", "How much is an apple?")]}, config)
    decision = {"type": "reject", "message": "not now"}
    state = await agent.ainvoke(Command(resume={"decisions": [decision]}), config)
    [result] = tool_messages(state)
    assert result.status == "error"
    assert "not now" in result.text
    assert CALLS == []


class _DropAllTools(AgentMiddleware):
    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        return handler(request.override(tools=[]))


def test_no_prompt_when_execute_code_is_not_offered() -> None:
    model = RecordingModel(replies=[AIMessage(content=FINAL)])
    agent = create_agent(
        model,
        tools=[],
        system_prompt="Base.",
        middleware=[_DropAllTools(), CodeModeMiddleware([search, lookup])],
    )
    state = agent.invoke({"messages": [("user", "hi")]})
    assert model.seen[0][0] == SystemMessage(content="Base.")
    assert state["messages"][-1].content == FINAL


def test_configuration_errors() -> None:
    @tool("execute_code")
    def impostor() -> str:
        """Clashes with the code tool."""
        return ""

    with pytest.raises(ConfigurationError, match="execute_code"):
        CodeModeMiddleware([search], direct_tools=[impostor])
    with pytest.raises(ConfigurationError, match="clock"):
        CodeModeMiddleware([search], direct_tools=[clock, clock])
    with pytest.raises(ConfigurationError, match="list of tools"):
        CodeModeMiddleware([search], direct_tools=clock)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        CodeModeMiddleware([search], timeout=0)


@tool
def message_count(state: Annotated[dict, InjectedState]) -> int:
    """How many messages the conversation has (reads the agent state)."""
    return len(state["messages"])


@tool
def remember(note: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Add a note to the conversation (a state update)."""
    return Command(update={"messages": [ToolMessage(f"noted: {note}", tool_call_id=tool_call_id)]})


def test_nested_tools_get_the_agent_runtime_and_their_updates_apply() -> None:
    code = "const n = await tools.message_count({}); const r = await tools.remember({ note: 'x' }); return [n, r]"
    model = model_for([call("execute_code", {"code": code}, "call_1")])
    agent = create_agent(
        model, tools=[], middleware=[CodeModeMiddleware([message_count, remember])]
    )
    state = agent.invoke({"messages": [("user", "go")]})
    [result] = tool_messages(state)
    assert json.loads(result.content) == [2, "noted: x"]
    assert result.tool_call_id == "call_1"
    assert state["messages"][-1].content == FINAL


class Counted(AgentState):
    count: Annotated[int, operator.add]


@tool
def bump(n: int, tool_call_id: Annotated[str, InjectedToolCallId]) -> Command:
    """Add n to the counter."""
    reply = ToolMessage("ok", tool_call_id=tool_call_id)
    return Command(update={"count": n, "messages": [reply]})


def test_a_state_key_updated_twice_by_one_script_is_refused_clearly() -> None:
    middleware = CodeModeMiddleware([bump])
    middleware.state_schema = Counted
    code = "await tools.bump({ n: 1 }); await tools.bump({ n: 2 }); return 1"
    agent = create_agent(
        model_for([call("execute_code", {"code": code}, "call_1")]),
        tools=[],
        middleware=[middleware],
    )
    state = agent.invoke({"messages": [("user", "go")], "count": 0})
    [result] = tool_messages(state)
    assert result.status == "error"
    assert "updated the state key 'count' more than once" in result.content
