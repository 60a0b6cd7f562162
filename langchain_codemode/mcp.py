"""MCP servers as typed code APIs.

Owns turning the tools of MCP servers (reached through ``langchain-mcp-adapters``'
``MultiServerMCPClient``) into LangChain tools the toolkit can declare and bridge:

* each tool keeps its JSON ``inputSchema`` (validated before a call) and its ``outputSchema``
  (the declared return type), which the adapter does not expose, read from ``list_tools``;
* results arrive as values: structured content as objects, JSON text parsed, images, audio
  and resources as small documented objects (never raw protocol wrappers); an ``isError``
  result raises, so the script's promise rejects with the server's message;
* one session per server per execution at most, opened on the first call, reused by every
  call of the script, and closed when the execution ends (timeout and cancellation too);
  inside an outer :func:`session_scope`, sessions are shared by every execution in it.
  Each session is owned by one task, because the MCP SDK's transports must be entered and
  exited in the same task.

Knows nothing about V8; the toolkit enters :func:`session_scope` around each execution.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool, ToolException
from pydantic import ConfigDict

from langchain_codemode._json import parse_json_text
from langchain_codemode._sync import run_sync
from langchain_codemode.errors import ConfigurationError

__all__ = ["McpTool", "load_mcp_tools", "result_value", "session_scope"]

NAMESPACE_KEY = "codemode_namespace"
_CLOSE_TIMEOUT = 5.0


class _SessionOwner:
    """A task that holds one MCP session open until told to stop."""

    def __init__(self, client: Any, server: str) -> None:
        loop = asyncio.get_running_loop()
        self.ready: asyncio.Future[Any] = loop.create_future()
        self.stop = asyncio.Event()
        self.task = loop.create_task(self._own(client, server), name=f"mcp-session:{server}")

    async def _own(self, client: Any, server: str) -> None:
        try:
            async with client.session(server) as session:
                if not self.ready.done():
                    self.ready.set_result(session)
                await self.stop.wait()
        except BaseException as exc:
            if not self.ready.done():
                self.ready.set_exception(exc)
                self.ready.exception()  # retrieved by the waiting call, or nobody
            if isinstance(exc, asyncio.CancelledError):
                raise


class _Scope:
    def __init__(self) -> None:
        self.owners: dict[tuple[int, str], _SessionOwner] = {}

    async def session(self, client: Any, server: str) -> Any:
        key = (id(client), server)
        owner = self.owners.get(key)
        if owner is None:
            owner = self.owners[key] = _SessionOwner(client, server)
        return await asyncio.shield(owner.ready)

    async def close(self) -> None:
        owners = list(self.owners.values())
        for owner in owners:
            owner.stop.set()
        tasks = [owner.task for owner in owners]
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=_CLOSE_TIMEOUT)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=_CLOSE_TIMEOUT)
        for task in tasks:
            if task.done() and not task.cancelled():
                task.exception()  # a transport that failed while closing: nothing to report


_SCOPE: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "codemode_mcp_scope", default=None
)


@contextlib.asynccontextmanager
async def session_scope(open_for: Sequence[BaseTool] = ()) -> AsyncIterator[None]:
    """Sessions opened by tool calls inside this block are shared and closed at its end.

    Every execution enters one. Enter one yourself around many executions (several graph
    runs, a whole server's lifetime) and they share its sessions instead of starting the
    server, or connecting, once per script; an inner scope then adds nothing. The servers of
    the MCP tools in ``open_for`` are connected at once rather than at their first call.
    """
    if _SCOPE.get() is not None:
        yield
        return
    scope = _Scope()
    token = _SCOPE.set(scope)
    try:
        servers = {(id(t.client), t.server): t for t in open_for if isinstance(t, McpTool)}
        for item in servers.values():
            await scope.session(item.client, item.server)
        yield
    finally:
        _SCOPE.reset(token)
        await scope.close()


def _block_value(block: Any) -> Any:
    kind = getattr(block, "type", None)
    if kind == "text":
        return parse_json_text(block.text)
    if kind in ("image", "audio"):
        return {"type": kind, "mimeType": block.mimeType, "data": block.data}
    if kind == "resource":
        resource = block.resource
        value: dict[str, Any] = {
            "type": "resource",
            "uri": str(resource.uri),
            "mimeType": resource.mimeType,
        }
        if getattr(resource, "text", None) is not None:
            value["text"] = resource.text
        else:
            value["blob"] = getattr(resource, "blob", None)
        return value
    if kind == "resource_link":
        return {
            "type": "resource_link",
            "uri": str(block.uri),
            "name": block.name,
            "mimeType": block.mimeType,
        }
    return {"type": str(kind)}


def result_value(result: Any) -> Any:
    """The value a script receives for an MCP ``CallToolResult``; raises on ``isError``."""
    if result.isError:
        texts = [b.text for b in result.content if getattr(b, "type", None) == "text"]
        raise ToolException(" ".join(texts).strip() or "the MCP tool reported an error")
    if result.structuredContent is not None:
        return result.structuredContent
    blocks = list(result.content)
    if all(getattr(b, "type", None) == "text" for b in blocks):
        if not blocks:
            return None
        return parse_json_text("\n".join(b.text for b in blocks))
    values = [_block_value(b) for b in blocks]
    return values[0] if len(values) == 1 else values


class McpTool(BaseTool):
    """One tool of one MCP server, called through the execution's shared session."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: Any
    server: str
    mcp_name: str

    async def _arun(self, **kwargs: Any) -> Any:
        scope = _SCOPE.get()
        if scope is not None:
            session = await scope.session(self.client, self.server)
            result = await session.call_tool(self.mcp_name, kwargs)
        else:  # called outside an execution: a session for this call only
            async with self.client.session(self.server) as session:
                result = await session.call_tool(self.mcp_name, kwargs)
        return result_value(result)

    def _run(self, **kwargs: Any) -> Any:
        return run_sync(lambda: self._arun(**kwargs))


async def _listed_tools(client: Any, server: str) -> list[Any]:
    tools: list[Any] = []
    async with client.session(server) as session:
        cursor: str | None = None
        while True:
            page = await session.list_tools(cursor=cursor) if cursor else await session.list_tools()
            tools.extend(page.tools)
            cursor = page.nextCursor
            if not cursor:
                return tools


async def load_mcp_tools(source: Any, *, namespaces: bool = False) -> list[BaseTool]:
    """Tools of every server of a ``MultiServerMCPClient`` (or its connections mapping)."""
    from langchain_mcp_adapters.client import MultiServerMCPClient

    client = source if isinstance(source, MultiServerMCPClient) else None
    if client is None:
        if not isinstance(source, Mapping):
            raise ConfigurationError(
                "from_mcp takes a MultiServerMCPClient or its connections mapping, e.g. "
                '{"shop": {"transport": "stdio", "command": "python", "args": ["shop.py"]}}'
            )
        client = MultiServerMCPClient(dict(source))
    tools: list[BaseTool] = []
    for server in client.connections:
        for listed in await _listed_tools(client, server):
            metadata: dict[str, Any] = {"mcp_server": server}
            if listed.outputSchema:
                metadata["output_schema"] = dict(listed.outputSchema)
            if namespaces:
                metadata[NAMESPACE_KEY] = server
            tools.append(
                McpTool(
                    name=listed.name,
                    description=listed.description or listed.title or "",
                    args_schema=dict(listed.inputSchema or {"type": "object"}),
                    metadata=metadata,
                    client=client,
                    server=server,
                    mcp_name=listed.name,
                )
            )
    return tools
