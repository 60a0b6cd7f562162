"""Shared fixtures: small real tools and a ticker that proves the host loop keeps running."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import mcp.client.stdio  # noqa: F401  (see below)
import pytest
from langchain_core.tools import ToolException, tool

from langchain_codemode import CodeModeToolkit

# mcp.client.stdio binds sys.stderr as a default argument when first imported; imported here,
# that is the session's stream, not one a test's capture closes afterwards.

CALLS: list[str] = []


@tool
async def echo(value: str = "", n: int = 0) -> dict:
    """Return the arguments back."""
    return {"value": value, "n": n}


@tool
async def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


@tool
async def boom(reason: str = "broken") -> str:
    """Always fails."""
    raise ToolException(f"cannot do that: {reason}")


@tool
async def crash() -> str:
    """Raises an unexpected Python error."""
    raise KeyError("secret_internal_key")


@tool
async def hang() -> str:
    """Never returns."""
    await asyncio.Event().wait()
    return "unreachable"


@tool
def thread_name() -> str:
    """A sync-only tool: reports the thread it ran on."""
    return threading.current_thread().name


@tool
def json_text() -> str:
    """Returns JSON as text."""
    return '{"items": [1, 2, 3], "ok": true}'


ALL_TOOLS = [echo, add, boom, crash, hang, thread_name, json_text]


@pytest.fixture
def toolkit() -> CodeModeToolkit:
    return CodeModeToolkit(ALL_TOOLS, timeout=5.0)


@dataclass
class Ticker:
    """Counts ticks of the host loop; a frozen loop stops counting."""

    interval: float = 0.01
    ticks: int = 0
    max_gap: float = 0.0
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.interval)
            now = loop.time()
            self.max_gap = max(self.max_gap, now - last)
            last = now
            self.ticks += 1


@pytest.fixture
async def ticker() -> AsyncIterator[Ticker]:
    t = Ticker()
    t._task = asyncio.get_running_loop().create_task(t._run())
    yield t
    t._task.cancel()


@pytest.fixture(scope="session")
def postgres_uri() -> Iterator[str | None]:
    """A PostgreSQL server for the whole session (None when unavailable; see checkpointers)."""
    from tests.checkpointers import postgres_server

    with postgres_server() as uri:
        yield uri
