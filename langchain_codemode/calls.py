"""Calling one tool for a script: arguments in, a :class:`CallOutcome` out.

Owns everything between "the script called ``tools.x(args)``" and "its promise settles":
checking the arguments against the tool's declared schema (JSON Schema for dict-schema and
MCP tools; pydantic validation reported in the same words), invoking the tool through a
:data:`ToolCaller` (the toolkit's own, or a graph host's), reading the tool's answer (an
error ``ToolMessage``, an MCP error result, structured content, JSON text) and wording every
failure as the short model-facing message the script's ``Error`` carries. It must not know
about V8, the outbox, graphs, journals or discovery: the runner gives it an identifier and
arguments, a host may give it a caller, and it gives back a value or an error.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import jsonschema
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from langchain_codemode._json import to_jsonable
from langchain_codemode.sandbox.runner import CallOutcome
from langchain_codemode.typescript.schema import normalize_schema

__all__ = [
    "INVALID_ARGS_TEMPLATE",
    "TOOL_ERROR_TEMPLATE",
    "ToolCaller",
    "ToolCalls",
    "call_tool",
    "must_propagate",
]

ToolCaller = Callable[[BaseTool, dict[str, Any], RunnableConfig | None], Awaitable[Any]]
"""Calls one tool for a script; returns its output, a ``ToolMessage`` or ``None``."""

INVALID_ARGS_TEMPLATE = "Invalid arguments for tools.{identifier}: {details}"
TOOL_ERROR_TEMPLATE = "tools.{identifier} failed: {detail}"
_MAX_ERROR_CHARS = 500


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


def _describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        location = ".".join(str(p) for p in item.get("loc", ())) or "(arguments)"
        parts.append(f"field '{location}': {item.get('msg', 'invalid')}")
    return "; ".join(parts)


def _describe_schema_error(error: jsonschema.ValidationError) -> str:
    location = ".".join(str(p) for p in error.absolute_path) or "(arguments)"
    return f"field '{location}': {_short(error.message)}"


class ToolCalls:
    """Calls the tools of one toolkit, by JS identifier, for its scripts."""

    def __init__(self, by_identifier: Mapping[str, BaseTool]) -> None:
        self._by_identifier = by_identifier
        self._validators: dict[str, Any] = {}

    def _json_schema_problems(self, identifier: str, tool: BaseTool, args: dict[str, Any]) -> str:
        """Validate against a raw JSON Schema (MCP tools, dict ``args_schema``).

        LangChain validates pydantic schemas itself but passes dict schemas through unchecked;
        the tool must not run on arguments its schema rejects.
        """
        if identifier not in self._validators:
            schema = tool.args_schema if isinstance(tool.args_schema, dict) else None
            validator = None
            if schema is not None:
                schema = normalize_schema(schema)  # ``"type": "dict"`` and other aliases
                try:
                    cls = jsonschema.validators.validator_for(schema)
                    cls.check_schema(schema)
                    validator = cls(schema)
                except (jsonschema.SchemaError, TypeError):
                    validator = None  # an invalid schema cannot judge arguments
            self._validators[identifier] = validator
        validator = self._validators[identifier]
        if validator is None:
            return ""
        errors = sorted(validator.iter_errors(args), key=lambda e: list(e.absolute_path))
        return "; ".join(_describe_schema_error(error) for error in errors[:5])

    async def invoke(
        self,
        identifier: str,
        args: dict[str, Any],
        config: RunnableConfig | None,
        caller: ToolCaller,
    ) -> CallOutcome:
        """Run ``tools.<identifier>(args)`` through ``caller``; never raises for the model's
        mistakes or the tool's failures, only for control flow (see :func:`must_propagate`)."""
        tool = self._by_identifier[identifier]
        problems = self._json_schema_problems(identifier, tool, args)
        if problems:
            return CallOutcome(
                ok=False,
                error=INVALID_ARGS_TEMPLATE.format(identifier=identifier, details=problems),
            )
        try:
            output = await caller(tool, args, config)
        except ValidationError as exc:
            details = _describe_validation_error(exc)
            return CallOutcome(
                ok=False,
                error=INVALID_ARGS_TEMPLATE.format(identifier=identifier, details=details),
            )
        except Exception as exc:
            if must_propagate(exc):
                raise
            detail = _short(str(exc)) or type(exc).__name__
            return CallOutcome(
                ok=False, error=TOOL_ERROR_TEMPLATE.format(identifier=identifier, detail=detail)
            )
        if isinstance(output, ToolMessage):
            return _outcome_from_message(identifier, output)
        return CallOutcome(ok=True, value=to_jsonable(output))


async def call_tool(tool: BaseTool, args: dict[str, Any], config: RunnableConfig | None) -> Any:
    """How a toolkit calls a tool outside a graph.

    Tools whose output is ``(content, artifact)`` (MCP tools among them) are called with a
    ToolCall: only then does LangChain keep the artifact and report the error status. The
    call needs a real id: given ``None``, LangChain returns bare content and an MCP error
    result (``isError``) would reach the script as an ordinary value.
    """
    if tool.response_format == "content_and_artifact":
        call = {"name": tool.name, "args": args, "id": _call_id(), "type": "tool_call"}
        return await tool.ainvoke(call, config=config)
    return await tool.ainvoke(args, config=config)


def _call_id() -> str:
    return f"codemode-{uuid.uuid4().hex}"


def _outcome_from_message(identifier: str, message: Any) -> CallOutcome:
    content = getattr(message, "content", message)
    if getattr(message, "status", "success") == "error":
        text = to_jsonable(content)
        detail = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)
        return CallOutcome(
            ok=False,
            error=TOOL_ERROR_TEMPLATE.format(identifier=identifier, detail=_short(detail)),
        )
    artifact = getattr(message, "artifact", None)
    if isinstance(artifact, dict) and isinstance(artifact.get("structured_content"), dict):
        return CallOutcome(ok=True, value=to_jsonable(artifact["structured_content"], unwrap=False))
    return CallOutcome(ok=True, value=to_jsonable(content))


def must_propagate(exc: BaseException) -> bool:
    """LangGraph's control flow (interrupts, parent commands) must never reach the script."""
    try:
        from langgraph.errors import GraphBubbleUp
    except ImportError:  # pragma: no cover - langgraph is a dependency
        return False
    return isinstance(exc, GraphBubbleUp)
