"""A second MCP server for the examples: an in-memory notebook (stdio).

python examples/mcp_servers/notes.py
"""

from __future__ import annotations

from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel

# log_level: without it the server logs every request it serves on stderr.
mcp = FastMCP("notes", log_level="WARNING")
NOTES: list[str] = []


class Added(BaseModel):
    number: int


@mcp.tool()
def add_note(text: str) -> Added:
    """Adds a note; returns its number."""
    NOTES.append(text)
    return Added(number=len(NOTES))


@mcp.tool()
def list_notes() -> list[str]:
    """All notes, oldest first."""
    return list(NOTES)


if __name__ == "__main__":
    mcp.run()
