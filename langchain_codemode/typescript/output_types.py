"""Output JSON Schemas of LangChain tools, from their Python return annotations.

This module owns answering "what does this tool return?" as a JSON Schema (serialization
mode, i.e. the JSON the script receives), or ``None`` when that is unknown:

* an explicit override in ``tool.metadata["output_schema"]`` wins;
* else the return annotation of ``tool.coroutine`` / ``tool.func`` (``@tool``,
  ``StructuredTool``), or of a ``BaseTool`` subclass's own ``_arun`` / ``_run``;
* ``content_and_artifact`` tools return ``(content, artifact)`` and the script sees the
  content, so the first element of a ``tuple[X, Y]`` annotation is used.

It must not know about TypeScript (that is ``schema.py`` / ``declarations.py``) or how tools
are invoked.
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import TypeAdapter

__all__ = ["output_schema_for_tool", "output_schema_from_annotation"]

_MISSING = inspect.Signature.empty


def output_schema_from_annotation(annotation: Any) -> dict[str, Any] | None:
    """JSON Schema (serialization mode) of values of type ``annotation``, or None if unknown.

    Fields with defaults stay optional, as pydantic says, so a model used both as an input and
    as an output renders as one shared declaration.
    """
    if annotation is _MISSING or annotation is Any or annotation is object:
        return None
    if isinstance(annotation, str | typing.ForwardRef | typing.TypeVar):
        return None  # an unresolved forward reference or a bare type variable says nothing
    if _is_opaque(annotation):
        return None
    try:
        schema = TypeAdapter(annotation).json_schema(mode="serialization")
    except Exception:  # pydantic cannot describe it (arbitrary classes, bad forward refs...)
        return None
    if not isinstance(schema, dict) or not schema:
        return None
    return schema


def output_schema_for_tool(tool: BaseTool) -> dict[str, Any] | None:
    """The output JSON Schema of ``tool``, or None when it is unknown."""
    metadata = getattr(tool, "metadata", None)
    if isinstance(metadata, Mapping):
        override = metadata.get("output_schema")
        if isinstance(override, Mapping):
            return copy.deepcopy(dict(override))
    annotation = _return_annotation(tool)
    if annotation is _MISSING:
        return None
    if getattr(tool, "response_format", "content") == "content_and_artifact":
        annotation = _content_part(annotation)
        if annotation is _MISSING:
            return None
    return output_schema_from_annotation(annotation)


def _return_annotation(tool: BaseTool) -> Any:
    """The first annotated return type among the tool's implementation functions."""
    candidates: list[Callable[..., Any]] = []
    for attribute in ("coroutine", "func"):
        fn = getattr(tool, attribute, None)
        if callable(fn):
            candidates.append(fn)
    for method in ("_arun", "_run"):
        own = getattr(type(tool), method, None)
        if own is not None and own is not getattr(BaseTool, method, None) and not _is_generic(own):
            candidates.append(getattr(tool, method))
    for fn in candidates:
        annotation = _annotation_of(fn)
        if annotation is not _MISSING:
            return annotation
    return _MISSING


def _is_generic(method: Any) -> bool:
    """LangChain's own ``_run``/``_arun`` of StructuredTool/Tool: they return ``Any``."""
    module = getattr(method, "__module__", "") or ""
    return module.startswith("langchain_core.")


def _annotation_of(fn: Callable[..., Any]) -> Any:
    target = inspect.unwrap(fn) if callable(fn) else fn
    try:
        hints = typing.get_type_hints(target, include_extras=True)
    except Exception:  # unresolvable forward references, builtins, partials...
        try:
            annotation = inspect.signature(target).return_annotation
        except (TypeError, ValueError):
            return _MISSING
        return _MISSING if isinstance(annotation, str) else annotation
    return hints.get("return", _MISSING)


def _content_part(annotation: Any) -> Any:
    """``X`` from ``tuple[X, Y]`` (what a content_and_artifact tool's script sees)."""
    if typing.get_origin(annotation) is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is not Ellipsis:
            return args[0]
    return _MISSING


def _is_opaque(annotation: Any) -> bool:
    """Types whose values are not what the script receives (messages, graph commands)."""
    if not isinstance(annotation, type):
        return False
    module = getattr(annotation, "__module__", "") or ""
    if module.startswith("langgraph."):
        return True
    try:
        from langchain_core.messages import BaseMessage
    except ImportError:  # pragma: no cover - langchain-core is a dependency
        return False
    return issubclass(annotation, BaseMessage)
