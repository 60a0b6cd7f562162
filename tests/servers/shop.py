"""A small MCP server for the tests: structured output, dashed names, errors, images.

python tests/servers/shop.py              # stdio
python tests/servers/shop.py --http PORT  # streamable HTTP on 127.0.0.1:PORT/mcp
"""

from __future__ import annotations

import asyncio
import base64
import os

from _serve import serve
from mcp.server.fastmcp import FastMCP, Image
from pydantic import BaseModel

mcp = FastMCP("shop")
CALLS = {"count": 0}

# A valid 1x1 transparent PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def served() -> int:
    CALLS["count"] += 1
    return CALLS["count"]


class Product(BaseModel):
    sku: str
    name: str
    price: float
    tags: list[str]


@mcp.tool()
def get_product(sku: str) -> Product:
    """Look up a product by SKU."""
    served()
    return Product(sku=sku, name=f"Product {sku}", price=len(sku) * 2.5, tags=["new"])


@mcp.tool(name="get-sum")
def get_sum(a: int, b: int) -> int:
    """Add two integers."""
    served()
    return a + b


@mcp.tool(structured_output=False)
def json_text() -> str:
    """Returns a JSON object as text content (no structured output)."""
    served()
    return '{"items": [1, 2, 3]}'


@mcp.tool()
def fail(reason: str) -> str:
    """Always fails."""
    served()
    raise ValueError(f"cannot: {reason}")


@mcp.tool()
def logo() -> Image:
    """The shop's logo as a PNG image."""
    served()
    return Image(data=PIXEL, format="png")


@mcp.tool()
def whoami() -> dict:
    """Which server process answers, and how many calls it has served."""
    return {"pid": os.getpid(), "calls": served()}


@mcp.tool()
async def slow(seconds: float) -> str:
    """Waits, then answers."""
    served()
    await asyncio.sleep(seconds)
    return "done"


@mcp.tool()
def die() -> str:
    """Terminates the server process at once."""
    os._exit(1)


if __name__ == "__main__":
    serve(mcp)
