"""The TypeScript declarations of the whole tool API a script is written against.

This module owns the *layout* of the declaration text the model reads: the shared named types
first, then one ``declare const tools: { ... }`` block with a JSDoc'd method per tool, in the
order given. Input objects are inlined in each method's signature (their properties carry the
JSDoc); an unknown output becomes ``Promise<unknown>`` with a note to inspect it at runtime;
a learned one (``learned_from``) says it was learned and may be incomplete. A compact form of
the same API (no documentation, one line per named type and per tool) is there for toolsets
too large to show in full. Identical input → byte-identical output.

It works on plain :class:`ToolSignature` values and must not know about LangChain objects, how
tool identifiers are computed (the caller does that), how output schemas are found
(``output_types.py``), or the details of JSON Schema (``schema.py``). It does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_codemode.typescript.learned import learned_note
from langchain_codemode.typescript.schema import (
    UNKNOWN,
    Doc,
    ObjectType,
    Reference,
    TsType,
    TypeScriptBuilder,
    UnknownType,
    is_unknown,
    pascal_case,
    property_key,
    render_doc,
)

__all__ = ["ToolSignature", "render_declarations"]

_INDENT = "  "
_UNKNOWN_OUTPUT_NOTE = "@returns An unknown shape: inspect it at runtime before relying on it."


@dataclass(frozen=True)
class ToolSignature:
    """What the declarations need to know about one tool."""

    identifier: str  # JS identifier already computed by the caller
    name: str  # original tool name
    description: str
    input_schema: Mapping[str, Any]  # JSON Schema of the args object (may be {} or lack "type")
    output_schema: Mapping[str, Any] | None  # None = unknown
    namespace: str | None = None  # declared as tools.<namespace>.<identifier>
    learned_from: int | None = None  # output_schema was learned from this many results


def render_declarations(
    tools: Sequence[ToolSignature],
    *,
    compact: bool = False,
    extra_members: Sequence[str] = (),
) -> str:
    """TypeScript declarations for ``tools``: named types, then ``declare const tools``.

    ``compact``: the same API without documentation: each named type and each tool on one
    line, with its argument names and types and its result type. ``extra_members`` are member
    lines (without indentation) put first in the ``tools`` block, e.g. functions a host adds
    beside the tools.
    """
    builder = TypeScriptBuilder(reserved_names=("Tools",))
    for sig in tools:
        builder.scan(sig.input_schema)
        if sig.output_schema is not None:
            builder.scan(sig.output_schema)

    methods: list[tuple[ToolSignature, TsType, TsType | None]] = []
    for sig in tools:
        hint = pascal_case(sig.identifier) or "Tool"
        input_type = _convert(builder, sig.input_schema, f"{hint}Args", named=False)
        output_type = None
        if sig.output_schema is not None:
            output_type = _convert(builder, sig.output_schema, f"{hint}Result", named=True)
        methods.append((sig, input_type, output_type))

    method = _compact_method if compact else _method
    parts: list[str] = []
    named = builder.render_declarations(compact=compact)
    if named:
        parts.append(named)
    lines = ["declare const tools: {"]
    lines.extend(f"{_INDENT}{member}" for member in extra_members)
    namespaces: dict[str, list[str]] = {}
    for sig, input_type, output_type in methods:
        if sig.namespace is None:
            lines.extend(method(builder, sig, input_type, output_type, _INDENT))
        else:
            namespaces.setdefault(sig.namespace, []).extend(
                method(builder, sig, input_type, output_type, _INDENT * 2)
            )
    for namespace, members in namespaces.items():
        lines.append(f"{_INDENT}{property_key(namespace)}: {{")
        lines.extend(members)
        lines.append(f"{_INDENT}}};")
    lines.append("};")
    parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _convert(builder: TypeScriptBuilder, schema: Any, hint: str, *, named: bool) -> TsType:
    try:
        return builder.convert(schema, name_hint=hint, named=named)
    except Exception:  # a safety net: schema.py is meant never to raise
        return UnknownType("schema could not be converted")


def _method(
    builder: TypeScriptBuilder,
    sig: ToolSignature,
    input_type: TsType,
    output_type: TsType | None,
    indent: str,
) -> list[str]:
    description = sig.description.strip() if isinstance(sig.description, str) else ""
    tags = _output_tags(sig.output_schema, output_type)
    if sig.learned_from is not None:
        tags = (f"@returns {learned_note(sig.learned_from)}",)
    lines = render_doc(Doc(description, tags), indent) if description or tags else []

    if input_type == UNKNOWN:  # ``{}``: any arguments
        args_text = "Record<string, unknown>"
    else:
        args_text = builder.render(input_type, indent)
    optional = "?" if _args_optional(builder, input_type) else ""
    output_text = "unknown" if output_type is None else builder.render(output_type, indent)
    key = property_key(sig.identifier)
    lines.append(f"{indent}{key}(args{optional}: {args_text}): Promise<{output_text}>;")
    return lines


def _output_tags(schema: Mapping[str, Any] | None, output_type: TsType | None) -> tuple[str, ...]:
    """``@returns``: a note on an unknown result, or the output schema's own description
    (a named result type carries that on its declaration instead)."""
    if output_type is None or is_unknown(output_type):
        return (_UNKNOWN_OUTPUT_NOTE,)
    description = schema.get("description") if isinstance(schema, Mapping) else None
    if (
        isinstance(description, str)
        and description.strip()
        and not isinstance(output_type, Reference)
    ):
        return (f"@returns {' '.join(description.split())}",)
    return ()


def _compact_method(
    builder: TypeScriptBuilder,
    sig: ToolSignature,
    input_type: TsType,
    output_type: TsType | None,
    indent: str,
) -> list[str]:
    if input_type == UNKNOWN:
        args_text = "Record<string, unknown>"
    else:
        args_text = builder.render(input_type, compact=True)
    optional = "?" if _args_optional(builder, input_type) else ""
    output_text = "unknown" if output_type is None else builder.render(output_type, compact=True)
    key = property_key(sig.identifier)
    return [f"{indent}{key}(args{optional}: {args_text}): Promise<{output_text}>;"]


def _args_optional(builder: TypeScriptBuilder, input_type: TsType) -> bool:
    """``args?`` when an empty call is valid: an object with no required property, or unknown."""
    resolved = builder.resolve(input_type)
    if is_unknown(resolved):
        return True
    if isinstance(resolved, ObjectType):
        return all(p.optional for p in resolved.properties)
    return False
