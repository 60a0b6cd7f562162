"""Tools for the command-line tests (``codemode types cli_tools:TOOLS``)."""

from __future__ import annotations

from langchain_core.tools import tool


@tool
def double(n: int) -> int:
    """Doubles a number."""
    return n * 2


TOOLS = [double]
