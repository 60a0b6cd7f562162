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

import difflib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ValidationError

from langchain_codemode._json import to_jsonable, to_jsonable_with_text
from langchain_codemode.sandbox.runner import CallOutcome, EndRun
from langchain_codemode.typescript.schema import normalize_schema

__all__ = [
    "INVALID_ARGS_TEMPLATE",
    "TOOL_ERROR_TEMPLATE",
    "ToolCaller",
    "ToolCalls",
    "call_tool",
    "input_schema",
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


def input_schema(tool: BaseTool) -> dict[str, Any]:
    """The JSON Schema of the arguments a script passes to ``tool`` (injected ones left out)."""
    schema = tool.tool_call_schema
    if isinstance(schema, dict):
        return dict(schema)
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return schema.model_json_schema()
    return {"type": "object"}


@dataclass(frozen=True)
class _Arguments:
    """The top-level arguments a tool declares, and whether it accepts others."""

    names: tuple[str, ...]
    required: frozenset[str]
    closed: bool


def _declared_arguments(tool: BaseTool, schema: Mapping[str, Any]) -> _Arguments | None:
    """What ``schema`` declares at its top level; ``None`` when it cannot be told (a ``$ref``,
    a schema that is not an object's). The declared API is closed: only an explicit
    ``additionalProperties`` (``true`` or a schema), ``patternProperties`` or pydantic's
    ``extra="allow"`` lets undeclared arguments through."""
    parts = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            parts.extend(b for b in branches if isinstance(b, Mapping))
    if any("$ref" in part for part in parts):
        return None
    if schema.get("type") != "object" and not isinstance(schema.get("properties"), Mapping):
        return None
    names: list[str] = []
    required: set[str] = set()
    closed = True
    for part in parts:
        properties = part.get("properties")
        if isinstance(properties, Mapping):
            names.extend(str(name) for name in properties if name not in names)
        if part is schema and isinstance(part.get("required"), list):
            required.update(str(name) for name in part["required"])
        extra = part.get("additionalProperties")
        if (extra is not None and extra is not False) or part.get("patternProperties"):
            closed = False
    model = tool.args_schema  # tool_call_schema drops pydantic's extra="allow"
    if (
        isinstance(model, type)
        and issubclass(model, BaseModel)
        and model.model_config.get("extra") == "allow"
    ):
        closed = False
    return _Arguments(names=tuple(names), required=frozenset(required), closed=closed)


def _unknown_arguments(
    identifier: str, declared: _Arguments, args: Mapping[str, Any]
) -> str | None:
    """The model-facing message for arguments the tool does not declare, or ``None``."""
    if not declared.closed:
        return None
    unknown = [name for name in args if name not in declared.names]
    if not unknown:
        return None
    unused = [name for name in declared.names if name not in args]

    def closest(name: str) -> str | None:
        found = difflib.get_close_matches(name, unused, n=1, cutoff=0.6)
        return found[0] if found else None

    if len(unknown) == 1:
        match = closest(unknown[0])
        text = f"unknown argument '{unknown[0]}' for tools.{identifier}"
        text += f" — did you mean '{match}'?" if match else "."
    else:
        listed = []
        for name in unknown:
            match = closest(name)
            listed.append(f"'{name}' (did you mean '{match}'?)" if match else f"'{name}'")
        text = f"unknown arguments for tools.{identifier}: {', '.join(listed)}."
    missing = sorted(declared.required - set(args))
    if missing:
        noun = "argument" if len(missing) == 1 else "arguments"
        text += f" Missing required {noun}: {', '.join(repr(name) for name in missing)}."
    if declared.names:
        text += f" Arguments: {', '.join(declared.names)}"
    else:
        text += f" tools.{identifier} takes no arguments"
    return text


_NAMED_ERRORS = (LookupError, AttributeError, TypeError, NameError)
"""Exceptions whose text alone is not a sentence (``KeyError('nope')`` reads ``'nope'``)."""


def _describe_exception(exc: Exception) -> str:
    text = str(exc)
    if not text:
        return type(exc).__name__
    if isinstance(exc, _NAMED_ERRORS) and not isinstance(exc, ToolException):
        return f"{type(exc).__name__}: {text}"
    return text


class ToolCalls:
    """Calls the tools of one toolkit, by JS identifier, for its scripts."""

    def __init__(self, by_identifier: Mapping[str, BaseTool]) -> None:
        self._by_identifier = by_identifier
        self._validators: dict[str, Any] = {}
        self._arguments: dict[str, _Arguments | None] = {}

    def _argument_problems(self, identifier: str, tool: BaseTool, args: dict[str, Any]) -> str:
        if identifier not in self._arguments:
            self._arguments[identifier] = _declared_arguments(tool, input_schema(tool))
        declared = self._arguments[identifier]
        if declared is None:
            return ""
        return _unknown_arguments(identifier, declared, args) or ""

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
        unknown = self._argument_problems(identifier, tool, args)
        if unknown:
            return CallOutcome(ok=False, error=unknown)
        problems = self._json_schema_problems(identifier, tool, args)
        if problems:
            return CallOutcome(
                ok=False,
                error=INVALID_ARGS_TEMPLATE.format(identifier=identifier, details=problems),
            )
        try:
            output = await caller(tool, args, config)
        except ValidationError as exc:
            if must_propagate(exc):  # a resume value that does not fit its interrupt
                raise
            details = _describe_validation_error(exc)
            return CallOutcome(
                ok=False,
                error=INVALID_ARGS_TEMPLATE.format(identifier=identifier, details=details),
            )
        except Exception as exc:
            if must_propagate(exc) or isinstance(exc, EndRun):  # EndRun: see the runner
                raise
            detail = _short(_describe_exception(exc))
            return CallOutcome(
                ok=False, error=TOOL_ERROR_TEMPLATE.format(identifier=identifier, detail=detail)
            )
        if isinstance(output, ToolMessage):
            return _outcome_from_message(identifier, output)
        value, text = to_jsonable_with_text(output)
        return CallOutcome(ok=True, value=value, json_text=text)


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
        value, text = to_jsonable_with_text(artifact["structured_content"], unwrap=False)
        return CallOutcome(ok=True, value=value, json_text=text)
    value, text = to_jsonable_with_text(content)
    return CallOutcome(ok=True, value=value, json_text=text)


def must_propagate(exc: BaseException) -> bool:
    """LangGraph's control flow (interrupts, parent commands) must never reach the script,
    nor a resume value that does not fit its interrupt (the developer answers it again)."""
    try:
        from langgraph.errors import GraphBubbleUp, is_invalid_resume
    except ImportError:  # pragma: no cover - langgraph is a dependency
        return False
    return isinstance(exc, GraphBubbleUp) or is_invalid_resume(exc)
