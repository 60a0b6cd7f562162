"""Replace ToolNode with CodeModeNode in a hand-built LangGraph agent.

Runs offline: a scripted chat model writes one script that calls three tools. With a real
model, bind it to `node.tools_by_name.values()` and put `node.toolkit.prompt` in the system
message; nothing else in the graph changes.

    python examples/replace_toolnode.py
"""

from __future__ import annotations

import asyncio

from langchain_core.messages import AIMessage

from langchain_codemode import CodeModeNode
from langchain_codemode.demo import DEMO_SCRIPT, DEMO_TOOLS, ScriptedChatModel, build_graph


async def main() -> dict:
    node = CodeModeNode(DEMO_TOOLS, timeout=10.0)  # was: ToolNode(DEMO_TOOLS)
    model = ScriptedChatModel(
        replies=[
            AIMessage(
                content="",
                tool_calls=[{"name": "execute_code", "args": {"code": DEMO_SCRIPT}, "id": "c1"}],
            ),
            AIMessage(content="Done."),
        ]
    )
    graph = build_graph(model, node)
    state = await graph.ainvoke({"messages": [("user", "Total of ACME's shipped orders in EUR?")]})
    tool_message = state["messages"][2]
    print("script result:", tool_message.content)
    print("nested calls:", [call["name"] for call in tool_message.artifact["calls"]])
    return state


if __name__ == "__main__":
    asyncio.run(main())
