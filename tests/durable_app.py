"""A small payments graph for the durability tests, importable by worker processes too.

``charge`` is the side effect that must never repeat: it appends one line to a ledger file
(flushed and fsync'd before the tool returns), outside anything the checkpointer stores, so a
test can count how many times each charge really happened.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt

from langchain_codemode import CodeModeNode, CodeModeState

LEDGER_ENV = "CODEMODE_TEST_LEDGER"
DELAY_ENV = "CODEMODE_TEST_CHARGE_DELAY"


def ledger_path() -> Path:
    return Path(os.environ[LEDGER_ENV])


def running_path() -> Path:
    return ledger_path().with_suffix(".running")


def ledger() -> list[str]:
    path = ledger_path()
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line]


@tool
async def charge(amount: int, ref: str = "") -> dict:
    """Charge the customer's card `amount` cents; `ref` labels the charge."""
    delay = float(os.environ.get(DELAY_ENV, "0"))
    if delay:
        running_path().touch()  # lets a test kill the process while a charge runs
        await asyncio.sleep(delay)
    with ledger_path().open("a") as handle:
        handle.write(f"{ref or amount}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return {"charged": amount, "ref": ref}


@tool
def ask_human(question: str) -> Any:
    """Ask a human a question and wait for the answer."""
    return interrupt({"question": question})


@tool
async def slow_quote(item: str) -> dict:
    """Quote a price for `item` (slow)."""
    await asyncio.sleep(0.3)
    return {"item": item, "price": 12}


TOOLS = [charge, ask_human, slow_quote]


def build_graph(
    checkpointer: Any,
    *,
    approve: tuple[str, ...] = (),
    workspace: bool = True,
    in_doubt: str = "fail",
) -> Any:
    node = CodeModeNode(TOOLS, approve=list(approve), workspace=workspace, in_doubt=in_doubt)
    graph = StateGraph(CodeModeState)
    graph.add_node("tools", node)
    graph.add_edge(START, "tools")
    graph.add_edge("tools", END)
    return graph.compile(checkpointer=checkpointer)


def script_call(code: str, call_id: str = "call_1") -> dict[str, Any]:
    """Graph input: an AI message asking for one script to run."""
    return {
        "messages": [
            AIMessage(
                "",
                tool_calls=[{"name": "execute_code", "args": {"code": code}, "id": call_id}],
            )
        ]
    }


CHARGE_ASK_CHARGE = """
const first = await tools.charge({ amount: 5 });
const answer = await tools.ask_human({ question: "Charge 7 more?" });
const second = await tools.charge({ amount: 7 });
return { first: first.charged, answer, second: second.charged };
"""


def charges_script(count: int) -> str:
    """``count`` charges one after another, each labelled by its position; a charge that
    fails (e.g. in doubt after a crash) is reported rather than retried."""
    return f"""
const done = [];
const failed = [];
for (let i = 0; i < {count}; i++) {{
  try {{
    const r = await tools.charge({{ amount: 100 + i, ref: "c" + i }});
    done.push(r.ref);
  }} catch (e) {{
    failed.push("c" + i);
  }}
}}
return {{ done, failed }};
"""
