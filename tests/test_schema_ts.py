"""JSON Schema → TypeScript: one test per feature, never-raises properties, and tsc checks."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any, Literal

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

from langchain_codemode import CodeModeToolkit
from langchain_codemode.typescript.declarations import ToolSignature, render_declarations
from langchain_codemode.typescript.schema import (
    TypeScriptBuilder,
    js_string,
    normalize_schema,
    pascal_case,
    property_key,
    schema_to_typescript,
)

try:
    from tests.tsc import run_tsc
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from tsc import run_tsc  # type: ignore[no-redef]


def ts(schema: Any) -> str:
    """The type expression of ``schema`` (which must need no named declarations)."""
    snippet = schema_to_typescript(schema)
    assert snippet.declarations == "", snippet.declarations
    return snippet.type


def full(schema: Any) -> str:
    snippet = schema_to_typescript(schema)
    return f"{snippet.declarations}>> {snippet.type}"


# --------------------------------------------------------------------------------------------
# Primitives, literals, combinators
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "string"),
        ({"type": "number"}, "number"),
        ({"type": "integer"}, "number"),
        ({"type": "boolean"}, "boolean"),
        ({"type": "null"}, "null"),
        ({}, "unknown"),
        (True, "unknown"),
        (False, "never"),
        ({"description": "only annotations"}, "unknown"),
        ({"type": ["string", "null"]}, "string | null"),
        ({"type": ["integer", "number"]}, "number"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "string | null"),
        ({"type": "string", "nullable": True}, "string | null"),
        ({"oneOf": [{"type": "string"}, {"type": "number"}]}, "string | number"),
        ({"anyOf": [{"type": "string"}, {}]}, "unknown"),
        ({"allOf": [{"type": "string"}, {"minLength": 1}]}, "string"),
        ({"allOf": [{"type": "string"}, {"type": "number"}]}, "string & number"),
        ({"anyOf": []}, "never"),
    ],
)
def test_basic_types(schema: Any, expected: str) -> None:
    assert ts(schema) == expected


def test_enum_and_const_are_literal_unions() -> None:
    assert ts({"enum": ["a", "b"]}) == '"a" | "b"'
    assert ts({"type": "string", "enum": ["x"]}) == '"x"'
    assert ts({"enum": [1, -2, 1.5, True, False, None]}) == "1 | -2 | 1.5 | true | false | null"
    assert ts({"enum": ["a", "a", 1]}) == '"a" | 1'
    assert ts({"const": "fixed"}) == '"fixed"'
    assert ts({"const": 0}) == "0"
    assert ts({"const": None}) == "null"
    assert ts({"enum": []}) == "never"
    assert ts({"enum": ['say "hi"\n', "\u2028"]}) == '"say \\"hi\\"\\n" | "\\u2028"'
    # Non-primitive values become their structural literal types.
    assert ts({"const": {"k": [1, "a"], "n-m": None}}) == '{ k: [1, "a"]; "n-m": null }'
    assert ts({"enum": [float("nan"), 10**40]}) == "number"


def test_allof_objects_merge_when_disjoint_and_intersect_otherwise() -> None:
    a = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    b = {"type": "object", "properties": {"b": {"type": "number"}}}
    a2 = {"type": "object", "properties": {"a": {"const": "x"}}}
    assert ts({"allOf": [a, b]}) == "{ a: string; b?: number }"
    assert ts({"allOf": [a, a2]}) == '{ a: string } & { a?: "x" }'


def test_combinators_combine_with_base_type() -> None:
    schema = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    assert ts(schema) == "{ kind?: string; a: unknown } | { kind?: string; b: unknown }"


def test_parent_properties_merge_into_object_branches() -> None:
    # A required-only branch makes the parent's own property required in that branch.
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
        "anyOf": [{"required": ["id"]}, {"required": ["email"]}],
    }
    assert ts(schema) == "{ id: string; email?: string } | { id?: string; email: string }"


# github-mcp-server's projects_write, reduced: a bare ``type: object`` beside closed branches.
_CLOSED_BRANCHES = {
    "type": "object",
    "oneOf": [
        {
            "type": "object",
            "properties": {"node_id": {"type": "string"}},
            "required": ["node_id"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"item_id": {"type": "number"}},
            "required": ["item_id"],
            "additionalProperties": False,
        },
    ],
}


def test_bare_object_beside_closed_branches_is_not_an_open_record() -> None:
    assert ts(_CLOSED_BRANCHES) == "{ node_id: string } | { item_id: number }"
    shared = {
        **_CLOSED_BRANCHES,
        "properties": {"owner": {"type": "string"}},
        "required": ["owner"],
    }
    assert ts(shared) == ("{ owner: string; node_id: string } | { owner: string; item_id: number }")
    # Branches that cannot be objects are ruled out by ``type: object``.
    mixed = {"type": "object", "anyOf": [{"type": "string"}, _CLOSED_BRANCHES["oneOf"][0]]}
    assert ts(mixed) == "{ node_id: string }"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        # LiveMCPBench's generate_histogram_chart
        ({"anyOf": [{"type": "number"}, {"not": {}}, {"type": "null"}]}, "number | null"),
        ({"oneOf": [{"type": "string"}, {"not": True}]}, "string"),
        ({"not": {"description": "anything"}}, "never"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}, "b": {"not": {}}}},
            "{ a?: string; b?: never }",
        ),
        # other ``not``s still cannot be expressed
        (
            {"anyOf": [{"type": "number"}, {"not": {"type": "string"}}]},
            "unknown /* unsupported: not */",
        ),
    ],
)
def test_not_of_anything_matches_nothing(schema: Any, expected: str) -> None:
    assert ts(schema) == expected


# --------------------------------------------------------------------------------------------
# Type names from other languages (the Berkeley Function Calling Leaderboard and others)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dict", "Record<string, unknown>"),
        ("HashMap", "Record<string, unknown>"),
        ("Map", "Record<string, unknown>"),
        ("OBJECT", "Record<string, unknown>"),
        ("float", "number"),
        ("double", "number"),
        ("Number", "number"),
        ("long", "number"),
        ("int", "number"),
        ("Integer", "number"),
        ("String", "string"),
        ("str", "string"),
        ("char", "string"),
        ("Boolean", "boolean"),
        ("bool", "boolean"),
        ("tuple", "unknown[]"),
        ("Array", "unknown[]"),
        ("ArrayList", "unknown[]"),
        ("list", "unknown[]"),
        ("set", "unknown[]"),
        ("List<String>", "unknown[]"),
        ("any", "unknown"),
        ("Any", "unknown"),
        ("None", "null"),
    ],
)
def test_type_names_from_other_languages(name: str, expected: str) -> None:
    assert ts({"type": name}) == expected


def test_bfcl_style_schema_is_typed() -> None:
    schema = {
        "type": "dict",
        "properties": {
            "radius": {"type": "float", "description": "The radius."},
            "units": {"type": "String", "enum": ["cm", "m"]},
            "points": {"type": "ArrayList", "items": {"type": "long"}},
            "options": {"type": "HashMap"},
            "extra": {"type": "any"},
            "pair": {"type": "tuple", "items": {"type": "integer"}},
            "odd": {"type": "wibble"},
        },
        "required": ["radius"],
    }
    assert ts(schema) == (
        "{\n"
        "  /** The radius. */ radius: number;\n"
        '  units?: "cm" | "m";\n'
        "  points?: number[];\n"
        "  options?: Record<string, unknown>;\n"
        "  extra?: unknown;\n"
        "  pair?: number[];\n"
        '  odd?: unknown /* unsupported type "wibble" */;\n'
        "}"
    )


def test_normalize_schema_maps_aliases_for_validators() -> None:
    schema = {
        "type": "dict",
        "properties": {
            "a": {"type": "float"},
            "b": {"type": ["String", "null"]},
            "c": {"type": "any", "description": "kept"},
            "d": {"type": "wibble", "minimum": 1},
            "e": {"type": "array", "items": {"type": "long"}},
            "f": {"anyOf": [{"type": "Boolean"}, {"not": {}}]},
        },
        "required": ["a"],
    }
    before = json.dumps(schema)
    out = normalize_schema(schema)
    assert json.dumps(schema) == before  # the input is not mutated
    assert out == {
        "type": "object",
        "properties": {
            "a": {"type": "number"},
            "b": {"type": ["string", "null"]},
            "c": {"description": "kept"},
            "d": {"minimum": 1},  # an unknown name: no type constraint, the rest still holds
            "e": {"type": "array", "items": {"type": "integer"}},
            "f": {"anyOf": [{"type": "boolean"}, {"not": {}}]},
        },
        "required": ["a"],
    }
    assert normalize_schema(out) is out  # nothing left to change: the same object back
    jsonschema.Draft202012Validator.check_schema(out)
    for junk in (None, 3, "dict", [], {"properties": []}):
        assert normalize_schema(junk) == junk
    assert normalize_schema({"type": 7, "minimum": 0}) == {"minimum": 0}


def test_calls_to_bfcl_style_tools_are_validated() -> None:
    seen: list[dict[str, Any]] = []

    def area(**kwargs: Any) -> str:
        seen.append(kwargs)
        return "ok"

    schema = {
        "type": "dict",
        "properties": {"radius": {"type": "float"}, "units": {"type": "String"}},
        "required": ["radius"],
    }
    tool = StructuredTool.from_function(
        func=area, name="area", description="Area of a circle.", args_schema=schema
    )
    toolkit = CodeModeToolkit([tool], typecheck=False)  # the runtime validation is under test
    assert "area(args: { radius: number; units?: string })" in toolkit.declarations
    good = toolkit.execute('return await tools.area({ radius: 2.5, units: "cm" })')
    assert good.ok, good.error
    assert seen == [{"radius": 2.5, "units": "cm"}]
    for bad, field in (('{ units: "cm" }', "radius"), ('{ radius: "big" }', "radius")):
        result = toolkit.execute(f"return await tools.area({bad})")
        assert not result.ok
        assert "Invalid arguments for tools.area" in (result.error or "")
        assert field in (result.error or "")
    assert len(seen) == 1  # the tool never ran on arguments its schema rejects


# --------------------------------------------------------------------------------------------
# Arrays and tuples
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "array", "items": {"type": "string"}}, "string[]"),
        ({"type": "array"}, "unknown[]"),
        ({"type": "array", "items": {"type": ["string", "number"]}}, "(string | number)[]"),
        ({"type": "array", "items": {"enum": [-1, 1]}}, "(-1 | 1)[]"),
        ({"type": "array", "items": {"type": "array", "items": {"type": "null"}}}, "null[][]"),
        ({"type": "array", "items": False}, "[]"),
        ({"items": {"type": "boolean"}}, "boolean[]"),
        (
            {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}]},
            "[string, number]",
        ),
        (
            {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "number"}],
                "items": {"type": "boolean"},
            },
            "[string, number, ...boolean[]]",
        ),
        (
            {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": ["number", "null"]}],
                "minItems": 1,
            },
            "[string, (number | null)?]",
        ),
        (
            {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            "[string, number]",
        ),
        (
            {
                "type": "array",
                "items": [{"type": "string"}],
                "additionalItems": {"type": "number"},
            },
            "[string, ...number[]]",
        ),
        ({"type": "array", "prefixItems": [], "items": {"type": "string"}}, "string[]"),
        (
            {"type": "array", "prefixItems": [{"type": "string"}] * 3, "maxItems": 2},
            "[string, string]",
        ),
    ],
)
def test_arrays_and_tuples(schema: Any, expected: str) -> None:
    assert ts(schema) == expected


# --------------------------------------------------------------------------------------------
# Objects
# --------------------------------------------------------------------------------------------


def test_required_and_optional_properties_keep_schema_order() -> None:
    schema = {
        "type": "object",
        "properties": {"z": {"type": "string"}, "a": {"type": "number"}},
        "required": ["a"],
    }
    assert ts(schema) == "{ z?: string; a: number }"


def test_required_but_undeclared_property_is_unknown() -> None:
    assert ts({"type": "object", "required": ["id"]}) == "{ id: unknown }"
    schema = {"type": "object", "properties": {}, "required": ["id"]}
    assert ts(schema) == "{ id: unknown }"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object"}, "Record<string, unknown>"),
        ({"type": "object", "properties": {}}, "{}"),
        ({"type": "object", "additionalProperties": False}, "Record<string, never>"),
        ({"type": "object", "additionalProperties": True}, "Record<string, unknown>"),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            "Record<string, number>",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "additionalProperties": True,
            },
            "{ a?: string; [key: string]: unknown }",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "additionalProperties": False,
            },
            "{ a?: string }",
        ),
    ],
)
def test_object_shapes(schema: Any, expected: str) -> None:
    assert ts(schema) == expected


def test_typed_additional_properties_next_to_properties_are_documented() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": {"type": "number"},
    }
    assert ts(schema) == (
        "{\n"
        "  a?: string;\n"
        "  /** Other keys hold values of type number. */\n"
        "  [key: string]: unknown;\n"
        "}"
    )


def test_pattern_properties_become_a_documented_index_signature() -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^x-": {"type": "string"}, "^n-": {"type": "number"}},
        "additionalProperties": False,
    }
    assert ts(schema) == (
        '{\n  /** Keys matching "^x-", "^n-". */\n  [key: string]: string | number;\n}'
    )


def test_nested_objects_are_inlined() -> None:
    schema = {
        "type": "object",
        "properties": {
            "outer": {
                "type": "object",
                "properties": {"inner": {"type": "object", "properties": {"v": {"type": "null"}}}},
            }
        },
    }
    assert ts(schema) == "{ outer?: { inner?: { v?: null } } }"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plain", "plain"),
        ("$dollar_1", "$dollar_1"),
        ("with-dash", '"with-dash"'),
        ("1st", '"1st"'),
        ("", '""'),
        ("has space", '"has space"'),
        ('q"uote', '"q\\"uote"'),
        ("ünïcode", '"ünïcode"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("\ud800", '"\\ud800"'),
        ("class", "class"),
    ],
)
def test_property_names_are_quoted_when_not_identifiers(name: str, expected: str) -> None:
    assert property_key(name) == expected
    rendered = ts({"type": "object", "properties": {name: {"type": "string"}}, "required": [name]})
    assert rendered == f"{{ {expected}: string }}"


def test_js_string_escapes_like_json() -> None:
    assert js_string('a"b\\c') == '"a\\"b\\\\c"'
    assert json.loads(js_string("tab\tnew\nline")) == "tab\tnew\nline"


# --------------------------------------------------------------------------------------------
# JSDoc on properties
# --------------------------------------------------------------------------------------------


def test_property_docs_carry_description_default_format_bounds_pattern() -> None:
    schema = {
        "type": "object",
        "properties": {
            "n": {
                "type": "integer",
                "description": "How many.",
                "default": 5,
                "minimum": 1,
                "maximum": 20,
            },
            "url": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 2048},
            "code": {"type": "string", "pattern": "^[A-Z]{2}\\d$"},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "old": {"type": "string", "deprecated": True, "examples": ["x"]},
            "maybe": {
                "anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}],
                "default": None,
            },
        },
    }
    assert ts(schema) == (
        "{\n"
        "  /** How many. @default 5 @minimum 1 @maximum 20 */ n?: number;\n"
        "  /** @format uri @minLength 1 @maxLength 2048 */ url?: string;\n"
        "  /** @pattern ^[A-Z]{2}\\\\d$ */ code?: string;\n"
        "  /** @minItems 1 @maxItems 3 */ tags?: string[];\n"
        "  /** @exclusiveMinimum 0 @exclusiveMaximum 1 */ ratio?: number;\n"
        '  /** @deprecated @example "x" */ old?: string;\n'
        "  /** @maxLength 3 */ maybe?: string | null;\n"
        "}"
    )


def test_docs_escape_comment_terminators_and_wrap_long_text() -> None:
    long = " ".join(["word"] * 40)
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "description": "ends */ early", "default": "*/"},
            "b": {"type": "string", "description": f"First paragraph.\n\n{long}"},
        },
    }
    out = ts(schema)
    assert "*/ early" not in out
    assert '/** ends *\\/ early @default "*\\/" */ a?: string;' in out
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert "   * First paragraph." in lines
    assert "   *" in lines  # the paragraph break survives


# --------------------------------------------------------------------------------------------
# $ref, recursion, naming
# --------------------------------------------------------------------------------------------


def test_refs_into_defs_and_definitions_become_named_interfaces() -> None:
    point = {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
    for keyword in ("$defs", "definitions"):
        schema = {
            keyword: {"Point": point},
            "type": "object",
            "properties": {"p": {"$ref": f"#/{keyword}/Point"}},
        }
        assert full(schema) == "interface Point {\n  x: number;\n}\n>> { p?: Point }"


def test_refs_to_simple_schemas_are_inlined() -> None:
    schema = {
        "$defs": {"Color": {"enum": ["red", "blue"], "title": "Color"}, "Id": {"type": "string"}},
        "type": "object",
        "properties": {"c": {"$ref": "#/$defs/Color"}, "ids": {"items": {"$ref": "#/$defs/Id"}}},
    }
    assert ts(schema) == '{ c?: "red" | "blue"; ids?: string[] }'


def test_ref_pointer_escapes_and_percent_encoding() -> None:
    obj = {"type": "object", "properties": {"v": {"type": "string"}}}
    schema = {
        "$defs": {"a/b": obj, "c~d": obj, "e f": obj},
        "type": "object",
        "properties": {
            "x": {"$ref": "#/$defs/a~1b"},
            "y": {"$ref": "#/$defs/c~0d"},
            "z": {"$ref": "#/%24defs/e%20f"},
            "w": {"$ref": "#/properties/x"},
        },
    }
    out = full(schema)
    assert "interface AB {" in out
    assert "interface CD {" in out
    assert "interface EF {" in out
    assert out.endswith(">> { x?: AB; y?: CD; z?: EF; w?: AB }")


def test_unresolvable_refs_degrade_to_commented_unknown() -> None:
    assert ts({"$ref": "#/$defs/Missing"}) == "unknown /* unresolved $ref #/$defs/Missing */"
    assert ts({"$ref": "other.json#/x"}) == "unknown /* unsupported external $ref other.json#/x */"
    assert ts({"$ref": "#anchor"}) == "unknown /* unsupported $ref #anchor */"
    assert ts({"$ref": 42}) == "unknown /* invalid $ref */"
    assert ts({"$ref": "#/a*/b"}) == "unknown /* unresolved $ref #/a*\\/b */"


def test_ref_with_base_uri_of_the_document_resolves() -> None:
    schema = {
        "$id": "https://example.com/s.json",
        "$defs": {"N": {"type": "string"}},
        "$ref": "https://example.com/s.json#/$defs/N",
    }
    assert ts(schema) == "string"


def test_recursive_defs_are_named_never_expanded() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                },
                "required": ["value"],
            }
        },
        "$ref": "#/$defs/Node",
    }
    assert full(schema) == ("interface Node {\n  value: string;\n  children?: Node[];\n}\n>> Node")


def test_recursive_root_uses_title_or_name_hint() -> None:
    schema = {"type": "object", "properties": {"next": {"$ref": "#"}}}
    assert full(schema) == "interface Root {\n  next?: Root;\n}\n>> Root"
    builder = TypeScriptBuilder()
    t = builder.convert({**schema, "title": "linked list"}, name_hint="Ignored")
    assert builder.render(t) == "LinkedList"


def test_mutual_recursion() -> None:
    schema = {
        "$defs": {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}},
        },
        "$ref": "#/$defs/A",
    }
    assert full(schema) == ("interface B {\n  a?: A;\n}\n\ninterface A {\n  b?: B;\n}\n>> A")


def test_recursive_union_alias() -> None:
    schema = {
        "$defs": {
            "Json": {
                "anyOf": [
                    {"type": ["string", "number", "boolean", "null"]},
                    {"type": "array", "items": {"$ref": "#/$defs/Json"}},
                    {"type": "object", "additionalProperties": {"$ref": "#/$defs/Json"}},
                ]
            }
        },
        "$ref": "#/$defs/Json",
    }
    assert full(schema) == (
        "type Json = string | number | boolean | null | Json[] | { [key: string]: Json };\n>> Json"
    )


def test_alias_cycles_that_typescript_rejects_are_cut() -> None:
    direct = {
        "$defs": {"A": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "object", "properties": {}}]}},
        "$ref": "#/$defs/A",
    }
    assert full(direct) == "interface A {}\n>> A"
    chain = {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"}
    assert full(chain) == "type A = unknown /* circular type reference */;\n>> A"
    assert full({"$ref": "#"}) == "type Root = unknown /* circular type reference */;\n>> Root"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SearchResult", "SearchResult"),
        ("search_result", "SearchResult"),
        ("my-model", "MyModel"),
        ("Response[List[int]]", "ResponseListInt"),
        ("module__Model", "ModuleModel"),
        ("123abc", "T123abc"),
        ("__", ""),
        ("ünï", "N"),
    ],
)
def test_pascal_case(raw: str, expected: str) -> None:
    assert pascal_case(raw) == expected


def test_names_are_sanitised_and_avoid_typescript_globals() -> None:
    obj = {"type": "object", "properties": {"v": {"type": "string"}}}
    schema = {
        "$defs": {"Record": obj, "Promise": obj, "my-thing": obj, "__": obj},
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/Record"},
            "b": {"$ref": "#/$defs/Promise"},
            "c": {"$ref": "#/$defs/my-thing"},
            "d": {"$ref": "#/$defs/__"},
        },
    }
    out = full(schema)
    for name in ("Record2", "Promise2", "MyThing", "Type"):
        assert f"interface {name} {{" in out
    assert out.endswith(">> { a?: Record2; b?: Promise2; c?: MyThing; d?: Type }")


def test_name_collisions_inside_one_document_get_suffixes() -> None:
    schema = {
        "$defs": {
            "a": {"title": "Item", "type": "object", "properties": {"x": {"type": "string"}}},
            "b": {"title": "Item", "type": "object", "properties": {"y": {"type": "string"}}},
        },
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/a"}, "b": {"$ref": "#/$defs/b"}},
    }
    out = full(schema)
    assert "interface Item {\n  x?: string;\n}" in out
    assert "interface Item2 {\n  y?: string;\n}" in out


def test_identical_defs_in_different_documents_share_one_declaration() -> None:
    node = {
        "type": "object",
        "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
    }
    builder = TypeScriptBuilder()
    one = builder.convert(
        {"$defs": {"Node": node}, "properties": {"n": {"$ref": "#/$defs/Node"}}}, name_hint="A"
    )
    two = builder.convert(
        {"$defs": {"Node": node, "Other": {}}, "properties": {"m": {"$ref": "#/$defs/Node"}}},
        name_hint="B",
    )
    assert builder.render_declarations() == "interface Node {\n  kids?: Node[];\n}\n"
    assert builder.render(one) == "{ n?: Node }"
    assert builder.render(two) == "{ m?: Node }"


def test_titles_name_only_reused_objects() -> None:
    address = {
        "title": "Address",
        "type": "object",
        "properties": {"city": {"type": "string"}},
    }
    reused = {"type": "object", "properties": {"home": address, "work": address}}
    assert full(reused) == (
        "interface Address {\n  city?: string;\n}\n>> { home?: Address; work?: Address }"
    )
    single = {"type": "object", "properties": {"home": address}}
    assert full(single) == ">> { home?: { city?: string } }"
    # A titled property that is not an object with properties never becomes a named type.
    titled = {"title": "Name", "type": "string"}
    assert full({"properties": {"a": titled, "b": titled}}) == ">> { a?: string; b?: string }"


class Unit(str, enum.Enum):
    C = "celsius"
    F = "fahrenheit"


class Location(BaseModel):
    """Where to look."""

    city: str = Field(description="City name.")
    country: str | None = None


class Reading(BaseModel):
    location: Location
    unit: Unit = Unit.C
    history: list[Location] = []
    mode: Literal["fast", "slow"] = "fast"


def test_pydantic_schemas_render_compactly() -> None:
    out = full(Reading.model_json_schema())
    assert out == (
        "/** Where to look. */\n"
        "interface Location {\n"
        "  /** City name. */ city: string;\n"
        "  country?: string | null;\n"
        "}\n"
        ">> {\n"
        "  location: Location;\n"
        '  /** @default "celsius" */ unit?: "celsius" | "fahrenheit";\n'
        "  /** @default [] */ history?: Location[];\n"
        '  /** @default "fast" */ mode?: "fast" | "slow";\n'
        "}"
    )


def test_conversion_is_deterministic() -> None:
    schema = Reading.model_json_schema()
    assert full(schema) == full(json.loads(json.dumps(schema)))


# --------------------------------------------------------------------------------------------
# Unsupported input degrades, never raises
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (None, "unknown /* not a schema: null */"),
        (3, "unknown /* not a schema: number */"),
        ("string", "unknown /* not a schema: string */"),
        ([{"type": "string"}], "unknown /* not a schema: array */"),
        ({"type": "bogus"}, 'unknown /* unsupported type "bogus" */'),
        ({"type": 7}, "unknown /* invalid type */"),
        ({"not": {"type": "string"}}, "unknown /* unsupported: not */"),
        ({"enum": "abc"}, "unknown /* invalid enum */"),
        ({"type": "object", "properties": []}, "Record<string, unknown>"),
        ({"type": "array", "items": 5}, "(unknown /* not a schema: number */)[]"),
    ],
)
def test_unsupported_input_degrades_to_commented_unknown(schema: Any, expected: str) -> None:
    assert ts(schema) == expected


def test_very_deep_schemas_are_cut_off() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(2000):
        schema = {"type": "array", "items": schema}
    out = ts(schema)
    assert "schema nested too deeply" in out


# --------------------------------------------------------------------------------------------
# tsc: features compile and mean what they say
# --------------------------------------------------------------------------------------------

_FEATURE_CASES: list[tuple[Any, list[str]]] = [
    (
        Reading.model_json_schema(),
        ['const v: Subject = { location: { city: "x" }, unit: "fahrenheit" };'],
    ),
    (
        {
            "$defs": {
                "Node": {
                    "type": "object",
                    "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
                }
            },
            "$ref": "#/$defs/Node",
        },
        ["const v: Subject = { kids: [{ kids: [] }, {}] };"],
    ),
    (
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "minItems": 1},
        ['const a: Subject = ["x"];', 'const b: Subject = ["x", 1];'],
    ),
    (
        {
            "type": "object",
            "properties": {"a-b": {"type": "string"}, "2x": {"type": ["number", "null"]}},
            "required": ["a-b"],
            "additionalProperties": {"type": "boolean"},
        },
        ['const v: Subject = { "a-b": "s", "2x": null, other: true };'],
    ),
    (
        {
            "$defs": {
                "A": {"anyOf": [{"$ref": "#/$defs/B"}, {"type": "string"}]},
                "B": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "number"}]},
            },
            "$ref": "#/$defs/A",
        },
        ['const v: Subject = "s";'],
    ),
    (
        {
            "$defs": {
                "J": {
                    "anyOf": [
                        {"type": "string"},
                        {"type": "object", "additionalProperties": {"$ref": "#/$defs/J"}},
                    ]
                }
            },
            "$ref": "#/$defs/J",
        },
        ['const v: Subject = { a: { b: "c" } };'],
    ),
    (
        {"enum": ["a", 1, None, True, {"k": [1]}]},
        ['const v: Subject[] = ["a", 1, null, true, { k: [1] }];'],
    ),
    (
        {"type": "object", "patternProperties": {"^x": {"type": "string"}}, "required": ["x1"]},
        ['const v: Subject = { x1: "a" };'],
    ),
    (
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"a": {"const": "z"}}},
            ]
        },
        ['const v: Subject = { a: "z" };'],
    ),
    (
        {"title": "Record", "type": "object", "properties": {"self": {"$ref": "#"}}},
        ["const v: Subject = { self: { self: {} } };"],
    ),
    (
        _CLOSED_BRANCHES,
        [
            'const a: Subject = { node_id: "x" };',
            "const b: Subject = { item_id: 1 };",
            "// @ts-expect-error: a key that every branch forbids",
            'const c: Subject = { node_id: "x", other: 1 };',
        ],
    ),
    (
        {"type": "dict", "properties": {"r": {"type": "float"}}, "required": ["r"]},
        [
            "const a: Subject = { r: 1.5 };",
            "// @ts-expect-error: a float is a number",
            'const b: Subject = { r: "1.5" };',
        ],
    ),
]


def test_feature_declarations_compile_with_tsc(tmp_path: Path) -> None:
    files = []
    for i, (schema, statements) in enumerate(_FEATURE_CASES):
        snippet = schema_to_typescript(schema)
        text = "\n".join(
            ["export {};", snippet.declarations, f"type Subject = {snippet.type};", *statements]
        )
        path = tmp_path / f"feature_{i}.ts"
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    result = run_tsc(files)
    assert result.ok, result.output


# --------------------------------------------------------------------------------------------
# Hypothesis: random schemas never make generation raise, and what comes out compiles
# --------------------------------------------------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
_junk = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_names = st.sampled_from(
    ["a", "b", "x-y", "1st", "", "$ref", "__proto__", "constructor", 'q"', "ü", "*/", "new"]
) | st.text(max_size=5)
_titles = st.sampled_from(["Item", "Node", "Record", "my item", "A", "B", "*/", ""]) | st.text(
    max_size=5
)
_refs = st.sampled_from(
    [
        "#",
        "#/$defs/A",
        "#/$defs/B",
        "#/$defs/A~1B",
        "#/definitions/C",
        "#/properties/a",
        "#/properties/a/items",
        "#/$defs/Missing",
        "#/%24defs/A",
        "#anchor",
        "http://x/y.json#/a",
        "#/anyOf/0",
    ]
) | st.text(max_size=6)
_types = st.sampled_from(
    ["string", "number", "integer", "boolean", "null", "array", "object", "any", "bogus"]
)
_type_field = _types | st.lists(_types, max_size=3) | _junk


def _schemas(max_leaves: int = 18) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.booleans(),
        _junk,
        st.fixed_dictionaries(
            {},
            optional={
                "type": _type_field,
                "enum": st.lists(_junk, max_size=4) | _junk,
                "const": _junk,
                "$ref": _refs,
                "title": _titles,
                "description": st.text(max_size=30),
                "default": _junk,
                "format": st.text(max_size=6),
                "pattern": st.text(max_size=8),
                "minimum": st.integers() | st.floats(),
                "maxLength": st.integers(-1, 10),
                "nullable": st.booleans(),
                "examples": _junk,
            },
        ),
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {},
            optional={
                "type": _type_field,
                "title": _titles,
                "description": st.text(max_size=20),
                "properties": st.dictionaries(_names, children, max_size=4) | _junk,
                "required": st.lists(_names, max_size=3) | _junk,
                "additionalProperties": children,
                "patternProperties": st.dictionaries(st.text(max_size=4), children, max_size=2),
                "items": children | st.lists(children, max_size=3),
                "prefixItems": st.lists(children, max_size=3) | _junk,
                "additionalItems": children,
                "minItems": st.integers(-1, 4) | _junk,
                "maxItems": st.integers(-1, 4),
                "anyOf": st.lists(children, max_size=3) | _junk,
                "oneOf": st.lists(children, max_size=3),
                "allOf": st.lists(children, max_size=3),
                "not": children,
                "$ref": _refs,
                "$defs": st.dictionaries(
                    st.sampled_from(["A", "B", "A/B", "Record", "my-type"]), children, max_size=3
                ),
                "definitions": st.dictionaries(st.sampled_from(["C", "D"]), children, max_size=2),
            },
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


def _signatures(inputs: list[Any], outputs: list[Any]) -> list[ToolSignature]:
    return [
        ToolSignature(f"tool_{i}", f"tool-{i}", f"Tool {i} */ desc", schema, out)
        for i, (schema, out) in enumerate(zip(inputs, outputs, strict=False))
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=_schemas(), other=_schemas(), name=st.text(max_size=6))
def test_generation_never_raises(schema: Any, other: Any, name: str) -> None:
    builder = TypeScriptBuilder()
    builder.scan(schema)
    builder.scan(other)
    a = builder.convert(schema, name_hint=name)
    b = builder.convert(other, name_hint=name, named=True)
    text = builder.render_declarations() + builder.render(a) + builder.render(b, "  ")
    text.encode("utf-8")  # writable as a file: no lone surrogates leak out
    first = render_declarations(_signatures([schema, other], [other, None]))
    assert first == render_declarations(_signatures([schema, other], [other, None]))


def test_random_declarations_compile_with_tsc(tmp_path: Path) -> None:
    rendered: list[str] = []

    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        inputs=st.lists(_schemas(), min_size=1, max_size=3),
        outputs=st.lists(st.none() | _schemas(), min_size=3, max_size=3),
    )
    def collect(inputs: list[Any], outputs: list[Any]) -> None:
        rendered.append(render_declarations(_signatures(inputs, outputs)))

    collect()
    assert len(rendered) >= 20
    files = []
    for i, text in enumerate(rendered):
        path = tmp_path / f"random_{i}.ts"
        path.write_text("export {};\n" + text, encoding="utf-8")
        files.append(path)
    result = run_tsc(files)
    assert result.ok, result.output
