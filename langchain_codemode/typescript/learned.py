"""Result types learned from the JSON values tools actually return.

This module owns inferring a *shape* from a JSON value, merging shapes, keeping them bounded,
and turning a shape into the JSON Schema that ``schema.py`` renders, plus the per-toolkit memory
of what was learned (:class:`LearnedTypes`). A shape records kinds, field names and which fields
were always present; it never records a value (no strings, numbers, or keys of a record).

A shape is JSON (so a store can keep it) mapping each kind seen to its detail::

    {"null": 1, "boolean": 1, "number": 1, "string": 1,   # primitives seen
     "array": <shape of the items>,                        # {} when only empty arrays were seen
     "object": [[name, <shape>, required], ...],           # fields in first-seen order
     "record": <shape of the values>,                      # keys that look like data
     "unknown": 1}                                         # past the depth/size bounds

Fields are a list, not a mapping, so their order survives stores (PostgreSQL's ``jsonb``) that
reorder keys. An object becomes a ``record`` when its keys look like data (ids, dates, emails,
urls) or when more than :data:`MAX_FIELDS` distinct keys were seen. Keys that are names of
things (``{"alice": 3, "bob": 4}``) cannot be told from field names, and stay fields until
there are too many of them.

A learned declaration changes only when a result shows a new shape: the count in its doc
comment (:func:`learned_note`) is the number of results seen when the shape last changed, so
results of a known shape leave the declarations byte-identical (prompt caches stay warm).

It must not know about LangChain, stores, the sandbox, or how declarations are laid out.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "LEARNED_MARKER",
    "MAX_DEPTH",
    "MAX_FIELDS",
    "MAX_NODES",
    "LearnedType",
    "LearnedTypes",
    "Shape",
    "is_informative",
    "learned_note",
    "merge",
    "shape_of",
    "shape_size",
    "to_json_schema",
    "tool_key",
]

Shape = dict[str, Any]

LEARNED_MARKER: Final = "Result type learned from"
"""Opens the doc line of every learned result type: how a reader (or a checker) recognises one."""

MAX_DEPTH: Final = 6
"""Nesting levels (objects, arrays, records) kept; anything deeper is ``unknown``."""
MAX_FIELDS: Final = 40
"""Distinct keys an object may have before it is treated as a record (keys as data)."""
MAX_ITEMS: Final = 24
"""Items of an array (values of a record) looked at per result, spread over it."""
MAX_NODES: Final = 250
"""Kinds in one whole shape; beyond it the deepest levels are cut to ``unknown``."""

_PRIMITIVES: Final = ("null", "boolean", "number", "string")
_ORDER: Final = ("object", "record", "array", "string", "number", "boolean", "null")
_UNKNOWN: Final[Shape] = {"unknown": 1}
_PRIMITIVE_SHAPES: Final[dict[type, Shape]] = {
    type(None): {"null": 1},
    bool: {"boolean": 1},
    int: {"number": 1},
    float: {"number": 1},
    str: {"string": 1},
}

_DATA_KEY = re.compile(
    r"""^(?:
        -?\d+(?:\.\d+)?                                   # 42, 3.5
      | [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}   # a UUID
      | (?=[0-9a-z]*\d)[0-9a-f]{8,}                        # a hex digest or object id
      | \d{4}-\d{2}(?:-\d{2})?(?:[T\s][\d:.]+Z?)?          # a date or timestamp
      | [A-Za-z]+[-_]\d+ | [A-Za-z]?\d{3,}                 # ord_1, A-42, u1234
      | .*[@/:\\].*                                        # emails, paths, urls
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


def _looks_like_data(keys: Iterable[str]) -> bool:
    keys = list(keys)
    return bool(keys) and all(_DATA_KEY.match(key) for key in keys)


# -- inference and merging ---------------------------------------------------------------------


def shape_of(value: Any, depth: int = 0) -> Shape:
    """The shape of one JSON value."""
    primitive = _PRIMITIVE_SHAPES.get(type(value))
    if primitive is not None:
        return primitive  # shared and never mutated: shapes are built anew, not edited
    if depth >= MAX_DEPTH:
        return _UNKNOWN
    if isinstance(value, list):
        items: Shape = {}
        for item in _sample(value):
            items = merge(items, shape_of(item, depth + 1), depth + 1)
        return {"array": items}
    if isinstance(value, dict):
        keys = [str(key) for key in value]
        if len(keys) > MAX_FIELDS or _looks_like_data(keys):
            values: Shape = {}
            for item in _sample(list(value.values())):
                values = merge(values, shape_of(item, depth + 1), depth + 1)
            return {"record": values}
        fields = zip(keys, value.values(), strict=True)
        return {"object": [[k, shape_of(v, depth + 1), True] for k, v in fields]}
    if value is None or isinstance(value, (bool, int, float, str)):  # subclasses
        return shape_of(json.loads(json.dumps(value)))
    return _PRIMITIVE_SHAPES[str]  # not JSON: what the script would see is its text


def _sample(items: list[Any]) -> list[Any]:
    """At most MAX_ITEMS items, spread evenly over the list (deterministic)."""
    if len(items) <= MAX_ITEMS:
        return items
    step = len(items) / MAX_ITEMS
    return [items[int(i * step)] for i in range(MAX_ITEMS)]


def merge(a: Shape, b: Shape, depth: int = 0) -> Shape:
    """The smallest shape that covers both ``a`` and ``b``."""
    if a == b:  # the common case (items of one array, a known result): no rebuilding
        return a
    if "unknown" in a or "unknown" in b:
        return _UNKNOWN
    out: Shape = {kind: 1 for kind in _PRIMITIVES if kind in a or kind in b}
    if "array" in a or "array" in b:
        out["array"] = merge(a.get("array", {}), b.get("array", {}), depth + 1)
    fields: list[list[Any]] | None = None
    record: Shape | None = None
    for side in (a, b):
        if "object" in side:
            fields = side["object"] if fields is None else _merge_fields(fields, side["object"])
        if "record" in side:
            record = side["record"] if record is None else merge(record, side["record"], depth + 1)
    if fields is not None and (record is not None or len(fields) > MAX_FIELDS):
        for _, field_shape, _ in fields:
            record = field_shape if record is None else merge(record, field_shape, depth + 1)
        fields = None
    if fields is not None:
        out["object"] = fields
    if record is not None:
        out["record"] = record
    return out


def _merge_fields(a: list[list[Any]], b: list[list[Any]]) -> list[list[Any]]:
    """Fields of both objects, in first-seen order; a field missing on one side is optional."""
    other = {name: (shape, required) for name, shape, required in b}
    out = []
    for name, shape, required in a:
        if name in other:
            b_shape, b_required = other.pop(name)
            out.append([name, merge(shape, b_shape), bool(required and b_required)])
        else:
            out.append([name, shape, False])
    out.extend([name, shape, False] for name, (shape, _) in other.items())
    return out


def _children(shape: Shape) -> list[Shape]:
    found = [shape[kind] for kind in ("array", "record") if kind in shape]
    found.extend(field[1] for field in shape.get("object", ()))
    return found


def shape_size(shape: Shape) -> int:
    """How many kinds (nodes) the whole shape holds."""
    return len(shape) + sum(shape_size(child) for child in _children(shape))


def _cut(shape: Shape, depth: int) -> Shape:
    if depth <= 0 and _children(shape):
        return _UNKNOWN
    out = dict(shape)
    for kind in ("array", "record"):
        if kind in out:
            out[kind] = _cut(out[kind], depth - 1)
    if "object" in out:
        out["object"] = [[n, _cut(s, depth - 1), r] for n, s, r in out["object"]]
    return out


def bounded(shape: Shape) -> Shape:
    """``shape`` with its deepest levels cut to ``unknown`` until it has at most MAX_NODES."""
    depth = MAX_DEPTH
    while shape_size(shape) > MAX_NODES and depth > 0:
        depth -= 1
        shape = _cut(shape, depth)
    return shape if shape_size(shape) <= MAX_NODES else _UNKNOWN


# -- rendering ---------------------------------------------------------------------------------


def to_json_schema(shape: Shape) -> dict[str, Any]:
    """The JSON Schema ``schema.py`` renders for ``shape`` (``{}`` is ``unknown``)."""
    if not shape or "unknown" in shape:
        return {}
    members: list[dict[str, Any]] = []
    for kind in _ORDER:
        if kind not in shape:
            continue
        detail = shape[kind]
        if kind == "object":
            members.append(
                {
                    "type": "object",
                    "properties": {name: to_json_schema(s) for name, s, _ in detail},
                    "required": [name for name, _, required in detail if required],
                }
            )
        elif kind == "record":
            members.append({"type": "object", "additionalProperties": to_json_schema(detail)})
        elif kind == "array":
            members.append({"type": "array", "items": to_json_schema(detail)})
        else:
            members.append({"type": kind})
    return members[0] if len(members) == 1 else {"anyOf": members}


def learned_note(results: int) -> str:
    """The doc line of a learned result type (starts with :data:`LEARNED_MARKER`)."""
    noun = "result" if results == 1 else "results"
    return f"{LEARNED_MARKER} {results} {noun}; may be incomplete."


# -- which declared types are worth replacing ------------------------------------------------------

_UNINFORMATIVE: Final = (
    {"type": "object"},
    {"type": "object", "additionalProperties": True},
    {"type": "object", "additionalProperties": {}},
    {"type": "array"},
    {"type": "array", "items": {}},
    {"type": "string"},
)


def is_informative(schema: Mapping[str, Any] | None) -> bool:
    """Whether a declared output schema says more than "some JSON" (then it always wins).

    Uninformative: none, ``Any`` (``{}``), ``dict``, ``list``, ``str`` and the
    ``string | Record<string, unknown> | unknown[]`` the script sees for ``-> str``.
    """
    if not schema:
        return False
    plain = {k: v for k, v in schema.items() if k not in ("title", "description", "$schema")}
    if not plain or plain in _UNINFORMATIVE:
        return False
    members = plain.get("anyOf")
    if isinstance(members, list) and len(plain) == 1:
        return any(is_informative(m) for m in members if isinstance(m, Mapping))
    return True


def tool_key(server: str | None, name: str, input_schema: Mapping[str, Any]) -> str:
    """A tool's identity: server + name + a hash of its input schema (two tools never mix)."""
    text = json.dumps(input_schema, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{server or ''}/{name}/{digest}"


# -- what one toolkit has learned ------------------------------------------------------------------


@dataclass(frozen=True)
class LearnedType:
    """What was learned of one tool's results. ``results`` counts the results seen when the
    shape last changed (not since), so it moves only with the shape."""

    shape: Shape
    results: int

    def to_record(self) -> dict[str, Any]:
        return {"version": 1, "shape": self.shape, "results": self.results}

    @classmethod
    def from_record(cls, record: Any) -> LearnedType | None:
        if not isinstance(record, Mapping) or record.get("version") != 1:
            return None
        shape, results = record.get("shape"), record.get("results")
        if not isinstance(shape, dict) or not isinstance(results, int) or results < 1:
            return None
        return cls(shape, results)


class LearnedTypes:
    """The learned result types of one toolkit's tools, keyed by :func:`tool_key`.

    ``version`` goes up whenever a declaration would change, so callers re-render only then;
    ``dirty`` holds the keys whose shape changed since the last save to a store.
    """

    def __init__(self) -> None:
        self._types: dict[str, LearnedType] = {}
        self._seen: dict[str, int] = {}  # results seen since the shape last changed
        self.version = 0
        self.dirty: set[str] = set()

    def get(self, key: str) -> LearnedType | None:
        return self._types.get(key)

    def observe(self, key: str, value: Any) -> bool:
        """Learn from one result; True when the shape changed."""
        known = self._types.get(key)
        seen = self._seen.get(key, 0) + 1
        shape = shape_of(value) if known is None else merge(known.shape, shape_of(value))
        shape = bounded(shape)
        if known is not None and shape == known.shape:
            self._seen[key] = seen
            return False
        base = known.results if known is not None else 0
        self._types[key] = LearnedType(shape, base + seen)
        self._seen[key] = 0
        self.version += 1
        self.dirty.add(key)
        return True

    def absorb(self, key: str, stored: LearnedType) -> None:
        """Merge what a store holds for ``key`` (learned elsewhere) into this memory."""
        known = self._types.get(key)
        if known is None:
            self._types[key] = stored
            self.version += 1
            return
        shape = bounded(merge(known.shape, stored.shape))
        if shape == known.shape and stored.shape == shape:
            return
        results = max(known.results, stored.results)
        if shape != known.shape:
            self._types[key] = LearnedType(shape, results)
            self.version += 1
        if shape != stored.shape:
            self.dirty.add(key)
