"""Replace ToolNode with CodeModeNode in a hand-built LangGraph agent.

Runs offline: a scripted chat model writes one script that calls three tools. With a real
model, bind it to `node.tools_by_name.values()` (the `execute_code` description carries the
TypeScript API); nothing else in the graph changes.

    python examples/replace_toolnode.py
"""

from __future__ import annotations

import asyncio

from langchain_codemode import CodeModeNode
from langchain_codemode.demo import DEMO_QUESTION, DEMO_TOOLS, build_graph, scripted_model


async def main() -> dict:
    node = CodeModeNode(DEMO_TOOLS, timeout=10.0)  # was: ToolNode(DEMO_TOOLS)
    graph = build_graph(scripted_model(), node)
    state = await graph.ainvoke({"messages": [("user", DEMO_QUESTION)]})
    tool_message = state["messages"][2]
    print("script result:", tool_message.content)
    print("nested calls:", [call["name"] for call in tool_message.artifact["calls"]])
    return state


if __name__ == "__main__":
    asyncio.run(main())
