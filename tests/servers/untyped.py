"""An MCP server whose tools declare no output schema and answer with JSON text.

python tests/servers/untyped.py              # stdio
python tests/servers/untyped.py --http PORT  # streamable HTTP on 127.0.0.1:PORT/mcp
"""

from __future__ import annotations

import json

from _serve import serve
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("untyped")

ORDERS = {
    "o-1": {"id": "o-1", "total": 12.5, "customer": {"name": "Ana", "vip": True}, "tags": []},
    "o-2": {"id": "o-2", "total": 7, "customer": {"name": "Bo", "vip": False}, "tags": ["gift"],
            "shipped_at": None},
    "o-3": {"id": "o-3", "total": 3.25, "customer": {"name": "Cy", "vip": False},
            "tags": ["late"], "shipped_at": "2025-06-01"},
}


@mcp.tool(structured_output=False)
def get_order(order_id: str) -> str:
    """One order, as JSON text."""
    return json.dumps(ORDERS[order_id])


@mcp.tool(structured_output=False)
def daily_visits(days: int = 2) -> str:
    """Visits per day (keys are dates), as JSON text."""
    return json.dumps({f"2025-06-{d + 1:02d}": {"visits": 10 * d} for d in range(days)})


if __name__ == "__main__":
    serve(mcp)
