"""A tools module for ``codemode run --tools adapter_tools:TOOLS``: mcp-server-time's tools as
``langchain-mcp-adapters`` returns them (``await client.get_tools()``), the way most users
hold MCP tools."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from langchain_mcp_adapters.client import MultiServerMCPClient

TIME_SERVER = {
    "transport": "stdio",
    "command": sys.executable,
    "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"],
}


def TOOLS() -> list[Any]:
    client = MultiServerMCPClient({"time": TIME_SERVER})  # type: ignore[dict-item]
    # The CLI loads tools inside its event loop; the adapter's tools open a session per call,
    # so listing them on another loop is fine.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, client.get_tools()).result()
