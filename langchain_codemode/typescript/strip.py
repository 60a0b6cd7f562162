"""Turning a model-written TypeScript script into JavaScript that V8 can run, in place.

This module owns the TypeScript-to-JavaScript step of the sandbox. Type syntax is *blanked*:
every removed character becomes a space and every line break stays, so each piece of kept code
keeps its line and its column, and the line and column in a V8 error point at what the model
wrote. Columns are counted in UTF-16 code units, as V8 counts them, so a character outside the
Basic Multilingual Plane that is blanked becomes two spaces.

The only construct rewritten rather than blanked is ``enum``, because it has a runtime value: it
becomes a ``var`` holding an object built like tsc builds one (with the reverse mapping of
numeric members), laid out on the enum's own lines. Constructs that cannot be removed in place
(value namespaces, constructor parameter properties, ...) raise
:class:`~langchain_codemode.errors.TypeScriptSyntaxError`; plain JavaScript syntax errors are left
for V8 to report.

The script is the *body* of an async function (top-level ``await`` and ``return`` are allowed), so
it is parsed wrapped in an async function header written on its first line.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tree_sitter
import tree_sitter_typescript

from langchain_codemode.errors import TypeScriptSyntaxError

__all__ = ["StrippedScript", "strip_types"]


@dataclass(frozen=True)
class StrippedScript:
    """The JavaScript made from one script, and how the caller should run it."""

    js: str
    """Same number of lines as the source; kept code stays at the same line and column."""
    is_async_arrow: bool
    """The whole script is one ``async`` arrow function: call it rather than wrap it as a body."""


# --- parsing -------------------------------------------------------------------------------------

# The wrapper sits on the script's first line, so only first-line columns shift (by its length),
# and line numbers match the script's.
_WRAPPER_HEAD = b"async function __cm__() {"
_WRAPPER_TAIL = b"\n}"

# One query finds every node the stripper acts on; running it in C is far cheaper than walking
# the whole tree in Python, and most nodes of a script are plain JavaScript.
_QUERY_SOURCE = """
[
  (type_annotation) (type_parameters) (type_arguments)
  (type_predicate_annotation) (asserts_annotation)
  (omitting_type_annotation) (adding_type_annotation) (opting_type_annotation)
  (interface_declaration) (type_alias_declaration) (ambient_declaration)
  (function_signature) (method_signature) (abstract_method_signature) (index_signature)
  (implements_clause) (override_modifier)
] @whole
(public_field_definition (accessibility_modifier) @whole)
(method_definition (accessibility_modifier) @whole)
(public_field_definition ["declare" "abstract"]) @whole
(import_statement "type") @whole
(export_statement "type") @whole
(optional_parameter "?" @token)
(variable_declarator "!" @token)
(public_field_definition ["?" "!" "readonly"] @token)
(method_definition "?" @token)
(non_null_expression "!" @token)
(abstract_class_declaration "abstract" @token)
(as_expression "as" @from_keyword)
(satisfies_expression "satisfies" @from_keyword)
(export_statement) @export
(required_parameter [(accessibility_modifier) (override_modifier) "readonly"] @parameter_property)
(optional_parameter [(accessibility_modifier) (override_modifier) "readonly"] @parameter_property)
(required_parameter pattern: (this)) @this_parameter
(arrow_function return_type: (_)) @arrow
(enum_declaration) @enum
[(internal_module) (module)] @namespace
"""

_lock = threading.Lock()
_state: tuple[tree_sitter.Parser, tree_sitter.Query] | None = None


def _parser_and_query() -> tuple[tree_sitter.Parser, tree_sitter.Query]:
    """Build the TypeScript parser and the query once, on first use."""
    global _state
    if _state is None:
        language = tree_sitter.Language(tree_sitter_typescript.language_typescript())
        _state = (tree_sitter.Parser(language), tree_sitter.Query(language, _QUERY_SOURCE))
    return _state


def _parse(source: bytes) -> tree_sitter.Tree:
    # A Parser is not safe to use from two threads at once; parsing a script takes about a
    # millisecond, so serialising the parses costs little.
    with _lock:
        parser, _ = _parser_and_query()
        return parser.parse(source)


# --- public entry point --------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def strip_types(source: str) -> StrippedScript:
    """Blank the TypeScript syntax of ``source`` (an async function body) and rewrite its enums.

    Raises :class:`TypeScriptSyntaxError` only for TypeScript that cannot be removed in place;
    anything tree-sitter cannot parse is stripped as far as it is recognised and left for V8.
    Results are cached: a script resumed after an interrupt runs again from the start.
    """
    source_bytes = source.encode("utf-8")
    tree = _parse(_WRAPPER_HEAD + source_bytes + _WRAPPER_TAIL)
    _, query = _parser_and_query()
    captures = tree_sitter.QueryCursor(query).captures(tree.root_node)
    edits = _Edits(source_bytes)
    if captures:
        _collect_edits(captures, edits)
    js = edits.render() if edits.changed else source
    return StrippedScript(js=js, is_async_arrow=_is_async_arrow(source))


# --- positions and edits -------------------------------------------------------------------------

_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")
_NOT_LINE_BREAK = re.compile("[^\n\r\u2028\u2029]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# bytes.translate table turning every ASCII byte except CR and LF into a space.
_ASCII_BLANKING = bytes(c if c in (0x0A, 0x0D) else 0x20 for c in range(256))


def _utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _blank(segment: bytes) -> bytes:
    """Spaces for ``segment``, keeping its line breaks and its width in UTF-16 code units."""
    if segment.isascii():
        return segment.translate(_ASCII_BLANKING)
    text = _ASTRAL.sub("  ", segment.decode("utf-8"))
    return _NOT_LINE_BREAK.sub(" ", text).encode("utf-8")


class _Edits:
    """Byte ranges of the source to blank, and enum ranges to replace, in source coordinates."""

    def __init__(self, source_bytes: bytes) -> None:
        self.source_bytes = source_bytes
        self.shift = len(_WRAPPER_HEAD)
        self._blanks: list[tuple[int, int]] = []
        self._merged: list[tuple[int, int]] | None = None
        self.replacements: list[tuple[int, int, bytes]] = []
        self.errors: list[tuple[int, str]] = []

    @property
    def changed(self) -> bool:
        return bool(self._blanks or self.replacements)

    def start(self, node: tree_sitter.Node) -> int:
        return self._clip(node.start_byte)

    def end(self, node: tree_sitter.Node) -> int:
        return self._clip(node.end_byte)

    def _clip(self, wrapped_offset: int) -> int:
        # Broken code can end the wrapper early; nothing outside the script is ever edited.
        return min(max(wrapped_offset - self.shift, 0), len(self.source_bytes))

    def blank(self, start: int, end: int) -> None:
        if start < end:
            self._blanks.append((start, end))
            self._merged = None

    def blank_node(self, node: tree_sitter.Node) -> None:
        self.blank(self.start(node), self.end(node))

    def error(self, node: tree_sitter.Node, message: str) -> None:
        self.errors.append((self.start(node), message))

    def merged_blanks(self) -> list[tuple[int, int]]:
        """The blank ranges sorted, with overlapping and nested ranges joined."""
        if self._merged is None:
            merged: list[tuple[int, int]] = []
            for start, end in sorted(self._blanks):
                if merged and start <= merged[-1][1]:
                    if end > merged[-1][1]:
                        merged[-1] = (merged[-1][0], end)
                else:
                    merged.append((start, end))
            self._merged = merged
        return self._merged

    def is_blanked(self, node: tree_sitter.Node) -> bool:
        """Whether ``node`` lies inside blanked code (say, a ``declare`` block or a type)."""
        merged = self.merged_blanks()
        start, end = self.start(node), self.end(node)
        index = bisect.bisect_right(merged, (start, len(self.source_bytes) + 1)) - 1
        return index >= 0 and merged[index][0] <= start and end <= merged[index][1]

    def render_range(self, start: int, end: int) -> bytes:
        """The bytes ``start:end`` of the source with the blank ranges applied."""
        merged = self.merged_blanks()
        pieces: list[bytes] = []
        position = start
        index = max(bisect.bisect_right(merged, (start, len(self.source_bytes) + 1)) - 1, 0)
        for blank_start, blank_end in merged[index:]:
            if blank_start >= end:
                break
            blank_start, blank_end = max(blank_start, position), min(blank_end, end)
            if blank_start >= blank_end:
                continue
            pieces.append(self.source_bytes[position:blank_start])
            pieces.append(_blank(self.source_bytes[blank_start:blank_end]))
            position = blank_end
        pieces.append(self.source_bytes[position:end])
        return b"".join(pieces)

    def render(self) -> str:
        pieces: list[bytes] = []
        position = 0
        for start, end, replacement in sorted(self.replacements):
            pieces.append(self.render_range(position, start))
            pieces.append(replacement)
            position = end
        pieces.append(self.render_range(position, len(self.source_bytes)))
        return b"".join(pieces).decode("utf-8")

    def line_and_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in UTF-16 code units, like V8) of a source byte offset."""
        before = self.source_bytes[:offset].decode("utf-8", errors="replace")
        breaks = list(_LINE_BREAK.finditer(before))
        line_start = breaks[-1].end() if breaks else 0
        return len(breaks) + 1, _utf16_length(before[line_start:]) + 1


# --- what to strip -------------------------------------------------------------------------------


def _collect_edits(captures: dict[str, list[tree_sitter.Node]], edits: _Edits) -> None:
    """Turn the query captures into blank ranges, enum rewrites and unsupported-syntax errors."""
    # Whole-node blanks go first: the checks below skip whatever lies inside them, such as the
    # parameters of a function type or a class inside `declare`.
    for node in captures.get("whole", ()):
        edits.blank_node(node)
    for node in captures.get("namespace", ()):
        _strip_namespace(node, edits)
    for node in captures.get("token", ()):
        edits.blank_node(node)
    for keyword in captures.get("from_keyword", ()):
        _blank_from_keyword(keyword, edits)
    for node in captures.get("export", ()):
        _strip_export_keyword(node, edits)
    for node in captures.get("parameter_property", ()):
        if not edits.is_blanked(node):
            edits.error(
                node,
                "TypeScript parameter properties are not supported; declare the field in the "
                "class and assign it in the constructor body",
            )
    for node in captures.get("this_parameter", ()):
        if not edits.is_blanked(node):
            _blank_this_parameter(node, edits)
    for node in captures.get("arrow", ()):
        if not edits.is_blanked(node):
            _check_arrow_return_type(node, edits)
    for node in captures.get("enum", ()):
        if not edits.is_blanked(node):
            _rewrite_enum(node, edits)
    if edits.errors:
        offset, message = min(edits.errors)
        line, column = edits.line_and_column(offset)
        raise TypeScriptSyntaxError(message, line=line, column=column)


def _blank_from_keyword(keyword: tree_sitter.Node, edits: _Edits) -> None:
    """`x as T`, `x as const`, `x satisfies T`: blank from the keyword to the end of the type."""
    expression = keyword.parent
    if expression is not None:
        edits.blank(edits.start(keyword), edits.end(expression))


def _strip_export_keyword(node: tree_sitter.Node, edits: _Edits) -> None:
    """`export` (and `default`) before a declaration means nothing in a function body."""
    if (
        node.child_by_field_name("declaration") is None
        and node.child_by_field_name("value") is None
    ):
        return  # `export { a }` and re-exports: not ours to fix, V8 reports them
    for child in node.children:
        if child.type in ("export", "default"):
            edits.blank_node(child)


def _blank_this_parameter(node: tree_sitter.Node, edits: _Edits) -> None:
    """`function f(this: T, a)`: the `this` parameter and its comma disappear entirely."""
    edits.blank_node(node)
    sibling = node.next_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_sibling
    if sibling is not None and sibling.type == ",":
        edits.blank_node(sibling)


def _check_arrow_return_type(node: tree_sitter.Node, edits: _Edits) -> None:
    """JavaScript forbids a line break before `=>`; blanking a multi-line return type makes one."""
    return_type = node.child_by_field_name("return_type")
    if return_type is None:
        return
    text = edits.source_bytes[edits.start(return_type) : edits.end(return_type)]
    if b"\n" in text or b"\r" in text or "\u2028".encode() in text or "\u2029".encode() in text:
        edits.error(
            return_type,
            "an arrow function's return type cannot span lines here; write the return type "
            "and `=>` on the same line as the closing `)` of the parameters, or drop the type",
        )


# Statements that declare nothing at runtime, so a namespace made only of them can be blanked.
_TYPE_ONLY_STATEMENTS = frozenset(
    {
        "interface_declaration",
        "type_alias_declaration",
        "ambient_declaration",
        "function_signature",
        "empty_statement",
        "comment",
    }
)


def _strip_namespace(node: tree_sitter.Node, edits: _Edits) -> None:
    if edits.is_blanked(node):
        return  # `declare namespace` / `declare module`
    if _declares_only_types(node):
        edits.blank_node(node)
        return
    edits.error(
        node,
        "TypeScript namespaces with values are not supported; use a plain object instead "
        "(const Name = { ... })",
    )


def _declares_only_types(namespace: tree_sitter.Node) -> bool:
    body = namespace.child_by_field_name("body")
    return body is None or all(_is_type_only(statement) for statement in body.named_children)


def _is_type_only(statement: tree_sitter.Node) -> bool:
    kind = statement.type
    if kind in _TYPE_ONLY_STATEMENTS:
        return True
    if kind in ("internal_module", "module"):
        return _declares_only_types(statement)
    if kind == "expression_statement":  # tree-sitter puts a nested namespace in one
        inner = statement.named_children
        return len(inner) == 1 and inner[0].type == "internal_module" and _is_type_only(inner[0])
    if kind == "export_statement":
        if any(child.type == "type" for child in statement.children):
            return True  # `export type { A }`
        declaration = statement.child_by_field_name("declaration")
        return declaration is not None and _is_type_only(declaration)
    return False


# --- enums ---------------------------------------------------------------------------------------

# Member names that cannot also be declared as local variables inside the generated function.
_NOT_A_LOCAL_NAME = frozenset(
    (
        *("await", "break", "case", "catch", "class", "const", "continue", "debugger"),
        *("default", "delete", "do", "else", "enum", "export", "extends", "false", "finally"),
        *("for", "function", "if", "implements", "import", "in", "instanceof", "interface"),
        *("let", "new", "null", "package", "private", "protected", "public", "return"),
        *("static", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void"),
        *("while", "with", "yield", "arguments", "eval", "undefined", "NaN", "Infinity"),
        *("__cm_v", "__cm_m"),
    )
)


@dataclass(frozen=True)
class _EnumMember:
    offset: int  # source byte offset where the member starts
    code: str


def _rewrite_enum(node: tree_sitter.Node, edits: _Edits) -> None:
    """Replace an enum by equivalent JavaScript occupying exactly the enum's lines.

    ``enum Color { Red, Green = 5 }`` becomes ``var Color = (function (Color) { ... })(Color ||
    {})``: members are assigned in order through a helper that also adds the reverse mapping for
    numeric values (as tsc does), and each member is also a local variable so that a later
    initializer can name an earlier member. Passing ``Color || {}`` merges repeated declarations.
    """
    name_node = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name_node is None or body is None:
        return  # broken enum; V8 reports the `enum` keyword itself
    name = _node_text(name_node, edits)
    head = (
        f"var {name} = (function ({name}) {{ var __cm_v = -1; "
        f"function __cm_m(k, v) {{ {name}[k] = v; "
        f'if (typeof v === "number") {name}[v] = k; return __cm_v = v; }}'
    )
    tail = f"return {name}; }})({name} || {{}});"
    members = [
        member
        for child in body.named_children
        if (member := _enum_member(child, name, edits)) is not None
    ]
    start, end = edits.start(node), edits.end(node)
    replacement = _lay_out_enum(edits, start, end, head, members, tail)
    edits.replacements.append((start, end, replacement.encode("utf-8")))


def _enum_member(child: tree_sitter.Node, enum_name: str, edits: _Edits) -> _EnumMember | None:
    if child.type == "enum_assignment":
        key_node = child.child_by_field_name("name")
        value_node = child.child_by_field_name("value")
        value = _initializer_code(value_node, edits) if value_node is not None else "__cm_v + 1"
    elif child.type in ("property_identifier", "string"):
        key_node, value = child, "__cm_v + 1"
    else:
        return None  # comments, and whatever an error left behind
    if key_node is None:
        return None
    key_text = _node_text(key_node, edits)
    key = key_text if key_node.type == "string" else json.dumps(key_text)
    assign = f"__cm_m({key}, ({value}));"
    if key_node.type != "string" and _can_be_local(key_text, enum_name):
        assign = f"var {key_text} = {assign}"
    return _EnumMember(offset=edits.start(child), code=assign)


def _can_be_local(member_name: str, enum_name: str) -> bool:
    return (
        member_name.isidentifier()
        and member_name != enum_name
        and member_name not in _NOT_A_LOCAL_NAME
    )


def _initializer_code(value: tree_sitter.Node, edits: _Edits) -> str:
    """The initializer's JavaScript on one line: its own types blanked, comments dropped."""
    for comment in _descendants_of_type(value, "comment"):
        edits.blank_node(comment)
    code = edits.render_range(edits.start(value), edits.end(value)).decode("utf-8")
    return _LINE_BREAK.sub(" ", code).strip()


def _descendants_of_type(node: tree_sitter.Node, kind: str) -> Iterable[tree_sitter.Node]:
    for child in node.children:
        if child.type == kind:
            yield child
        else:
            yield from _descendants_of_type(child, kind)


def _node_text(node: tree_sitter.Node, edits: _Edits) -> str:
    return edits.source_bytes[edits.start(node) : edits.end(node)].decode("utf-8")


def _lay_out_enum(
    edits: _Edits,
    start: int,
    end: int,
    head: str,
    members: Sequence[_EnumMember],
    tail: str,
) -> str:
    """Spread the enum's code over the enum's own lines, each member on the line it started on.

    Code after the closing brace on its line must not move, so when there is some, that line's
    share moves up to the previous line (which belongs to the enum entirely). A one-line enum
    followed by more code on its line cannot avoid moving that code; it is the one exception.
    """
    original = edits.source_bytes[start:end].decode("utf-8")
    parts = _LINE_BREAK.split(original)
    breaks = _LINE_BREAK.findall(original)
    line_ends = []  # character offset in `original` where each of its lines ends
    position = 0
    for part, line_break in zip(parts, [*breaks, ""], strict=True):
        position += len(part)
        line_ends.append(position)
        position += len(line_break)

    code_by_line: list[list[str]] = [[] for _ in parts]
    code_by_line[0].append(head)
    for member in members:
        member_offset = len(edits.source_bytes[start : member.offset].decode("utf-8"))
        line = bisect.bisect_left(line_ends, member_offset)
        code_by_line[min(line, len(parts) - 1)].append(member.code)
    code_by_line[-1].append(tail)
    if len(parts) > 1 and _code_follows(edits, end):
        code_by_line[-2].extend(code_by_line[-1])
        code_by_line[-1] = []

    lines = []
    for part, code in zip(parts, code_by_line, strict=True):
        indent = part[: len(part) - len(part.lstrip())]
        text = indent + " ".join(code) if code else ""
        lines.append(text + " " * (_utf16_length(part) - _utf16_length(text)))
    return "".join(line + line_break for line, line_break in zip(lines, [*breaks, ""], strict=True))


def _code_follows(edits: _Edits, offset: int) -> bool:
    """Whether anything but whitespace follows ``offset`` on its line."""
    rest = edits.source_bytes[offset:].decode("utf-8")
    line_break = _LINE_BREAK.search(rest)
    return bool(rest[: line_break.start() if line_break else len(rest)].strip())


# --- async arrow detection -----------------------------------------------------------------------

# Cheap pre-check so that only scripts that can be an async arrow pay for a second parse.
_MAY_BE_ASYNC_ARROW = re.compile(r"(?:\s|//[^\n\r]*|/\*.*?\*/|\()*async\b", re.DOTALL)


def _is_async_arrow(source: str) -> bool:
    """Whether the whole script is one expression statement holding an `async` arrow function."""
    if not _MAY_BE_ASYNC_ARROW.match(source):
        return False
    statements = [
        child
        for child in _parse(source.encode("utf-8")).root_node.named_children
        if child.type != "comment"
    ]
    if len(statements) != 1 or statements[0].type != "expression_statement":
        return False
    expressions = [child for child in statements[0].named_children if child.type != "comment"]
    if len(expressions) != 1:
        return False
    expression = expressions[0]
    while expression.type == "parenthesized_expression" and expression.named_child_count == 1:
        inner = expression.named_children[0]
        expression = inner
    return (
        expression.type == "arrow_function"
        and expression.child_count > 0
        and expression.children[0].type == "async"
    )
