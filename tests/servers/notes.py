"""A second MCP server for the tests: an in-memory notebook.

python tests/servers/notes.py              # stdio
python tests/servers/notes.py --http PORT  # streamable HTTP on 127.0.0.1:PORT/mcp
"""

from __future__ import annotations

from _serve import serve
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("notes")
NOTES: list[str] = []


@mcp.tool()
def add_note(text: str) -> dict:
    """Adds a note; returns its number."""
    NOTES.append(text)
    return {"number": len(NOTES)}


@mcp.tool()
def list_notes() -> list[str]:
    """All notes, oldest first."""
    return list(NOTES)


if __name__ == "__main__":
    serve(mcp)
