"""What a conversation costs in tokens, and what the same work would cost with ``ToolNode``.

Used by ``codemode demo``. A model call is counted as what it sends (system prompt, tool
definitions as ``bind_tools`` formats them, the message history) plus what it receives (the
reply's text and tool calls). With ``bpe-openai`` installed (``pip install bpe-openai``, or
the ``demo`` extra) counts are exact ``o200k_base`` tokens; without it they are estimated
as characters / 4, and labelled so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

Counter = Callable[[str], int]


def tokenizer() -> tuple[Counter, str]:
    """A token counter and its label."""
    try:
        import bpe_openai
    except ImportError:
        return (lambda text: (len(text) + 3) // 4), "estimated as characters/4"
    encoding = bpe_openai.get_encoding("o200k_base")
    return (lambda text: len(encoding.encode_ordinary(text))), "o200k_base"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def render(message: BaseMessage) -> str:
    """A message as a provider sees it: role, text, and an assistant's tool calls as JSON."""
    role = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}.get(
        message.type, message.type
    )
    content = message.content if isinstance(message.content, str) else _compact(message.content)
    text = f"{role}: {content}"
    if isinstance(message, AIMessage) and message.tool_calls:
        calls = [
            {"id": c["id"], "name": c["name"], "arguments": c["args"]} for c in message.tool_calls
        ]
        text += "\n" + _compact(calls)
    if isinstance(message, ToolMessage):
        text = f"{role} ({message.tool_call_id}): {content}"
    return text


@dataclass(frozen=True)
class Cost:
    model_calls: int
    tokens: int


def conversation_cost(
    messages: Sequence[BaseMessage], tools: Sequence[BaseTool], count: Counter
) -> Cost:
    """Each assistant message is one model call that sent everything before it."""
    definitions = count(_compact([convert_to_openai_tool(t) for t in tools]))
    calls = tokens = 0
    for index, message in enumerate(messages):
        if isinstance(message, AIMessage):
            calls += 1
            tokens += definitions + sum(count(render(m)) for m in messages[:index])
            tokens += count(render(message))
    return Cost(calls, tokens)


def toolnode_conversation(
    question: str, records: Sequence[dict[str, Any]], answer: str
) -> list[BaseMessage]:
    """The conversation a tool-calling agent would have for the same calls.

    One model turn per round of calls; consecutive calls to the same tool form one round of
    parallel calls (as a competent model would issue them). Every result passes through the
    model as a ToolMessage.
    """
    messages: list[BaseMessage] = [HumanMessage(question)]
    rounds: list[list[dict[str, Any]]] = []
    for record in records:
        if rounds and rounds[-1][0]["name"] == record["name"]:
            rounds[-1].append(record)
        else:
            rounds.append([record])
    for number, batch in enumerate(rounds):
        ids = [f"call_{number}_{i}" for i in range(len(batch))]
        messages.append(
            AIMessage(
                "",
                tool_calls=[
                    {"name": r["name"], "args": r["args"], "id": call_id}
                    for r, call_id in zip(batch, ids, strict=True)
                ],
            )
        )
        for record, call_id in zip(batch, ids, strict=True):
            output = record["output"] if record["ok"] else f"Error: {record['error']}"
            content = output if isinstance(output, str) else _compact(output)
            messages.append(ToolMessage(content, tool_call_id=call_id, name=record["name"]))
    messages.append(AIMessage(answer))
    return messages
