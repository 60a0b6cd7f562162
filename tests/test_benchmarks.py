"""The agent benchmark (benchmarks/run.py): every task, both agents, offline.

Runs without the tokenizer or matplotlib: correctness, turns and what each model call would
send are checked here; token counts are the report's business.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from harness import AGENTS, render_request, run_task  # noqa: E402
from tasks import TASKS, TASKS_BY_NAME, Seen  # noqa: E402


def test_the_suite_has_the_tasks_the_report_describes() -> None:
    assert len(TASKS) >= 8
    assert len({t.name for t in TASKS}) == len(TASKS)
    assert sum(t.mcp for t in TASKS) == 1
    assert {t.kind for t in TASKS} == {"data-heavy", "multi-step", "control"}
    for task in TASKS:
        assert task.facts(task.expected()), task.name


@pytest.mark.parametrize("agent", AGENTS)
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
async def test_both_agents_reach_the_correct_answer(task, agent) -> None:
    run = await run_task(task, agent)
    assert run.error is None
    assert run.missing == [], run.final_text
    assert run.side_effect_ok
    assert run.final_text
    if agent == "code_mode":
        assert run.turns == 2  # one turn writes the script, one answers
        script_call = run.calls[0].reply.tool_calls[0]
        assert script_call["name"] == "execute_code"
        assert script_call["args"]["code"] == task.script
    else:
        assert run.turns >= 2
    assert run.tool_calls >= 1
    assert run.graph_seconds >= run.model_seconds >= 0


async def test_what_a_model_call_sends_is_recorded() -> None:
    task = TASKS_BY_NAME["inventory"]
    tn = await run_task(task, "tool_calling")
    cm = await run_task(task, "code_mode")
    names = [t["function"]["name"] for t in tn.calls[0].tools]
    assert names == ["get_catalogue", "get_stock"]
    (execute_code,) = cm.calls[0].tools
    assert execute_code["function"]["name"] == "execute_code"
    assert "get_stock(args: { sku: string }): Promise<Stock>;" in (
        execute_code["function"]["description"])
    # The last call of the tool-calling agent carries the 50 stock records it read.
    last = render_request(tn.calls[-1])
    assert last["system"].startswith("system: You are the operations assistant")
    assert last["history"].count("tool (call_1_") == 50
    assert render_request(cm.calls[-1])["history"].count("tool (") == 1


def test_the_scripted_tool_caller_answers_from_what_it_read() -> None:
    task = TASKS_BY_NAME["single_lookup"]
    call = task.tool_calling(Seen([HumanMessage(task.question)]))
    assert [c["name"] for c in call.tool_calls] == ["get_order"]
    result = ToolMessage(
        json.dumps({"order_id": "A-1042", "status": "lost", "carrier": "UPS", "eta": "never"}),
        tool_call_id=call.tool_calls[0]["id"],
    )
    reply = task.tool_calling(Seen([HumanMessage(task.question), call, result]))
    assert "lost" in reply.content and "UPS" in reply.content
    assert task.missing_facts(str(reply.content))  # and it would be marked wrong


def test_the_scripted_code_mode_model_answers_from_the_script_result() -> None:
    task = TASKS_BY_NAME["single_lookup"]
    call = task.code_mode(Seen([HumanMessage(task.question)]))
    result = ToolMessage(
        json.dumps({"order_id": "A-1042", "status": "returned", "carrier": "DHL", "eta": "-"}),
        tool_call_id=call.tool_calls[0]["id"],
    )
    reply = task.code_mode(Seen([HumanMessage(task.question), call, result]))
    assert isinstance(reply, AIMessage) and "returned" in reply.content


def test_real_model_mode_fails_with_a_message_without_a_provider(monkeypatch, capsys) -> None:
    import run

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name in ("no-such-provider:model", "openai:gpt-4.1"):
        with pytest.raises(SystemExit) as exit_info:
            run.main(["--model", name, "--tasks", "single_lookup"])
        message = str(exit_info.value.code)
        assert message.startswith(f"Cannot use the model {name!r}")
        assert "API key" in message


def test_real_model_mode_runs_the_tasks_and_reports(monkeypatch, tmp_path) -> None:
    """``--model`` end to end, with a stand-in for ``init_chat_model``'s model: it plays the
    scripted agents (chosen by the tools it is bound to) and reports usage like a provider."""
    import langchain.chat_models
    import run
    from harness import PolicyChatModel

    class StandIn(PolicyChatModel):
        agent: str = ""

        def bind_tools(self, tools, **kwargs):
            names = {t.name for t in tools}
            agent = "code_mode" if "execute_code" in names else "tool_calling"
            return StandIn(policy=self.policy, agent=agent)

        def _generate(self, messages, *args, **kwargs):
            if not self.agent:  # run.py's check that the model answers at all
                reply = AIMessage("OK")
            else:
                task = next(t for t in TASKS if any(m.content == t.question for m in messages))
                play = task.code_mode if self.agent == "code_mode" else task.tool_calling
                reply = play(Seen(messages))
            reply.usage_metadata = {"input_tokens": 100, "output_tokens": 10, "total_tokens": 110}
            return ChatResult(generations=[ChatGeneration(message=reply)])

    monkeypatch.setattr(
        langchain.chat_models, "init_chat_model", lambda name: StandIn(policy=lambda s: None)
    )
    output = tmp_path / "real.md"
    run.main(["--model", "stand:in", "--tasks", "single_lookup,trip", "--output", str(output)])
    text = output.read_text()
    assert "| trip | CodeModeNode | yes | 2 | 200 | 20 | 220 |" in text
    assert "| trip | ToolNode | yes | 5 | 500 | 50 | 550 |" in text
    assert "| single_lookup | ToolNode | yes | 2 |" in text
    assert "Median total-token reduction" in text


async def test_learned_types_save_the_sample_turn() -> None:
    import learned_types

    runs = await learned_types.measure()
    assert all(run.ok for run in runs.values()), {k: r.missing for k, r in runs.items()}
    assert runs["tool_calling"].turns == 3
    assert runs["first"].turns == 3  # a sample of the unknown result, the script, the answer
    assert runs["second"].turns == 2  # the learned types are declared: the script at once
    first_script = runs["first"].calls[0].reply.tool_calls[0]["args"]["code"]
    assert first_script == learned_types.SAMPLE_SCRIPT
    second = runs["second"].calls[0]
    assert second.reply.tool_calls[0]["args"]["code"] == learned_types.TYPED_SCRIPT
    description = second.tools[0]["function"]["description"]
    assert "Result type learned from" in description and "customer_id: string;" in description
