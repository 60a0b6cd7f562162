"""create_agent with CodeModeMiddleware: the agent gets execute_code instead of raw tools.

Runs offline with a scripted model; with a real one, pass it instead of scripted_model().

    python examples/create_agent_middleware.py
"""

from __future__ import annotations

from langchain.agents import create_agent

from langchain_codemode import CodeModeMiddleware
from langchain_codemode.demo import DEMO_QUESTION, DEMO_TOOLS, scripted_model


def main() -> None:
    agent = create_agent(scripted_model(), tools=[], middleware=[CodeModeMiddleware(DEMO_TOOLS)])
    state = agent.invoke({"messages": [("user", DEMO_QUESTION)]})
    for message in state["messages"]:
        print(f"{message.type:>5}: {message.content or message.tool_calls}")


if __name__ == "__main__":
    main()
