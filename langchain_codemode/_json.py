"""The one converter from Python tool outputs to JSON-compatible values.

Tools return anything: dicts, pydantic models, dataclasses, JSON text, LangChain messages,
MCP content blocks. The script must receive the value its declaration promises, so objects
arrive as objects, JSON text is parsed, and content blocks are unwrapped. Knows nothing about
V8 or LangGraph.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import uuid
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

__all__ = ["parse_json_text", "to_jsonable", "to_jsonable_with_text"]


def parse_json_text(text: str) -> Any:
    """Parse ``text`` when it is a JSON object or array; otherwise return it unchanged."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text


def _unwrap_content_blocks(blocks: list[Any]) -> Any:
    """``[{"type": "text", "text": ...}, ...]`` → the text (parsed when it is JSON)."""
    texts: list[str] = []
    others: list[Any] = []
    for block in blocks:
        if isinstance(block, Mapping) and block.get("type") == "text":
            texts.append(str(block.get("text", "")))
        elif isinstance(block, str):
            texts.append(block)
        else:
            others.append(to_jsonable(block))
    if not others:
        return parse_json_text("\n".join(texts)) if len(texts) != 1 else parse_json_text(texts[0])
    return [parse_json_text(t) for t in texts] + others


def _is_content_blocks(value: list[Any]) -> bool:
    return bool(value) and all(
        isinstance(item, Mapping) and isinstance(item.get("type"), str) for item in value
    )


def _json_key(key: Any) -> str:
    """An object key as JSON writes it (``True`` is ``"true"``); other keys by ``str()``."""
    if isinstance(key, str):
        return str(key)
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float) and math.isfinite(key):
        return float.__repr__(key)
    return str(key)


def _reject(value: Any) -> Any:
    raise TypeError("not plain JSON")


_NOT_PLAIN = object()


def _plain_copy(value: Any) -> tuple[Any, str | None]:
    """A copy of ``value`` made by the C JSON codec when it holds only JSON's own types
    (dicts, lists, tuples, strings, finite numbers, booleans, None), with its JSON text;
    else ``(_NOT_PLAIN, None)``.

    Tool outputs are mostly plain data, often large: walking them in Python cost ~80 ms for
    a 650 KB result. The copy equals what :func:`_walk` builds (tuples become lists, keys
    are written as JSON writes them), and it never aliases the tool's own objects, which a
    tool may mutate after returning them.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=_reject)
        return json.loads(text), text
    except (TypeError, ValueError, RecursionError):
        return _NOT_PLAIN, None


def to_jsonable(value: Any, *, unwrap: bool = True) -> Any:
    """Convert a tool output to a JSON-compatible value (see the module docstring)."""
    return to_jsonable_with_text(value, unwrap=unwrap)[0]


def to_jsonable_with_text(value: Any, *, unwrap: bool = True) -> tuple[Any, str | None]:
    """:func:`to_jsonable`, and the result's JSON text when converting it made the text
    (``json.dumps(result, ensure_ascii=False, allow_nan=False)``), else ``None``."""
    if isinstance(value, dict) or (
        isinstance(value, (list, tuple)) and not (unwrap and _is_content_blocks(list(value)))
    ):
        plain, text = _plain_copy(value)
        if plain is not _NOT_PLAIN:
            return plain, text
    return _walk(value, unwrap), None


def _walk(value: Any, unwrap: bool) -> Any:
    """The conversion, one level at a time (each child through :func:`to_jsonable`)."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return parse_json_text(value) if unwrap else value
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(mode="json"), unwrap=False)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name), unwrap=False)
            for f in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {_json_key(k): to_jsonable(v, unwrap=False) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if unwrap and _is_content_blocks(items):
            return _unwrap_content_blocks(items)
        return [to_jsonable(v, unwrap=False) for v in items]
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value, unwrap=False)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID, PurePath)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    content = getattr(value, "content", None)  # LangChain messages and similar
    if content is not None:
        return to_jsonable(content)
    return str(value)
