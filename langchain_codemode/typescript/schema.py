"""JSON Schema → TypeScript type expressions.

This module owns the translation of JSON Schema documents (any JSON value, in practice a dict)
into TypeScript *type expressions* and the *named declarations* (``interface`` / ``type``) those
expressions refer to:

* a small tree of frozen dataclasses (:class:`TsType` and its subclasses) describing a type
  expression, built by :class:`TypeScriptBuilder` and turned into text by its ``render`` methods;
* naming: named types come from ``$defs`` / ``definitions`` keys and ``title``\\ s, sanitised into
  PascalCase identifiers; collisions (also with TypeScript's global names) get ``2``, ``3``...
  suffixes; structurally identical declarations are shared;
* ``$ref`` resolution inside one document (JSON pointers, ``#``), recursion (always through a
  named type, never by expansion), and breaking of the alias cycles TypeScript rejects;
* JSDoc for properties (description, default, format, bounds, pattern...).

Conversion never raises: anything that cannot be expressed becomes ``unknown`` with a
``/* comment */`` saying why.

Deliberate simplifications (the reader is a model writing calls, not a validator): a tuple
(``prefixItems`` / array ``items``) is exactly as long as listed unless ``minItems`` makes its
tail optional or ``items`` / ``additionalItems`` allow a rest; an object with ``properties`` and
no ``additionalProperties`` gets no index signature; ``not`` / ``if`` / ``contains`` and other
assertions that TypeScript cannot express are dropped (``unknown`` when nothing else is left);
a typed index signature next to properties is written ``unknown`` with its real type in a
comment, because TypeScript would make every property conform to it.

It must not know about LangChain, tools, how tool identifiers are made, the layout of the whole
declaration file (see ``declarations.py``), files, processes or the TypeScript compiler. It does
no I/O.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import textwrap
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeGuard

__all__ = [
    "BOOLEAN",
    "NEVER",
    "NULL",
    "NUMBER",
    "STRING",
    "UNKNOWN",
    "ArrayType",
    "Doc",
    "IntersectionType",
    "Keyword",
    "LiteralType",
    "NamedType",
    "ObjectType",
    "Property",
    "Reference",
    "TsType",
    "TupleType",
    "TypeScriptBuilder",
    "TypeScriptSnippet",
    "UnionType",
    "UnknownType",
    "intersection",
    "is_unknown",
    "js_string",
    "json_type_name",
    "normalize_schema",
    "pascal_case",
    "property_key",
    "render_doc",
    "schema_doc",
    "schema_to_typescript",
    "union",
]

# --------------------------------------------------------------------------------------------
# The type-expression tree
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TsType:
    """Base of the type-expression tree. Nodes are immutable, hashable values."""


@dataclass(frozen=True)
class Keyword(TsType):
    """A keyword type: ``string``, ``number``, ``boolean``, ``null``, ``unknown``, ``never``."""

    name: str


@dataclass(frozen=True)
class UnknownType(TsType):
    """``unknown`` with a comment saying why nothing better could be said."""

    comment: str


@dataclass(frozen=True)
class LiteralType(TsType):
    """A literal type; ``text`` is already valid TypeScript (``"a"``, ``1``, ``true``)."""

    text: str


@dataclass(frozen=True)
class ArrayType(TsType):
    item: TsType


@dataclass(frozen=True)
class TupleType(TsType):
    """``[A, B?, ...C[]]``: the first ``required`` items are required, the rest optional."""

    items: tuple[TsType, ...]
    required: int
    rest: TsType | None = None


@dataclass(frozen=True)
class Doc:
    """JSDoc content: free text plus ``@tag value`` strings."""

    description: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Property:
    name: str
    type: TsType
    optional: bool = False
    doc: Doc | None = None


@dataclass(frozen=True)
class ObjectType(TsType):
    """An object type literal; ``index`` is the value type of a ``[key: string]`` signature."""

    properties: tuple[Property, ...] = ()
    index: TsType | None = None
    index_doc: Doc | None = None


@dataclass(frozen=True)
class UnionType(TsType):
    members: tuple[TsType, ...]


@dataclass(frozen=True)
class IntersectionType(TsType):
    members: tuple[TsType, ...]


@dataclass(frozen=True)
class Reference(TsType):
    """A reference to a named declaration, by declaration id (names are given at render)."""

    target: int


@dataclass(frozen=True)
class NamedType:
    """A top-level declaration: ``interface`` when ``type`` is an :class:`ObjectType`."""

    id: int
    name: str
    type: TsType
    doc: Doc | None = None


STRING: Final = Keyword("string")
NUMBER: Final = Keyword("number")
BOOLEAN: Final = Keyword("boolean")
NULL: Final = Keyword("null")
UNKNOWN: Final = Keyword("unknown")
NEVER: Final = Keyword("never")

_SELF: Final = Reference(-1)


def is_unknown(t: TsType) -> bool:
    """Whether ``t`` is ``unknown`` (with or without a comment)."""
    return t == UNKNOWN or isinstance(t, UnknownType)


def union(types: Iterable[TsType]) -> TsType:
    """``A | B | ...``, flattened and de-duplicated; ``unknown`` absorbs, ``never`` vanishes."""
    out: list[TsType] = []
    for t in _flatten(types, UnionType):
        if is_unknown(t):
            return t
        if t != NEVER and t not in out:
            out.append(t)
    if not out:
        return NEVER
    return out[0] if len(out) == 1 else UnionType(tuple(out))


def intersection(types: Iterable[TsType]) -> TsType:
    """``A & B & ...``, flattened and de-duplicated; ``unknown`` vanishes, ``never`` absorbs.

    Object types with distinct property names and no index signature merge into one object.
    """
    out: list[TsType] = []
    dropped: TsType = UNKNOWN
    for t in _flatten(types, IntersectionType):
        if t == NEVER:
            return NEVER
        if is_unknown(t):
            dropped = t if dropped == UNKNOWN else dropped  # keep the first comment
        elif t not in out:
            out.append(t)
    if not out:
        return dropped
    objects = [t for t in out if isinstance(t, ObjectType)]
    if len(objects) > 1 and all(o.index is None for o in objects):
        names = [p.name for o in objects for p in o.properties]
        if len(names) == len(set(names)):
            merged = ObjectType(tuple(p for o in objects for p in o.properties))
            first = out.index(objects[0])
            out = [
                merged if i == first else t
                for i, t in enumerate(out)
                if t not in objects or i == first
            ]
    return out[0] if len(out) == 1 else IntersectionType(tuple(out))


def _flatten(types: Iterable[TsType], kind: type[UnionType | IntersectionType]) -> Iterator[TsType]:
    for t in types:
        if isinstance(t, kind):
            yield from t.members
        else:
            yield t


def _transform(t: TsType, on_ref: Callable[[Reference], TsType]) -> TsType:
    """Rebuild ``t`` with every :class:`Reference` replaced by ``on_ref(ref)``."""
    if isinstance(t, Reference):
        return on_ref(t)
    if isinstance(t, ArrayType):
        return ArrayType(_transform(t.item, on_ref))
    if isinstance(t, TupleType):
        rest = None if t.rest is None else _transform(t.rest, on_ref)
        return TupleType(tuple(_transform(i, on_ref) for i in t.items), t.required, rest)
    if isinstance(t, ObjectType):
        props = tuple(
            Property(p.name, _transform(p.type, on_ref), p.optional, p.doc) for p in t.properties
        )
        index = None if t.index is None else _transform(t.index, on_ref)
        return ObjectType(props, index, t.index_doc)
    if isinstance(t, UnionType):
        return union(_transform(m, on_ref) for m in t.members)
    if isinstance(t, IntersectionType):
        return intersection(_transform(m, on_ref) for m in t.members)
    return t


def _children(t: TsType) -> Iterator[TsType]:
    if isinstance(t, ArrayType):
        yield t.item
    elif isinstance(t, TupleType):
        yield from t.items
        if t.rest is not None:
            yield t.rest
    elif isinstance(t, ObjectType):
        yield from (p.type for p in t.properties)
        if t.index is not None:
            yield t.index
    elif isinstance(t, UnionType | IntersectionType):
        yield from t.members


def _contains(t: TsType, predicate: Callable[[TsType], bool]) -> bool:
    stack = [t]
    while stack:
        node = stack.pop()
        if predicate(node):
            return True
        stack.extend(_children(node))
    return False


def _direct_refs(t: TsType) -> Iterator[int]:
    """References in positions TypeScript resolves eagerly in a type alias (unions, &)."""
    if isinstance(t, Reference):
        yield t.target
    elif isinstance(t, UnionType | IntersectionType):
        for m in t.members:
            yield from _direct_refs(m)


def _drop_direct(t: TsType, target: int) -> TsType | None:
    """``t`` without the directly-positioned references to ``target`` (None if nothing left)."""
    if isinstance(t, Reference):
        return None if t.target == target else t
    if isinstance(t, UnionType | IntersectionType):
        kept = [k for k in (_drop_direct(m, target) for m in t.members) if k is not None]
        if not kept:
            return None
        return union(kept) if isinstance(t, UnionType) else intersection(kept)
    return t


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_JS_UNSAFE = re.compile("[\ud800-\udfff\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"[A-Za-z0-9]+")
_MAX_NAME = 64


def js_string(value: str) -> str:
    """A TypeScript string literal for ``value`` (JSON escaping; also lone surrogates)."""
    text = json.dumps(value, ensure_ascii=False)
    return _JS_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def property_key(name: str) -> str:
    """A property name as written in a type literal: bare when an identifier, else quoted."""
    return name if _IDENTIFIER.fullmatch(name) else js_string(name)


def pascal_case(raw: str) -> str:
    """``raw`` as a PascalCase ASCII identifier, or ``""`` when it has no usable characters."""
    name = "".join(w[:1].upper() + w[1:] for w in _WORD.findall(raw))[:_MAX_NAME]
    if name[:1].isdigit():
        name = "T" + name
    return name


def _comment_text(text: str) -> str:
    """Text safe inside a ``/* */`` comment and encodable as UTF-8."""
    return _SURROGATE.sub("\ufffd", text).replace("*/", "*\\/")


def _inline_comment(text: str, limit: int = 80) -> str:
    text = " ".join(_comment_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_text(value: Any, limit: int = 80) -> str | None:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_doc(doc: Doc, indent: str, width: int = 100) -> list[str]:
    """JSDoc lines for ``doc`` at ``indent``: one line when it fits, else a block."""
    description = inspect.cleandoc(_comment_text(doc.description))
    tags = [" ".join(_comment_text(t).split()) for t in doc.tags]
    if "\n" not in description:
        body = " ".join(x for x in [description, *tags] if x)
        line = f"{indent}/** {body} */"
        if len(line) <= width:
            return [line]
    lines = [f"{indent}/**"]
    text_width = max(width - len(indent) - 3, 40)
    blank = False
    for raw in description.splitlines():
        raw = raw.rstrip()
        if not raw:
            blank = True
            continue
        if blank and len(lines) > 1:
            lines.append(f"{indent} *")
        blank = False
        lead = raw[: len(raw) - len(raw.lstrip())]
        wrapped = textwrap.wrap(
            raw,
            width=text_width,
            subsequent_indent=lead,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [raw]
        lines.extend(f"{indent} * {w}" for w in wrapped)
    lines.extend(f"{indent} * {t}" for t in tags)
    lines.append(f"{indent} */")
    return lines


# --------------------------------------------------------------------------------------------
# JSON Schema vocabulary
# --------------------------------------------------------------------------------------------

_OBJECT_KEYWORDS: Final = (
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "minProperties",
    "maxProperties",
    "propertyNames",
)
_ARRAY_KEYWORDS: Final = (
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
)
# Keywords that never reject a value.
_ANNOTATION_KEYWORDS: Final = frozenset(
    (
        "title",
        "description",
        "$comment",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$schema",
        "$id",
        "$anchor",
    )
)
_UNSUPPORTED_KEYWORDS: Final = (
    "not",
    "if",
    "dependentSchemas",
    "$dynamicRef",
    "$recursiveRef",
    "unevaluatedProperties",
)
# (keyword, how many schemas: "one" / "list" / "map")
_SUBSCHEMA_KEYWORDS: Final = (
    ("properties", "map"),
    ("patternProperties", "map"),
    ("$defs", "map"),
    ("definitions", "map"),
    ("dependentSchemas", "map"),
    ("anyOf", "list"),
    ("oneOf", "list"),
    ("allOf", "list"),
    ("prefixItems", "list"),
    ("items", "one_or_list"),
    ("additionalItems", "one"),
    ("additionalProperties", "one"),
    ("not", "one"),
    ("if", "one"),
    ("then", "one"),
    ("else", "one"),
    ("contains", "one"),
    ("propertyNames", "one"),
    ("unevaluatedItems", "one"),
    ("unevaluatedProperties", "one"),
)
_NUMERIC_TAGS: Final = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
_MAX_DEPTH: Final = 48
_INLINE_WIDTH: Final = 80
_WIDTH: Final = 100

# Global type names of TypeScript's ES2022 standard library (the declarations are checked with
# ``--lib es2022``): a declaration with one of these names would merge with or shadow it.
_GLOBAL_NAMES: Final = frozenset(
    """
    AggregateError Array ArrayBuffer ArrayBufferLike ArrayBufferTypes ArrayBufferView
    ArrayConstructor ArrayLike AsyncDisposable AsyncDisposableStack AsyncGenerator
    AsyncGeneratorFunction AsyncIterable AsyncIterableIterator AsyncIterator Atomics Awaited
    BigInt BigInt64Array BigUint64Array Boolean CallableFunction Capitalize ClassDecorator
    ConcatArray ConstructorParameters DataView Date DateConstructor Disposable DisposableStack
    Error ErrorConstructor EvalError Exclude Extract FinalizationRegistry Float16Array
    Float32Array Float64Array Function Generator GeneratorFunction IArguments ImportMeta
    InstanceType Int16Array Int32Array Int8Array Intl Iterable IterableIterator Iterator
    IteratorResult JSON Lowercase Map Math MethodDecorator NewableFunction NoInfer NonNullable
    Number Object Omit OmitThisParameter ParameterDecorator Parameters Partial Pick Promise
    PromiseConstructorLike PromiseLike PromiseSettledResult PropertyDecorator PropertyDescriptor
    PropertyDescriptorMap PropertyKey Proxy ProxyHandler RangeError Readonly ReadonlyArray
    ReadonlyMap ReadonlySet Record ReferenceError Reflect RegExp RegExpExecArray
    RegExpMatchArray Required ReturnType Set SharedArrayBuffer String SuppressedError Symbol
    SyntaxError TemplateStringsArray ThisParameterType ThisType TypeError
    TypedPropertyDescriptor URIError Uint16Array Uint32Array Uint8Array Uint8ClampedArray
    Uncapitalize Uppercase WeakKey WeakMap WeakRef WeakSet
    """.split()  # noqa: SIM905
)


# Type names from other languages that real tool schemas use instead of JSON Schema's (the
# Berkeley Function Calling Leaderboard writes ``dict``, ``float``, ``String``, ``HashMap``...).
# Keys are lower case; ``"any"`` means no type constraint at all.
_TYPE_ALIASES: Final[Mapping[str, str]] = {
    alias: json_type
    for json_type, aliases in {
        "string": "string str text char character varchar",
        "number": "number float double decimal real float32 float64 bigdecimal",
        "integer": "integer int long short byte bigint biginteger uint int8 int16 int32 int64 "
        "uint8 uint16 uint32 uint64",
        "boolean": "boolean bool",
        "null": "null none nil",
        "array": "array list tuple set arraylist linkedlist vector sequence hashset treeset "
        "frozenset iterable",
        "object": "object dict dictionary map hashmap treemap linkedhashmap record struct "
        "mapping hash",
        "any": "any mixed unknown",
    }.items()
    for alias in aliases.split()
}
_GENERIC_ARGS = re.compile(r"\s*[<\[].*$", re.DOTALL)  # ``List<String>``, ``dict[str, int]``


def json_type_name(name: Any) -> str | None:
    """The JSON Schema type that a ``type`` name stands for, or None when it is not known.

    JSON Schema's own names map to themselves; other languages' (``dict``, ``float``,
    ``String``, ``HashMap``, ``long``, ``List<String>``...) to the JSON type their values take;
    ``"any"`` (and the like) to ``"any"``, which means "no constraint".
    """
    if not isinstance(name, str):
        return None
    key = _GENERIC_ARGS.sub("", name.strip()).lower()
    return _TYPE_ALIASES.get(key)


def normalize_schema(schema: Any) -> Any:
    """``schema`` with every ``type`` written in JSON Schema's own names, for validators.

    Aliases from other languages become their JSON type (see :func:`json_type_name`); a type
    name nobody knows, and ``"any"``, become no constraint, so a validator such as
    ``jsonschema`` accepts the schema and still checks everything else in it. Returns
    ``schema`` itself when nothing needed changing; never raises, never mutates its input.
    The TypeScript conversion applies the same mapping on its own.
    """
    return _normalize(schema, 0)


def _normalize(schema: Any, depth: int) -> Any:
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return schema
    out = dict(schema)
    changed = False
    if "type" in schema:
        kind = _normalized_type(schema["type"])
        if kind is None:
            del out["type"]
            changed = True
        elif kind != schema["type"]:
            out["type"] = kind
            changed = True
    for keyword, shape in _SUBSCHEMA_KEYWORDS:
        value = schema.get(keyword)
        new: Any = value
        if shape == "map" and isinstance(value, Mapping):
            new = {k: _normalize(v, depth + 1) for k, v in value.items()}
            same = all(new[k] is v for k, v in value.items())
        elif shape in ("list", "one_or_list") and isinstance(value, list):
            new = [_normalize(v, depth + 1) for v in value]
            same = all(n is v for n, v in zip(new, value, strict=True))
        elif shape in ("one", "one_or_list") and isinstance(value, Mapping):
            new = _normalize(value, depth + 1)
            same = new is value
        else:
            continue
        if not same:
            out[keyword] = new
            changed = True
    return out if changed else schema


def _normalized_type(kind: Any) -> Any:
    """A ``type`` value in JSON Schema's names; None for no constraint (``any``, unknown)."""
    names = kind if isinstance(kind, list) else [kind]
    mapped: list[str] = []
    for name in names:
        json_name = json_type_name(name)
        if json_name is None or json_name == "any":
            return None
        if json_name not in mapped:
            mapped.append(json_name)
    if not mapped:
        return None
    return mapped if isinstance(kind, list) and len(mapped) > 1 else mapped[0]


def _matches_everything(schema: Any) -> bool:
    """Whether ``schema`` accepts every value (``true``, ``{}``, annotations only)."""
    return schema is True or (
        isinstance(schema, Mapping) and all(k in _ANNOTATION_KEYWORDS for k in schema)
    )


def _distribute(base: ObjectType, alternatives: TsType) -> TsType | None:
    """``base`` (an object's own properties) merged into each object branch of its
    ``anyOf``/``oneOf``, or None when no branch is an object literal.

    ``{ a } & ({ b } | { c })`` says the same as ``{ a; b } | { a; c }`` but reads worse, and
    when ``base`` is a bare ``Record<string, unknown>`` the intersection accepts every key the
    branches forbid. Branches that cannot be objects are dropped (``type: object`` rules them
    out); named or combined branches keep an intersection with the base unless it is bare.
    """
    members = alternatives.members if isinstance(alternatives, UnionType) else (alternatives,)
    bare = not base.properties and base.index == UNKNOWN and base.index_doc is None
    if not bare and not any(isinstance(m, ObjectType) for m in members):
        return None
    out: list[TsType] = []
    for member in members:
        if isinstance(member, ObjectType):
            out.append(_merge_objects(base, member))
        elif is_unknown(member):
            out.append(base)  # a branch that allows anything still leaves an object
        elif isinstance(member, Reference | IntersectionType):
            out.append(member if bare else intersection([base, member]))
        # other members (strings, arrays, null...) cannot be objects: dropped
    return union(out)


def _merge_objects(base: ObjectType, branch: ObjectType) -> ObjectType:
    """One object type with the properties of both (both constraints hold)."""
    own = {p.name: p for p in branch.properties}
    properties: list[Property] = []
    for p in base.properties:
        other = own.pop(p.name, None)
        if other is None:
            properties.append(p)
        else:
            properties.append(
                Property(
                    p.name,
                    intersection([p.type, other.type]),
                    optional=p.optional and other.optional,
                    doc=other.doc or p.doc,
                )
            )
    properties.extend(own.values())
    index = None
    if base.index is not None and branch.index is not None:
        index = intersection([base.index, branch.index])
        if index == NEVER and properties:
            index = None
    return ObjectType(tuple(properties), index, branch.index_doc or base.index_doc)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return (_is_int(value) and abs(value) < 10**30) or (
        isinstance(value, float) and math.isfinite(value)
    )


def _number_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _object_like(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return json_type_name(kind) == "object" or (
        kind is None and isinstance(schema.get("properties"), Mapping)
    )


def _subschemas(schema: Mapping[str, Any]) -> Iterator[Any]:
    for keyword, shape in _SUBSCHEMA_KEYWORDS:
        value = schema.get(keyword)
        if value is None:
            continue
        if shape == "map" and isinstance(value, Mapping):
            yield from value.values()
        elif shape in ("list", "one_or_list") and isinstance(value, list):
            yield from value
        elif shape in ("one", "one_or_list") and isinstance(value, Mapping):
            yield value


def _canonical(value: Any) -> str | None:
    try:
        return json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        return None


def _all_refs(value: Any) -> Iterator[str]:
    """Every string ``$ref`` anywhere in ``value`` (an over-approximation is fine here)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def schema_doc(schema: Any) -> Doc | None:
    """The JSDoc of a property whose schema is ``schema``: description, default, bounds..."""
    if not isinstance(schema, Mapping):
        return None
    description = schema.get("description")
    description = description.strip() if isinstance(description, str) else ""
    sources = [schema]
    # ``anyOf: [X, {type: null}]`` keeps X's constraints inside the branch (pydantic does this).
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list):
            non_null = [
                b for b in branches if not (isinstance(b, Mapping) and b.get("type") == "null")
            ]
            if len(non_null) == 1 and isinstance(non_null[0], Mapping):
                sources.append(non_null[0])
    tags: list[str] = []
    seen: set[str] = set()

    def add(tag: str) -> None:
        if tag not in seen:
            seen.add(tag)
            tags.append(tag)

    if schema.get("deprecated") is True:
        add("@deprecated")
    if "default" in schema and schema["default"] is not None:
        text = _json_text(schema["default"])
        if text is not None:
            add(f"@default {text}")
    for source in sources:
        fmt = source.get("format")
        if isinstance(fmt, str) and fmt:
            add(f"@format {fmt}")
        for keyword in _NUMERIC_TAGS:
            value = source.get(keyword)
            if _is_number(value):
                add(f"@{keyword} {_number_text(value)}")
        if source.get("uniqueItems") is True:
            add("@uniqueItems")
        pattern = source.get("pattern")
        if isinstance(pattern, str):
            text = js_string(pattern)[1:-1]
            add(f"@pattern {text if len(text) <= 120 else text[:119] + '…'}")
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        text = _json_text(examples[0])
        if text is not None:
            add(f"@example {text}")
    if not description and not tags:
        return None
    return Doc(description, tuple(tags))


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------


@dataclass
class _Root:
    """One JSON Schema document being converted (``$ref``\\ s resolve inside it)."""

    id: int
    doc: Any
    name_hint: str
    cache: dict[tuple[str, ...], TsType] = field(default_factory=dict)

    @property
    def base_uri(self) -> str | None:
        if isinstance(self.doc, Mapping):
            uri = self.doc.get("$id")
            if isinstance(uri, str):
                return uri.split("#", 1)[0]
        return None


@dataclass(frozen=True)
class TypeScriptSnippet:
    """One schema rendered on its own: the declarations it needs and its type expression."""

    declarations: str
    type: str


class TypeScriptBuilder:
    """Converts several JSON Schemas into type expressions sharing one set of declarations.

    Usage: :meth:`scan` every schema first (it finds titled object schemas that are reused and
    so deserve a name), then :meth:`convert` each one, then :meth:`declarations` /
    :meth:`render` / :meth:`render_declarations`. Conversion never raises.
    """

    def __init__(self, reserved_names: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(_GLOBAL_NAMES) | set(reserved_names)
        self._decls: list[NamedType] = []
        self._decl_index: dict[int, int] = {}
        self._alias: dict[int, int] = {}
        self._by_content: dict[tuple[str, Doc | None, TsType], int] = {}
        self._global_cache: dict[tuple[str, ...], TsType] = {}
        self._in_progress: dict[tuple[object, ...], int] = {}
        self._recursive: set[int] = set()
        self._title_counts: Counter[tuple[str, str]] = Counter()
        self._next_id = 0
        self._next_root = 0
        self._finalized: list[NamedType] | None = None

    # ---- public API -----------------------------------------------------------------------

    def scan(self, schema: Any) -> None:
        """Count titled object schemas below ``schema`` (not the root itself)."""
        stack: list[tuple[Any, int]] = []
        if isinstance(schema, Mapping):
            stack.extend((s, 1) for s in _subschemas(schema))
        while stack:
            node, depth = stack.pop()
            if not isinstance(node, Mapping) or depth > _MAX_DEPTH:
                continue
            key = self._title_key(node)
            if key is not None:
                self._title_counts[key] += 1
            stack.extend((s, depth + 1) for s in _subschemas(node))

    def convert(self, schema: Any, *, name_hint: str, named: bool = False) -> TsType:
        """The type of ``schema``. Its own object type is inlined unless it is recursive, or
        ``named`` is true and it has a ``title``. ``name_hint`` names a recursive root with no
        title."""
        self._finalized = None
        root = _Root(self._next_root, schema, name_hint)
        self._next_root += 1
        kind = "root"
        base = name_hint
        if isinstance(schema, Mapping):
            title = schema.get("title")
            if isinstance(title, str) and pascal_case(title):
                base = title
                if named:
                    kind = "named_root"
        return self._target(root, ("ptr",), schema, kind, base, None, 0)

    def declarations(self) -> list[NamedType]:
        """Every named declaration so far, in a dependency-friendly, deterministic order."""
        if self._finalized is None:
            self._finalized = self._finalize()
        return list(self._finalized)

    def resolve(self, t: TsType) -> TsType:
        """``t`` itself, or the body of the declaration when ``t`` is a :class:`Reference`."""
        seen: set[int] = set()
        while isinstance(t, Reference):
            target = self._canonical_id(t.target)
            if target in seen or target not in self._decl_index:
                return t
            seen.add(target)
            t = self.declarations()[self._decl_index[target]].type
        return t

    def render(self, t: TsType, indent: str = "", *, compact: bool = False) -> str:
        """TypeScript text of ``t``; continuation lines are indented relative to ``indent``.

        ``compact``: on one line, without JSDoc or comments (types only).
        """
        names = {d.id: d.name for d in self.declarations()}
        return _Renderer(names, self._canonical_id, compact=compact).render(t, indent)

    def render_declarations(self, *, compact: bool = False) -> str:
        """All declarations as TypeScript text (empty string when there are none).

        ``compact``: one line each, without JSDoc or comments, and no blank line between.
        """
        decls = self.declarations()
        renderer = _Renderer({d.id: d.name for d in decls}, self._canonical_id, compact=compact)
        return ("" if compact else "\n").join(renderer.declaration(d) for d in decls)

    # ---- targets (things that may become named declarations) -------------------------------

    def _target(
        self,
        root: _Root,
        local: tuple[str, ...],
        value: Any,
        kind: str,
        base: str,
        global_key: tuple[str, ...] | None,
        depth: int,
    ) -> TsType:
        cached = root.cache.get(local)
        if cached is not None:
            return cached
        progress_key: tuple[object, ...] = (root.id, *local)
        if progress_key in self._in_progress:
            decl_id = self._in_progress[progress_key]
            self._recursive.add(decl_id)
            return Reference(decl_id)
        if global_key is not None and global_key in self._global_cache:
            result = self._global_cache[global_key]
            root.cache[local] = result
            return result

        decl_id = self._next_id
        self._next_id += 1
        self._in_progress[progress_key] = decl_id
        try:
            body = self._convert(root, value, depth + 1, allow_title=False)
        finally:
            del self._in_progress[progress_key]

        if decl_id in self._recursive:
            inline = False
        elif kind == "root":
            inline = True
        elif kind == "named_root":
            inline = not isinstance(body, ObjectType)
        elif kind == "ref":
            inline = not _contains(body, lambda n: isinstance(n, ObjectType))
        else:  # "title": a reused titled object
            inline = False
        if inline:
            result = body
        else:
            doc = None
            if isinstance(value, Mapping):
                description = value.get("description")
                if isinstance(description, str) and description.strip():
                    doc = Doc(description.strip())
            result = self._declare(decl_id, base, body, doc)
        root.cache[local] = result
        if global_key is not None:
            self._global_cache[global_key] = result
        return result

    def _declare(self, decl_id: int, base: str, body: TsType, doc: Doc | None) -> Reference:
        self._finalized = None
        body = _transform(body, lambda r: Reference(self._canonical_id(r.target)))
        name_base = pascal_case(base) or "Type"
        content = _transform(body, lambda r: _SELF if r.target == decl_id else r)
        existing = self._by_content.get((name_base, doc, content))
        if existing is not None:
            self._alias[decl_id] = existing
            return Reference(existing)
        name = name_base
        counter = 1
        while name in self._taken:
            counter += 1
            name = f"{name_base}{counter}"
        self._taken.add(name)
        self._by_content[(name_base, doc, content)] = decl_id
        self._decl_index[decl_id] = len(self._decls)
        self._decls.append(NamedType(decl_id, name, body, doc))
        return Reference(decl_id)

    def _canonical_id(self, decl_id: int) -> int:
        seen = set()
        while decl_id in self._alias and decl_id not in seen:
            seen.add(decl_id)
            decl_id = self._alias[decl_id]
        return decl_id

    def _finalize(self) -> list[NamedType]:
        decls = [
            NamedType(
                d.id,
                d.name,
                _transform(d.type, lambda r: Reference(self._canonical_id(r.target))),
                d.doc,
            )
            for d in self._decls
        ]
        # TypeScript rejects type aliases that reach themselves through unions/intersections
        # only (``type A = B | string; type B = A | number``). Cut such cycles, deterministically.
        aliases = {d.id: i for i, d in enumerate(decls) if not isinstance(d.type, ObjectType)}
        state: dict[int, int] = {}  # 1 = on the DFS stack, 2 = done

        def visit(decl_id: int) -> None:
            state[decl_id] = 1
            for target in list(dict.fromkeys(_direct_refs(decls[aliases[decl_id]].type))):
                if target not in aliases:
                    continue
                if state.get(target) == 1:
                    i = aliases[decl_id]
                    d = decls[i]
                    kept = _drop_direct(d.type, target)
                    body = UnknownType("circular type reference") if kept is None else kept
                    decls[i] = NamedType(d.id, d.name, body, d.doc)
                elif target not in state:
                    visit(target)
            state[decl_id] = 2

        for decl_id in aliases:
            if decl_id not in state:
                visit(decl_id)
        return decls

    # ---- conversion ------------------------------------------------------------------------

    def _title_key(self, schema: Mapping[str, Any]) -> tuple[str, str] | None:
        title = schema.get("title")
        if not isinstance(title, str) or not pascal_case(title) or "$ref" in schema:
            return None
        properties = schema.get("properties")
        if not (_object_like(schema) and isinstance(properties, Mapping) and properties):
            return None
        canonical = _canonical(schema)
        return None if canonical is None else (title, canonical)

    def _convert(self, root: _Root, schema: Any, depth: int, *, allow_title: bool = True) -> TsType:
        if depth > _MAX_DEPTH:
            return UnknownType("schema nested too deeply")
        if schema is True:
            return UNKNOWN
        if schema is False:
            return NEVER
        if not isinstance(schema, Mapping):
            return UnknownType(f"not a schema: {_json_kind(schema)}")

        if allow_title:
            key = self._title_key(schema)
            if key is not None and self._title_counts[key] >= 2:
                closure = self._closure_key(root, schema)
                global_key = None if closure is None else ("title", key[0], closure)
                return self._target(
                    root, ("title", key[1]), schema, "title", key[0], global_key, depth
                )

        if _matches_everything(schema.get("not", False)):
            return NEVER  # ``{"not": {}}`` matches nothing: an anyOf/oneOf drops such a branch

        parts: list[TsType] = []
        if "$ref" in schema:
            parts.append(self._ref(root, schema["$ref"], depth))
        typed: TsType | None = None
        if "const" in schema:
            parts.append(self._literal(schema["const"], depth))
        elif "enum" in schema:
            values = schema["enum"]
            if isinstance(values, list):
                parts.append(union(self._literal(v, depth) for v in values))
            else:
                parts.append(UnknownType("invalid enum"))
        else:
            typed = self._typed(root, schema, depth)
        alternatives: list[TsType] = []
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                branches = schema[keyword]
                if isinstance(branches, list):
                    alternatives.append(union(self._convert(root, b, depth + 1) for b in branches))
                else:
                    alternatives.append(UnknownType(f"invalid {keyword}"))
        if isinstance(typed, ObjectType) and alternatives:
            distributed = _distribute(typed, alternatives[0])
            if distributed is not None:
                typed, alternatives = distributed, alternatives[1:]
        if typed is not None:
            parts.append(typed)
        parts.extend(alternatives)
        if "allOf" in schema:
            branches = schema["allOf"]
            if isinstance(branches, list):
                parts.extend(self._convert(root, b, depth + 1) for b in branches)
        result = intersection(parts)
        if result == UNKNOWN:
            unsupported = [k for k in _UNSUPPORTED_KEYWORDS if k in schema]
            if unsupported:
                result = UnknownType("unsupported: " + ", ".join(unsupported))
        if schema.get("nullable") is True:
            result = union([result, NULL])
        return result

    def _typed(self, root: _Root, schema: Mapping[str, Any], depth: int) -> TsType | None:
        kind = schema.get("type")
        if kind is None:
            if any(k in schema for k in _OBJECT_KEYWORDS):
                kinds: list[Any] = ["object"]
            elif any(k in schema for k in _ARRAY_KEYWORDS):
                kinds = ["array"]
            else:
                return None
        elif isinstance(kind, str):
            kinds = [kind]
        elif isinstance(kind, list) and kind:
            kinds = kind
        else:
            return UnknownType("invalid type")
        members: list[TsType] = []
        for raw_name in kinds:
            name = json_type_name(raw_name) or raw_name
            if name == "string":
                members.append(STRING)
            elif name in ("number", "integer"):
                members.append(NUMBER)
            elif name == "boolean":
                members.append(BOOLEAN)
            elif name == "null":
                members.append(NULL)
            elif name == "array":
                members.append(self._array(root, schema, depth))
            elif name == "object":
                members.append(self._object(root, schema, depth))
            elif name == "any":
                members.append(UNKNOWN)
            else:
                text = _json_text(raw_name, limit=40) or "?"
                members.append(UnknownType(f"unsupported type {text}"))
        return union(members)

    def _array(self, root: _Root, schema: Mapping[str, Any], depth: int) -> TsType:
        prefix = schema.get("prefixItems")
        items = schema.get("items", True)
        if isinstance(prefix, list):
            tuple_items: list[Any] | None = prefix
            rest_schema = items
            if "items" not in schema:
                rest_schema = False
        elif isinstance(items, list):
            tuple_items = items
            rest_schema = schema.get("additionalItems", False)
        else:
            tuple_items = None
            rest_schema = None
        if tuple_items is None:
            if items is False:
                return TupleType((), 0)
            return ArrayType(self._convert(root, items, depth + 1))

        elems = [self._convert(root, s, depth + 1) for s in tuple_items]
        max_items = schema.get("maxItems")
        if _is_int(max_items) and 0 <= max_items < len(elems):
            elems = elems[:max_items]
            rest_schema = False
        min_items = schema.get("minItems")
        required = len(elems)
        if _is_int(min_items):
            required = max(0, min(min_items, len(elems)))
        rest = None if rest_schema is False else self._convert(root, rest_schema, depth + 1)
        if rest == NEVER:
            rest = None
        if not elems and rest is not None:
            return ArrayType(rest)
        return TupleType(tuple(elems), required, rest)

    def _object(self, root: _Root, schema: Mapping[str, Any], depth: int) -> TsType:
        declared = schema.get("properties")
        required_raw = schema.get("required")
        required: list[str] = []
        if isinstance(required_raw, list):
            required = [r for r in required_raw if isinstance(r, str)]
        properties: list[Property] = []
        names: set[str] = set()
        if isinstance(declared, Mapping):
            for raw_name, sub in declared.items():
                name = str(raw_name)
                if name in names:
                    continue
                names.add(name)
                properties.append(
                    Property(
                        name,
                        self._convert(root, sub, depth + 1),
                        optional=name not in required,
                        doc=schema_doc(sub),
                    )
                )
        for name in dict.fromkeys(required):
            if name not in names:
                names.add(name)
                properties.append(Property(name, UNKNOWN))

        index_types: list[TsType] = []
        index_doc: Doc | None = None
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping) and patterns:
            index_types.extend(self._convert(root, s, depth + 1) for s in patterns.values())
            shown = ", ".join(_json_text(str(p), limit=60) or "?" for p in patterns)
            index_doc = Doc(f"Keys matching {shown}.")
        additional = schema.get("additionalProperties", None)
        if additional is None:
            if not isinstance(declared, Mapping) and not properties and not index_types:
                index_types.append(UNKNOWN)
        elif additional is not False:
            index_types.append(self._convert(root, additional, depth + 1))
        index = union(index_types) if index_types else None
        if index is None and additional is False and not properties:
            index = NEVER  # a closed object with no properties: only ``{}``
        elif index == NEVER and properties:
            index = None
        return ObjectType(tuple(properties), index, index_doc)

    def _literal(self, value: Any, depth: int) -> TsType:
        if depth > _MAX_DEPTH:
            return UnknownType("value nested too deeply")
        if value is None:
            return NULL
        if isinstance(value, bool):
            return LiteralType("true" if value else "false")
        if _is_int(value) or isinstance(value, float):
            return LiteralType(_number_text(value)) if _is_number(value) else NUMBER
        if isinstance(value, str):
            return LiteralType(js_string(value))
        if isinstance(value, list):
            items = tuple(self._literal(v, depth + 1) for v in value)
            return TupleType(items, len(items))
        if isinstance(value, Mapping):
            return ObjectType(
                tuple(Property(str(k), self._literal(v, depth + 1)) for k, v in value.items())
            )
        return UnknownType(f"not a JSON value: {_json_kind(value)}")

    # ---- $ref -------------------------------------------------------------------------------

    def _ref(self, root: _Root, ref: Any, depth: int) -> TsType:
        if not isinstance(ref, str):
            return UnknownType("invalid $ref")
        resolved = self._resolve_pointer(root, ref)
        if isinstance(resolved, str):
            return UnknownType(resolved)
        segments, value = resolved
        base = self._ref_name(root, segments, value)
        closure = self._closure_key(root, value)
        global_key = None if closure is None else ("ref", base, closure)
        return self._target(root, ("ptr", *segments), value, "ref", base, global_key, depth)

    def _resolve_pointer(self, root: _Root, ref: str) -> tuple[tuple[str, ...], Any] | str:
        shown = _inline_comment(ref, limit=60)
        base, hash_sign, fragment = ref.partition("#")
        if base and base != root.base_uri:
            return f"unsupported external $ref {shown}"
        fragment = urllib.parse.unquote(fragment) if hash_sign else ""
        if fragment and not fragment.startswith("/"):
            return f"unsupported $ref {shown}"
        segments = tuple(s.replace("~1", "/").replace("~0", "~") for s in fragment.split("/")[1:])
        node = root.doc
        for segment in segments:
            if isinstance(node, Mapping) and segment in node:
                node = node[segment]
            elif (
                isinstance(node, list)
                and segment.isascii()
                and segment.isdigit()
                and int(segment) < len(node)
            ):
                node = node[int(segment)]
            else:
                return f"unresolved $ref {shown}"
        return segments, node

    def _ref_name(self, root: _Root, segments: tuple[str, ...], value: Any) -> str:
        title = value.get("title") if isinstance(value, Mapping) else None
        good_title = (
            isinstance(title, str)
            and pascal_case(title)
            and len(title) <= _MAX_NAME
            and not any(c.isspace() for c in title)
        )
        if good_title:
            return str(title)
        if (
            len(segments) >= 2
            and segments[-2] in ("$defs", "definitions")
            and pascal_case(segments[-1])
        ):
            return segments[-1]
        if isinstance(title, str) and pascal_case(title):
            return title
        if not segments:
            return root.name_hint
        last = segments[-1]
        return last if pascal_case(last) and not last.isdigit() else "Type"

    def _closure_key(self, root: _Root, value: Any) -> str | None:
        """A string equal for two (document, sub-schema) pairs exactly when the sub-schema and
        everything it references are identical, so conversions can be shared across documents."""
        first = _canonical(value)
        if first is None:
            return None
        seen: dict[str, str] = {}
        todo = [value]
        while todo:
            for ref in _all_refs(todo.pop()):
                if ref in seen:
                    continue
                resolved = self._resolve_pointer(root, ref)
                if isinstance(resolved, str):
                    seen[ref] = ""
                    continue
                text = _canonical(resolved[1])
                if text is None:
                    return None
                seen[ref] = text
                todo.append(resolved[1])
        refs = _canonical(sorted(seen.items()))
        return None if refs is None else f"{first}\n{refs}"


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return type(value).__name__


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


class _Renderer:
    """Text of types and declarations; ``compact``: one line each, no JSDoc or comments."""

    def __init__(
        self, names: Mapping[int, str], canonical: Callable[[int], int], *, compact: bool = False
    ) -> None:
        self._names = names
        self._canonical = canonical
        self._compact = compact

    def declaration(self, decl: NamedType) -> str:
        lines = render_doc(decl.doc, "") if decl.doc is not None and not self._compact else []
        if isinstance(decl.type, ObjectType):
            lines.append(f"interface {decl.name} {self._object(decl.type, '', block=True)}")
        else:
            lines.append(f"type {decl.name} = {self.render(decl.type, '', direct=True)};")
        return "\n".join(lines) + "\n"

    def render(self, t: TsType, indent: str, *, direct: bool = False) -> str:
        """``direct``: ``t`` sits where a type alias's body is resolved eagerly by tsc."""
        if isinstance(t, Keyword):
            return t.name
        if isinstance(t, UnknownType):
            return "unknown" if self._compact else f"unknown /* {_inline_comment(t.comment)} */"
        if isinstance(t, LiteralType):
            return t.text
        if isinstance(t, Reference):
            name = self._names.get(self._canonical(t.target))
            return name if name is not None else "unknown /* dangling reference */"
        if isinstance(t, ArrayType):
            return f"{self._operand(t.item, indent, ArrayType)}[]"
        if isinstance(t, TupleType):
            parts = []
            for i, item in enumerate(t.items):
                if i < t.required:
                    parts.append(self.render(item, indent))
                else:
                    parts.append(f"{self._operand(item, indent, TupleType)}?")
            if t.rest is not None:
                parts.append(f"...{self._operand(t.rest, indent, ArrayType)}[]")
            return "[" + ", ".join(parts) + "]"
        if isinstance(t, UnionType):
            return " | ".join(self._operand(m, indent, UnionType, direct) for m in t.members)
        if isinstance(t, IntersectionType):
            return " & ".join(self._operand(m, indent, IntersectionType, direct) for m in t.members)
        if isinstance(t, ObjectType):
            return self._object(t, indent, block=False, direct=direct)
        return "unknown /* unsupported type node */"

    def _operand(self, t: TsType, indent: str, context: type[TsType], direct: bool = False) -> str:
        text = self.render(t, indent, direct=direct)
        if context is UnionType:
            needs = isinstance(t, IntersectionType)
        elif context is IntersectionType:
            needs = isinstance(t, UnionType)
        else:  # array element, optional tuple element
            needs = isinstance(t, UnionType | IntersectionType | UnknownType) or (
                isinstance(t, LiteralType) and t.text.startswith("-")
            )
        return f"({text})" if needs else text

    def _object(self, t: ObjectType, indent: str, *, block: bool, direct: bool = False) -> str:
        has_props = bool(t.properties)
        index_hidden = has_props and t.index is not None and not is_unknown(t.index)
        if not block and not has_props and t.index is not None and t.index_doc is None:
            value = self.render(t.index, indent)
            if "\n" not in value:
                if direct and _contains(t.index, lambda n: isinstance(n, Reference)):
                    # ``type A = Record<string, A>`` is circular for tsc; a literal is not.
                    return f"{{ [key: string]: {value} }}"
                return f"Record<string, {value}>"
        if self._compact:
            parts = [
                f"{property_key(p.name)}{'?' if p.optional else ''}: {self.render(p.type, indent)}"
                for p in t.properties
            ]
            if t.index is not None:
                value = "unknown" if index_hidden else self.render(t.index, indent)
                parts.append(f"[key: string]: {value}")
            return "{ " + "; ".join(parts) + " }" if parts else "{}"
        if (
            not block
            and t.index_doc is None
            and not index_hidden
            and all(p.doc is None for p in t.properties)
        ):
            parts = [
                f"{property_key(p.name)}{'?' if p.optional else ''}: {self.render(p.type, indent)}"
                for p in t.properties
            ]
            if t.index is not None:
                parts.append(f"[key: string]: {self.render(t.index, indent)}")
            if not parts:
                return "{}"
            text = "{ " + "; ".join(parts) + " }"
            if "\n" not in text and len(indent) + len(text) <= _INLINE_WIDTH:
                return text
        if not has_props and t.index is None:
            return "{}"
        inner = indent + "  "
        lines = ["{"]
        for p in t.properties:
            optional = "?" if p.optional else ""
            member = f"{property_key(p.name)}{optional}: {self.render(p.type, inner)};"
            jsdoc = render_doc(p.doc, inner) if p.doc is not None else []
            if len(jsdoc) == 1 and "\n" not in member and len(jsdoc[0]) + 1 + len(member) <= _WIDTH:
                lines.append(f"{jsdoc[0]} {member}")  # short JSDoc and member on one line
            else:
                lines.extend(jsdoc)
                lines.append(inner + member)
        if t.index is not None:
            doc = t.index_doc
            value = self.render(t.index, inner)
            if index_hidden:
                # A typed index signature would have to accept every property's type too.
                note = f"Other keys hold values of type {value}."
                description = f"{doc.description} {note}" if doc is not None else note
                doc = Doc(description)
                value = "unknown"
            if doc is not None:
                lines.extend(render_doc(doc, inner))
            lines.append(f"{inner}[key: string]: {value};")
        lines.append(indent + "}")
        return "\n".join(lines)


def schema_to_typescript(schema: Any, *, name: str = "Root") -> TypeScriptSnippet:
    """Convert one schema on its own (handy for tests and debugging)."""
    builder = TypeScriptBuilder()
    builder.scan(schema)
    t = builder.convert(schema, name_hint=name)
    return TypeScriptSnippet(builder.render_declarations(), builder.render(t))
