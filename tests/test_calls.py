"""Calling one tool for a script: the declared API is closed, errors say what went wrong and
where (see ``langchain_codemode.calls``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.tools import StructuredTool, tool
from pydantic import BaseModel, ConfigDict

from langchain_codemode import CodeModeToolkit

SERVERS = Path(__file__).parent / "servers"
SEEN: list[dict[str, Any]] = []


@tool
def list_invoices(customer: str, limit: int = 10) -> list[str]:
    """List a customer's invoice ids."""
    SEEN.append({"customer": customer, "limit": limit})
    return [f"{customer}-{i}" for i in range(limit)]


def _dict_tool(schema: dict[str, Any]) -> StructuredTool:
    def run(**kwargs: Any) -> dict[str, Any]:
        SEEN.append(kwargs)
        return kwargs

    return StructuredTool.from_function(
        func=run, name="list_invoices", description="List invoices.", args_schema=schema
    )


INVOICE_SCHEMA = {
    "type": "object",
    "properties": {"customer": {"type": "string"}, "limit": {"type": "integer"}},
    "required": ["customer"],
}


class OpenArgs(BaseModel):
    model_config = ConfigDict(extra="allow")
    customer: str


@tool(args_schema=OpenArgs)
def open_pydantic(**kwargs: Any) -> dict[str, Any]:
    """Accepts any extra argument."""
    return kwargs


def _toolkit(tools: list[Any]) -> CodeModeToolkit:
    # The runtime check is what stands when the type check is off, or cannot see the
    # arguments (built at run time): test it alone.
    return CodeModeToolkit(tools, typecheck=False)


@pytest.fixture(autouse=True)
def _clear() -> None:
    SEEN.clear()


@pytest.fixture(autouse=True)
def _unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime validation under test must hold with the type check off (or not installed),
    so these scripts run unchecked (typecheck="auto" without the checker)."""
    monkeypatch.setattr("langchain_codemode.toolkit.checker_available", lambda: False)


TYPO = "unknown argument 'limt' for tools.list_invoices — did you mean 'limit'? Arguments: customer, limit"


def _caught(toolkit: CodeModeToolkit, args: str) -> Any:
    result = toolkit.execute(
        f"try {{ return await tools.list_invoices({args}) }} catch (e) {{ return e.message }}"
    )
    assert result.ok, result.error
    return result


@pytest.mark.parametrize(
    "item", [list_invoices, _dict_tool(INVOICE_SCHEMA)], ids=["pydantic", "dict-schema"]
)
def test_a_misspelled_argument_rejects_naming_the_closest(item: Any) -> None:
    toolkit = _toolkit([item])
    result = _caught(toolkit, '{ customer: "acme", limt: 1 }')
    assert result.value == TYPO
    assert SEEN == []  # the tool never ran
    [record] = result.calls
    assert record.ok is False and record.error == TYPO
    result = _caught(toolkit, '{ customer: "acme", color: "red" }')
    assert result.value == (
        "unknown argument 'color' for tools.list_invoices. Arguments: customer, limit"
    )


def test_a_misspelled_required_argument_says_unknown_and_missing() -> None:
    result = _caught(_toolkit([list_invoices]), '{ custmer: "acme" }')
    assert result.value == (
        "unknown argument 'custmer' for tools.list_invoices — did you mean 'customer'? "
        "Missing required argument: 'customer'. Arguments: customer, limit"
    )


def test_several_unknown_arguments_are_each_named() -> None:
    result = _caught(_toolkit([list_invoices]), '{ customer: "a", lmit: 1, color: 2 }')
    assert result.value == (
        "unknown arguments for tools.list_invoices: 'lmit' (did you mean 'limit'?), 'color'. "
        "Arguments: customer, limit"
    )


def test_a_tool_without_arguments_says_so() -> None:
    @tool
    def clock() -> str:
        """The time."""
        return "12:00"

    result = _toolkit([clock]).execute(
        "try { await tools.clock({ tz: 'UTC' }) } catch (e) { return e.message }"
    )
    assert result.value == "unknown argument 'tz' for tools.clock. tools.clock takes no arguments"


@pytest.mark.parametrize(
    "item",
    [
        open_pydantic,
        _dict_tool({**INVOICE_SCHEMA, "additionalProperties": True}),
        _dict_tool({**INVOICE_SCHEMA, "additionalProperties": {"type": "string"}}),
    ],
    ids=["pydantic-extra-allow", "additionalProperties-true", "additionalProperties-schema"],
)
def test_schemas_that_allow_more_accept_undeclared_arguments(item: Any) -> None:
    item.name = "list_invoices"
    result = _toolkit([item]).execute(
        'return await tools.list_invoices({ customer: "acme", color: "red" })'
    )
    assert result.ok, result.error
    assert result.value["color"] == "red"


def test_additional_properties_false_and_nested_objects_still_validate() -> None:
    schema = {
        **INVOICE_SCHEMA,
        "additionalProperties": False,
        "properties": {
            **INVOICE_SCHEMA["properties"],
            "filter": {"type": "object", "properties": {"status": {"type": "string"}}},
        },
    }
    toolkit = _toolkit([_dict_tool(schema)])
    assert _caught(toolkit, '{ customer: "a", limt: 1 }').value.startswith(
        "unknown argument 'limt' for tools.list_invoices — did you mean 'limit'?"
    )
    # Undeclared keys inside a nested object without additionalProperties are not judged here.
    result = _caught(toolkit, '{ customer: "a", filter: { status: "open", x: 1 } }')
    assert result.value == {"customer": "a", "filter": {"status": "open", "x": 1}}


async def test_mcp_tools_reject_unknown_arguments() -> None:
    connections = {
        "shop": {
            "transport": "stdio",
            "command": sys.executable,
            "args": [str(SERVERS / "shop.py")],
        }
    }
    toolkit = await CodeModeToolkit.from_mcp(connections, typecheck=False)
    result = await toolkit.aexecute(
        "try { await tools.get_sum({ a: 1, bb: 2 }) } catch (e) { return e.message }"
    )
    assert result.value == (
        "unknown argument 'bb' for tools.get_sum — did you mean 'b'? "
        "Missing required argument: 'b'. Arguments: a, b"
    )


def test_argument_errors_carry_the_line_of_the_call() -> None:
    toolkit = _toolkit([list_invoices])
    result = toolkit.execute(
        'const who = "acme";\nconst n = 1;\nreturn await tools.list_invoices({ customer: who, limt: n });'
    )
    assert result.error_type == "runtime"
    assert result.error == f"Error: {TYPO} (line 3)"
    result = toolkit.execute("const n: number = 2;\n\nawait tools.list_invoices({ limit: n })")
    assert result.error == (
        "Error: Invalid arguments for tools.list_invoices: field 'customer': Field required (line 3)"
    )
    # Inside a helper, the line is the call's own.
    result = toolkit.execute(
        "async function get() {\n  return tools.list_invoices({});\n}\nreturn await get();"
    )
    assert (result.error or "").endswith("(line 2)")


def test_a_script_cannot_break_the_rejection_through_prepare_stack_trace() -> None:
    result = _toolkit([list_invoices]).execute(
        "Error.prepareStackTrace = () => { throw new Error('x') };\n"
        "try { await tools.list_invoices({}) } catch (e) { return e.message }"
    )
    assert result.ok, result.error
    assert result.value.startswith("Invalid arguments for tools.list_invoices")


def test_a_key_error_says_key_error() -> None:
    @tool
    def get_invoice(invoice_id: str) -> dict[str, Any]:
        """One invoice."""
        return {"a-1": {"id": "a-1"}}[invoice_id]

    @tool
    def strict(x: int) -> int:
        """Raises a ValueError, whose message is shown as written."""
        raise ValueError(f"x must be even, got {x}")

    toolkit = _toolkit([get_invoice, strict])
    result = toolkit.execute(
        "const out = [];\n"
        "for (const call of [() => tools.get_invoice({ invoice_id: 'nope' }), () => tools.strict({ x: 1 })]) {\n"
        "  try { await call() } catch (e) { out.push(e.message) }\n"
        "}\nreturn out;"
    )
    assert result.value == [
        "tools.get_invoice failed: KeyError: 'nope'",
        "tools.strict failed: x must be even, got 1",
    ]


def test_arguments_built_at_run_time_are_checked_even_when_types_are() -> None:
    toolkit = CodeModeToolkit([list_invoices])  # typecheck="auto"
    result = toolkit.execute(
        'const args = JSON.parse(\'{"customer": "acme", "limt": 1}\');\n'
        "return await tools.list_invoices(args);"
    )
    assert result.error == f"Error: {TYPO} (line 2)"


# -- what a tool returns, as the script receives it ----------------------------------------------

PLAIN_OUTPUTS: list[Any] = [
    {"a": 1, "b": [1, 2.5, -0.0, None, True, "s"], "c": {"d": (1, 2)}, "e": 10**30},
    [{"id": i, "name": f'row "{i}" \\ path', "tags": ["x"]} for i in range(50)],
    {1: "int key", None: "none key", False: "bool key", 2.5: "float key"},
    {"text": "a\ud800b \u2028 é 中"},
]


@pytest.mark.parametrize("output", PLAIN_OUTPUTS, ids=["nested", "rows", "keys", "unicode"])
def test_plain_outputs_convert_as_the_general_walk_does(output: Any) -> None:
    from langchain_codemode import _json

    value, text = _json.to_jsonable_with_text(output)
    fast_path = _json._plain_copy
    try:
        _json._plain_copy = lambda _value: (_json._NOT_PLAIN, None)  # the walk, for reference
        walked = _json.to_jsonable(output)
    finally:
        _json._plain_copy = fast_path
    assert value == walked
    assert json.dumps(value, ensure_ascii=False) == json.dumps(walked, ensure_ascii=False)
    assert text == json.dumps(value, ensure_ascii=False, allow_nan=False)


def test_a_converted_output_does_not_share_the_tools_objects() -> None:
    from langchain_codemode._json import to_jsonable

    cached = {"rows": [{"id": 1}]}
    value = to_jsonable(cached)
    cached["rows"][0]["id"] = 2  # a tool that reuses the object it returned
    assert value == {"rows": [{"id": 1}]}


def test_outputs_that_are_not_plain_json_still_convert() -> None:
    import datetime
    import math

    from langchain_codemode._json import to_jsonable_with_text

    class Point(BaseModel):
        x: int

    value, text = to_jsonable_with_text(
        {"p": Point(x=1), "when": datetime.date(2026, 12, 2), "nan": math.nan, "s": {1}}
    )
    assert value == {"p": {"x": 1}, "when": "2026-12-02", "nan": None, "s": [1]}
    assert text is None  # made by the walk, encoded by the runner


async def test_large_and_unusual_results_reach_the_script_intact() -> None:
    rows = [{"id": i, "name": f'item "{i}" \\ {"é" * (i % 3)}'} for i in range(5000)]

    @tool
    async def many() -> list[dict[str, Any]]:
        """Many rows."""
        return rows

    @tool
    async def odd() -> dict[str, str]:
        """A string UTF-8 cannot carry, and line separators."""
        return {"s": "a\ud800b\u2028c\u2029"}

    toolkit = CodeModeToolkit([many, odd], typecheck=False)
    result = await toolkit.aexecute(
        "const r = await tools.many(); const o = await tools.odd();"
        " return [r.length, r[4999].name, o.s.length, o.s.charCodeAt(1), o.s.charCodeAt(3)]"
    )
    assert result.ok, result.error
    assert result.value == [5000, rows[4999]["name"], 6, 0xD800, 0x2028]
    assert result.calls[0].output == rows
