"""A data-heavy task: hundreds of records reduced inside the script, a few lines to the model.

The tools return a month of card transactions (600 records, paged) and customer profiles.
The question needs all of them, but the answer is small: spend per category and the top
customers. With plain tool calling every page would enter the model's context; with Code Mode
the script pages, joins and sums, and only its result does. The example prints both sizes.

Runs offline with a scripted model.

    python examples/data_heavy.py
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from typing_extensions import TypedDict

from langchain_codemode import CodeModeNode
from langchain_codemode.demo import ScriptedChatModel, build_graph

CATEGORIES = ["groceries", "travel", "software", "restaurants", "hardware", "books"]


class Transaction(TypedDict):
    id: str
    customer_id: str
    category: str
    amount_eur: float
    merchant: str
    booked_at: str


class Page(TypedDict):
    items: list[Transaction]
    next_cursor: int | None


class Customer(TypedDict):
    id: str
    name: str
    segment: str


def _make_transactions(count: int) -> list[Transaction]:
    rng = random.Random(7)
    return [
        {
            "id": f"tx-{n:05d}",
            "customer_id": f"c-{rng.randrange(40):03d}",
            "category": rng.choice(CATEGORIES),
            "amount_eur": round(rng.uniform(3, 400), 2),
            "merchant": f"{rng.choice(['North', 'Blue', 'Cedar', 'Atlas'])} "
            f"{rng.choice(['Market', 'Labs', 'Air', 'Books', 'Supply'])}",
            "booked_at": f"2026-03-{1 + n % 31:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
        }
        for n in range(count)
    ]


TRANSACTIONS = _make_transactions(600)
PAGE_SIZE = 100


@tool
async def list_transactions(month: str, cursor: int = 0) -> Page:
    """Card transactions booked in a month ("2026-03"), 100 per page from `cursor`."""
    items = [t for t in TRANSACTIONS if t["booked_at"].startswith(month)]
    page = items[cursor : cursor + PAGE_SIZE]
    following = cursor + PAGE_SIZE
    return {"items": page, "next_cursor": following if following < len(items) else None}


@tool
async def get_customer(customer_id: str) -> Customer:
    """A customer's profile: name and segment."""
    number = int(customer_id.split("-")[1])
    return {
        "id": customer_id,
        "name": f"Customer {number}",
        "segment": "business" if number % 3 == 0 else "retail",
    }


SCRIPT = """\
const all: Transaction[] = [];
let cursor: number | null = 0;
while (cursor !== null) {
  const page = await tools.list_transactions({ month: "2026-03", cursor });
  all.push(...page.items);
  cursor = page.next_cursor;
}
const byCategory: Record<string, number> = {};
const byCustomer: Record<string, number> = {};
for (const t of all) {
  byCategory[t.category] = (byCategory[t.category] ?? 0) + t.amount_eur;
  byCustomer[t.customer_id] = (byCustomer[t.customer_id] ?? 0) + t.amount_eur;
}
const round = (x: number) => Math.round(x * 100) / 100;
const top = Object.entries(byCustomer).sort((a, b) => b[1] - a[1]).slice(0, 3);
const profiles = await Promise.all(top.map(([id]) => tools.get_customer({ customer_id: id })));
return {
  transactions: all.length,
  spend_by_category: Object.fromEntries(
    Object.entries(byCategory).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)]),
  ),
  top_customers: profiles.map((p, i) => ({
    name: p.name, segment: p.segment, eur: round(top[i][1]),
  })),
};
"""

QUESTION = "In March 2026, how was card spend split by category, and who were the top 3 customers?"


def _size(text: str) -> str:
    return f"{len(text):>9,} chars {len(text.encode('utf-8')):>9,} bytes"


async def main() -> dict[str, Any]:
    model = ScriptedChatModel(
        replies=[
            AIMessage(
                content="",
                tool_calls=[{"name": "execute_code", "args": {"code": SCRIPT}, "id": "call_1"}],
            ),
            AIMessage(content="Here is March's spend by category and the top three customers."),
        ]
    )
    graph = build_graph(model, CodeModeNode([list_transactions, get_customer], timeout=20.0))
    state = await graph.ainvoke({"messages": [("user", QUESTION)]})

    [reply] = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert reply.status == "success", reply.content
    calls = reply.artifact["calls"]
    returned_by_tools = "".join(json.dumps(call["output"]) for call in calls)
    reached_model = str(reply.content)

    print("script result (all the model reads of the tools):")
    print(json.dumps(json.loads(reached_model), indent=2))
    print()
    print(f"tool calls made inside the script: {len(calls)}")
    print(f"what the tools returned:   {_size(returned_by_tools)}")
    print(f"what reached the model:    {_size(reached_model)}")
    print(f"reduction: {len(returned_by_tools) / len(reached_model):.0f}x fewer characters")
    print()
    print("final answer:", state["messages"][-1].content)
    return dict(state)


if __name__ == "__main__":
    asyncio.run(main())
