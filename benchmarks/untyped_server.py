"""The learned-types benchmark's MCP server: an order desk whose tools declare no output schema.

    python benchmarks/untyped_server.py

Like many real servers, each tool answers with JSON *text* and no ``outputSchema``, so a client
can only declare its result as ``unknown``. The data are generated from a fixed seed.
"""

from __future__ import annotations

import json
import random
from functools import cache
from typing import Any

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("orders", log_level="WARNING")

CUSTOMERS = [f"C-{100 + i}" for i in range(12)]
NAMES = ["Ana Almeida", "Ben Brandt", "Chloé Chen", "Dev Dubois", "Eitan Eriksen",
         "Fatima Fischer", "Goran García", "Hana Haddad", "Ivo Ito", "Jun Jansen",
         "Kofi Kowalski", "Lena Lindqvist"]


@cache
def orders() -> list[dict[str, Any]]:
    rng = random.Random(1342)
    out = []
    for n in range(80):
        lines = [{"sku": f"SKU-{rng.randint(1, 60):03d}", "qty": rng.randint(1, 5),
                  "unit_price": round(rng.uniform(3, 120), 2)} for _ in range(rng.randint(1, 4))]
        order: dict[str, Any] = {
            "order_id": f"O-{5000 + n}",
            "customer_id": rng.choice(CUSTOMERS),
            "status": rng.choice(["open", "open", "shipped", "cancelled"]),
            "placed_at": f"2025-05-{rng.randint(1, 31):02d}T{rng.randint(8, 18):02d}:00:00Z",
            "lines": lines,
            "total": round(sum(line["qty"] * line["unit_price"] for line in lines), 2),
            "currency": "EUR",
            "shipped_at": None,
        }
        if order["status"] == "shipped":
            order["shipped_at"] = "2025-06-01"
        if rng.random() < 0.2:
            order["coupon"] = rng.choice(["SPRING", "VIP10"])
        out.append(order)
    return out


def customer(customer_id: str) -> dict[str, Any]:
    name = NAMES[CUSTOMERS.index(customer_id)]
    return {"customer_id": customer_id, "name": name,
            "email": name.split()[0].lower() + "@example.com",
            "tier": "gold" if CUSTOMERS.index(customer_id) % 3 == 0 else "standard"}


@mcp.tool(structured_output=False)
def list_orders(status: str) -> str:
    """Orders with the given status ("open", "shipped" or "cancelled")."""
    return json.dumps([o for o in orders() if o["status"] == status])


@mcp.tool(structured_output=False)
def get_customer(customer_id: str) -> str:
    """One customer's record."""
    return json.dumps(customer(customer_id))


if __name__ == "__main__":
    mcp.run()
