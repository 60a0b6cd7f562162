"""create_agent with CodeModeMiddleware: the agent gets execute_code instead of raw tools.

Runs offline with a scripted model; with a real one, pass it instead of ScriptedChatModel.

    python examples/create_agent_middleware.py
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage

from langchain_codemode import CodeModeMiddleware
from langchain_codemode.demo import DEMO_SCRIPT, DEMO_TOOLS, ScriptedChatModel


def main() -> None:
    model = ScriptedChatModel(
        replies=[
            AIMessage(
                content="",
                tool_calls=[{"name": "execute_code", "args": {"code": DEMO_SCRIPT}, "id": "c1"}],
            ),
            AIMessage(content="ACME's shipped orders total 155.9 EUR."),
        ]
    )
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware(DEMO_TOOLS)])
    state = agent.invoke({"messages": [("user", "Total of ACME's shipped orders in EUR?")]})
    for message in state["messages"]:
        print(f"{message.type:>5}: {message.content or message.tool_calls}")


if __name__ == "__main__":
    main()
