"""A small MCP server for the examples: a product catalogue (stdio).

python examples/mcp_servers/shop.py
"""

from __future__ import annotations

from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel

# log_level: without it the server logs every request it serves on stderr.
mcp = FastMCP("shop", log_level="WARNING")


class Product(BaseModel):
    sku: str
    name: str
    price: float
    tags: list[str]


@mcp.tool()
def get_product(sku: str) -> Product:
    """Look up a product by SKU."""
    return Product(sku=sku, name=f"Product {sku}", price=len(sku) * 2.5, tags=["new"])


if __name__ == "__main__":
    mcp.run()
