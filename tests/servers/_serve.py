"""Runs a test MCP server over stdio, or over streamable HTTP with ``--http PORT``."""

from __future__ import annotations

import argparse

from mcp.server.fastmcp import FastMCP


def serve(mcp: FastMCP) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", type=int, help="serve on 127.0.0.1:PORT/mcp")
    port = parser.parse_args().http
    if port:
        mcp.settings.host = "127.0.0.1"
        mcp.settings.port = port
        mcp.run(transport="streamable-http")
    else:
        mcp.run()
