"""The whole-API declarations: corpus snapshot, tsc checks, layout rules, output types."""

from __future__ import annotations

import copy
import dataclasses
import enum
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal, Optional, Union

import pytest
from langchain_core.tools import BaseTool, StructuredTool, tool
from pydantic import BaseModel
from typing_extensions import TypedDict

from langchain_codemode.typescript.declarations import ToolSignature, render_declarations
from langchain_codemode.typescript.output_types import (
    output_schema_for_tool,
    output_schema_from_annotation,
)

try:
    from tests.corpus_tools import CORPUS, js_identifier, signatures
    from tests.tsc import run_tsc
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from corpus_tools import CORPUS, js_identifier, signatures  # type: ignore[no-redef]
    from tsc import run_tsc  # type: ignore[no-redef]

SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus.d.ts"
COMPACT_SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus.compact.d.ts"


def sig(
    identifier: str,
    input_schema: dict[str, Any],
    output_schema: dict[str, Any] | None = None,
    description: str = "",
    name: str | None = None,
) -> ToolSignature:
    return ToolSignature(identifier, name or identifier, description, input_schema, output_schema)


# --------------------------------------------------------------------------------------------
# Corpus: snapshot, determinism, tsc
# --------------------------------------------------------------------------------------------


def test_corpus_is_large_and_identifiers_are_unique() -> None:
    assert len(CORPUS) >= 30
    identifiers = [js_identifier(t.name) for t in CORPUS]
    assert len(set(identifiers)) == len(identifiers)
    assert "get_sum" in identifiers
    assert "route_distance" in identifiers


@pytest.mark.parametrize(
    ("compact", "snapshot"), [(False, SNAPSHOT), (True, COMPACT_SNAPSHOT)], ids=["full", "compact"]
)
def test_corpus_snapshot(compact: bool, snapshot: Path) -> None:
    rendered = render_declarations(signatures(), compact=compact)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"missing {snapshot}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert rendered == snapshot.read_text(encoding="utf-8"), (
        "declarations changed; review the diff and rerun with UPDATE_SNAPSHOTS=1"
    )


def test_compact_declarations_are_one_line_per_tool_without_docs() -> None:
    text = render_declarations(signatures(), compact=True)
    assert "/**" not in text and "/*" not in text
    block = text[text.index("declare const tools: {") :].splitlines()
    members = block[1:-1]
    assert len(members) == len(CORPUS)
    assert all(line.startswith("  ") and line.endswith(";") for line in members)
    assert (
        '  get_weather(args: { location: string; units?: "metric" | "imperial"; '
        "days?: number }): Promise<WeatherReport>;"
    ) in members
    named = text[: text.index("declare const tools")].strip().splitlines()
    assert all(line.startswith(("interface ", "type ")) for line in named)
    extra = render_declarations(signatures()[:1], compact=True, extra_members=["$x(): void;"])
    assert "declare const tools: {\n  $x(): void;\n  web_search(" in extra


def test_corpus_rendering_is_deterministic_across_processes() -> None:
    first = render_declarations(signatures())
    assert render_declarations(copy.deepcopy(signatures())) == first
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from corpus_tools import signatures\n"
        "from langchain_codemode.typescript.declarations import render_declarations\n"
        "sys.stdout.write(render_declarations(signatures()))\n"
    )
    here = Path(__file__).parent
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(here), str(here.parent)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    assert done.stdout == first


_USAGE_OK = """\
async function useEveryTool(): Promise<void> {
  const hits: SearchResult[] = await tools.web_search({ query: "ts", max_results: 3, topic: "news" });
  hits.map((h) => h.url.length + h.score);
  await tools.web_search({ query: "x", include_domains: null });
  const rows = await tools.sql_query({ query: "SELECT ?", params: [1, "a", null] });
  rows[0]["x"];
  const text: string = await tools.read_file({ path: "a.txt", start_line: 1 });
  await tools.write_file({ path: "a", content: "b", mode: "a", create_dirs: true });
  const w = await tools.get_weather({ location: "Paris", units: "imperial", days: 3 });
  const condition: "sunny" | "cloudy" | "rain" | "snow" = w.condition;
  w.forecast?.[0]?.high_c.toFixed(1);
  const n: number = await tools.calculator({ expression: "1+1" });
  const wiki = await tools.wikipedia({ query: "TypeScript" });
  wiki.summary.trim();
  const files: string[] = await tools.list_directory();
  await tools.list_directory({ recursive: true, glob: "*.py" });
  const now: string = await tools.get_current_time();
  const quote = await tools.stock_price({ symbol: "AAPL" });
  if (quote !== null) quote.price.toFixed(2);
  const tr = await tools.translate({ text: "hi", target: "fr", source: null });
  tr.confidence.toFixed(2);
  await tools.python_repl({ code: "print(1)", timeout: null });
  const changed: number = await tools.bulk_tag({ items: [{ id: 1 }], tags: ["x"] });
  const page: string = await tools.fetch_page({ url: "https://example.com" });
  const news = await tools.news_search({ query: "ai" });
  news[0].headline.trim();
  const kind: "bug" | "feature" | "question" = await tools.classify_ticket({ text: "it crashes" });
  const sent: Record<string, string> = await tools.send_email({
    to: ["a@b.c"],
    subject: "Hi",
    body: "Hello",
    priority: "high",
    attachments: [{ filename: "a.txt", content_base64: "" }],
  });
  const ev = await tools.create_calendar_event({
    title: "Sync",
    start: "2024-01-01T10:00:00Z",
    end: "2024-01-01T11:00:00Z",
    attendees: [{ email: "a@b.c" }],
    recurrence: { frequency: "weekly", interval: 2 },
  });
  ev.attendees?.[0]?.email.trim();
  await tools.summarize_tree({
    root: { label: "root", children: [{ label: "leaf", value: 1, children: [] }] },
    max_depth: 5,
  });
  const stored = await tools.upload_tree({
    destination: "s3://bucket",
    tree: {
      name: "d",
      entries: [
        { kind: "file", name: "f", size: 1 },
        { kind: "directory", name: "sub", entries: [] },
      ],
    },
  });
  stored.entries?.length;
  const area = await tools.shape_area({
    shapes: [{ type: "circle", radius: 1 }, { type: "rect", width: 1, height: 2 }],
  });
  area.total.toFixed(2);
  const counts: Record<string, number> = await tools.word_count({ text: "a a b" });
  const legacy: unknown = await tools.legacy_lookup({ key: "k" });
  const pos = await tools.geocode({ address: "1 Main St", country_codes: ["US"] });
  pos.lat + pos.lon;
  const resp = await tools.http_request({
    method: "POST",
    url: "https://api.example.com",
    headers: { accept: "application/json" },
    body: { x: 1 },
    timeout: 5,
  });
  resp.status.toFixed(0);
  await tools.get_sum({ a: 1, b: 2 });
  await tools.fetch({ url: "https://example.com", max_length: 100, raw: true });
  await tools.create_issue({ owner: "o", repo: "r", title: "t", body: null, labels: ["bug"], milestone: 3 });
  await tools.search_repositories({ query: "q", perPage: 10 });
  await tools.edit_file({ path: "a", edits: [{ oldText: "a", newText: "b" }], dryRun: true });
  await tools.puppeteer_navigate({ url: "https://x", launchOptions: { headless: true } });
  await tools.create_entities({ entities: [{ name: "n", entityType: "person", observations: [] }] });
  await tools.route_distance({ from: [1, 2], to: [3, 4], waypoints: ["via", [5, 6], [7, 8]], mode: "driving" });
  await tools.query_records({
    collection: "users",
    filter: { and: [{ field: "age", op: ">", value: 3 }, { not: { or: [] } }] },
    limit: 10,
    order_by: null,
  });
  const url: string = await tools.plot_points({ points: [{ x: 1, y: 2 }], bbox_min: { x: 0, y: 0 } });
  await tools.create_order({
    customer_id: "c",
    items: [{ sku: "s", quantity: 1 }],
    shipping_address: { street: "s", city: "c", postal_code: "p" },
    billing_address: { street: "s", city: "c", postal_code: "p", country: "FR" },
  });
  await tools.locate_store({ near: { line: "x" } });
  await tools.set_headers({
    object_key: "k",
    "content-type": "text/plain",
    "2fa_code": "123456",
    labels: { env: "prod" },
  });
  await tools.ping();
  await tools.log_event({ name: "click", count: 3 });
  await tools.log_event();
  await tools.merge_config({ config: { name: "x", version: 2 }, strategy: null });
  await tools.annotate_image({
    image_url: "https://x",
    annotations: [{ kind: "box", box: [1, 2, 3, 4], label: null }],
  });
  const [a, b] = await Promise.all([tools.get_sum({ a: 1, b: 2 }), tools.calculator({ expression: "2" })]);
}
"""

# Each line must fail to compile (the test checks every one of them errs).
_USAGE_BAD_LINES = [
    "await tools.web_search({ query: 42 });",  # wrong field type
    "await tools.get_sum({ a: 1 });",  # missing required field
    'await tools.get_weather({ location: "x", units: "kelvin" });',  # not in the enum
    "await tools.route_distance({ from: [1, 2, 3], to: [1, 2] });",  # tuple too long
    'await tools.create_order({ customer_id: "c", items: [], shipping_address: { street: "s" } });',
    "await tools.calculator();",  # args are required
    'const n: number = await tools.read_file({ path: "x" });',  # wrong result type
    'await tools.set_headers({ object_key: "k", "x-api-key": 1 });',  # quoted key, wrong type
    'await tools.create_entities({ entities: [{ name: "n" }] });',  # nested required missing
]


@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
def test_corpus_declarations_compile_and_reject_wrong_calls(tmp_path: Path, compact: bool) -> None:
    snapshot = tmp_path / "corpus.d.ts"
    snapshot.write_text(render_declarations(signatures(), compact=compact), encoding="utf-8")
    ok = tmp_path / "usage_ok.ts"
    ok.write_text(_USAGE_OK, encoding="utf-8")
    bad = tmp_path / "usage_bad.ts"
    header = "async function wrongCalls(): Promise<void> {"
    bad.write_text("\n".join([header, *_USAGE_BAD_LINES, "}"]) + "\n", encoding="utf-8")

    result = run_tsc([snapshot, ok, bad])

    errors = [line for line in result.output.splitlines() if ": error TS" in line]
    assert not result.ok
    outside_bad = [e for e in errors if not e.startswith("usage_bad.ts(")]
    assert not outside_bad, "\n".join(outside_bad)
    failing_lines = {int(m.group(1)) for m in re.finditer(r"usage_bad\.ts\((\d+),", result.output)}
    expected = set(range(2, 2 + len(_USAGE_BAD_LINES)))
    assert expected <= failing_lines, (expected - failing_lines, result.output)


# --------------------------------------------------------------------------------------------
# Layout rules
# --------------------------------------------------------------------------------------------


def test_layout_named_types_first_then_tools_in_order() -> None:
    address = {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    }
    tools = [
        sig(
            "zeta",
            {
                "type": "object",
                "properties": {"to": {"$ref": "#/$defs/Address"}},
                "$defs": {"Address": address},
            },
        ),
        sig("alpha", {"type": "object", "properties": {}}),
    ]
    text = render_declarations(tools)
    assert text.index("interface Address") < text.index("declare const tools")
    assert text.index("zeta(") < text.index("alpha(")
    assert text.endswith("};\n")


def test_args_optional_only_without_required_properties() -> None:
    text = render_declarations(
        [
            sig("a", {"type": "object", "properties": {"x": {"type": "string"}}}),
            sig(
                "b", {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}
            ),
            sig("c", {}),
            sig("d", {"properties": {"x": {"type": "number"}}, "required": ["x"]}),
        ]
    )
    assert "  a(args?: { x?: string }): Promise<unknown>;" in text
    assert "  b(args: { x: string }): Promise<unknown>;" in text
    assert "  c(args?: Record<string, unknown>): Promise<unknown>;" in text
    assert "  d(args: { x: number }): Promise<unknown>;" in text


def test_unknown_output_has_a_note_and_known_output_does_not() -> None:
    text = render_declarations(
        [
            sig("known", {}, {"type": "string"}, description="Known."),
            sig("unknown_out", {}, None, description="Unknown."),
            sig("empty_out", {}, {}, description="Empty."),
        ]
    )
    assert "  /** Known. */\n  known(args?: Record<string, unknown>): Promise<string>;" in text
    assert text.count("inspect it at runtime") == 2
    assert "unknown_out(args?: Record<string, unknown>): Promise<unknown>;" in text
    assert "empty_out(args?: Record<string, unknown>): Promise<unknown>;" in text


def test_output_description_is_a_returns_note_unless_the_type_is_named() -> None:
    text = render_declarations(
        [
            sig("count", {}, {"type": "integer", "description": "How many."}, description="C."),
            sig(
                "model",
                {},
                {
                    "title": "Point",
                    "description": "A point.",
                    "type": "object",
                    "properties": {"x": {"type": "number"}},
                },
            ),
        ]
    )
    assert "  /** C. @returns How many. */\n  count(" in text
    assert "/** A point. */\ninterface Point" in text
    assert text.count("A point.") == 1  # on the interface, not repeated as @returns


def test_str_tools_say_that_json_text_arrives_parsed() -> None:
    from langchain_codemode import CodeModeToolkit

    @tool
    def echo(text: str) -> str:
        """Return the text."""
        return text

    toolkit = CodeModeToolkit([echo])
    assert (
        "  /** Return the text. @returns The text; text that is a JSON object or array arrives "
        "parsed. */\n"
        "  echo(args: { text: string }): Promise<string | Record<string, unknown> | unknown[]>;"
    ) in toolkit.declarations
    result = toolkit.execute(
        'return [await tools.echo({ text: "[1,2]" }), await tools.echo({ text: "hi" })]'
    )
    assert result.value == [[1, 2], "hi"]  # parsing is kept: the note describes it


def test_description_is_jsdoc_safe_and_wrapped() -> None:
    long = "word " * 60
    text = render_declarations(
        [sig("t", {}, {"type": "null"}, description=f"Ends */ here. {long}")]
    )
    assert "*/ here" not in text
    assert "*\\/ here" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_identifier_that_is_not_valid_is_quoted() -> None:
    text = render_declarations([sig("get-sum", {}, {"type": "number"})])
    assert '  "get-sum"(args?: Record<string, unknown>): Promise<number>;' in text


def test_named_type_collisions_across_tools_get_suffixes() -> None:
    def with_def(props: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"item": {"$ref": "#/$defs/Item"}},
            "$defs": {"Item": {"title": "Item", "type": "object", "properties": props}},
        }

    text = render_declarations(
        [
            sig("one", with_def({"a": {"type": "string"}})),
            sig("two", with_def({"b": {"type": "number"}})),
            sig("three", with_def({"a": {"type": "string"}})),  # identical to one → shared
        ]
    )
    assert "interface Item {\n  a?: string;\n}" in text
    assert "interface Item2 {\n  b?: number;\n}" in text
    assert "Item3" not in text
    assert "one(args?: { item?: Item })" in text
    assert "two(args?: { item?: Item2 })" in text
    assert "three(args?: { item?: Item })" in text


def test_output_model_root_is_named_and_shared_with_inputs() -> None:
    class Point(BaseModel):
        x: float
        y: float

    class Segment(BaseModel):
        start: Point
        end: Point

    out = output_schema_from_annotation(Point)
    assert out is not None
    text = render_declarations(
        [
            sig("segment", Segment.model_json_schema(), out),
            sig("origin", {}, out),
        ]
    )
    assert text.count("interface Point ") == 1
    assert "segment(args: { start: Point; end: Point }): Promise<Point>;" in text
    assert "origin(args?: Record<string, unknown>): Promise<Point>;" in text


def test_recursive_input_root_becomes_a_named_interface() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#"}},
        },
        "required": ["name"],
    }
    text = render_declarations([sig("make_tree", schema)])
    assert "interface MakeTreeArgs {" in text
    assert "children?: MakeTreeArgs[];" in text
    assert "make_tree(args: MakeTreeArgs): Promise<unknown>;" in text


def test_garbage_signatures_never_raise() -> None:
    tools = [
        sig("a", {"type": 5}, {"$ref": 3}),
        sig("b", {"properties": []}, {"type": ["object", None]}),
        ToolSignature("c", "c", None, None, None),  # type: ignore[arg-type]
    ]
    text = render_declarations(tools)
    assert "declare const tools" in text


# --------------------------------------------------------------------------------------------
# Output types
# --------------------------------------------------------------------------------------------


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Item(BaseModel):
    name: str
    color: Color = Color.RED


@dataclasses.dataclass
class Pair:
    left: int
    right: int


class Movie(TypedDict):
    title: str
    year: int


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, {"type": "string"}),
        (int, {"type": "integer"}),
        (bool, {"type": "boolean"}),
        (type(None), {"type": "null"}),
        (list[str], {"type": "array", "items": {"type": "string"}}),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
        (Optional[int], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),  # noqa: UP045
        (int | None, {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        (Union[int, str], {"anyOf": [{"type": "integer"}, {"type": "string"}]}),  # noqa: UP007
        (Literal["a", "b"], {"enum": ["a", "b"], "type": "string"}),
    ],
)
def test_output_schema_from_simple_annotations(annotation: Any, expected: dict[str, Any]) -> None:
    assert output_schema_from_annotation(annotation) == expected


def test_output_schema_from_models() -> None:
    item = output_schema_from_annotation(Item)
    assert item is not None and item["title"] == "Item"
    assert item["required"] == ["name"]
    assert item["properties"]["color"]["default"] == "red"  # serialization mode: JSON values
    pair = output_schema_from_annotation(Pair)
    assert pair is not None and set(pair["properties"]) == {"left", "right"}
    movie = output_schema_from_annotation(list[Movie])
    assert movie is not None and movie["items"] == {"$ref": "#/$defs/Movie"}


@pytest.mark.parametrize("annotation", [Any, object, type("Opaque", (), {})])
def test_output_schema_unknown_annotations(annotation: Any) -> None:
    assert output_schema_from_annotation(annotation) is None


def test_output_schema_for_tools() -> None:
    @tool
    def plain(x: int) -> str:
        """Plain."""
        return ""

    @tool
    async def coro(x: int) -> list[Item]:
        """Async."""
        return []

    @tool
    def unannotated(x: int):  # type: ignore[no-untyped-def]
        """No return annotation."""
        return x

    @tool
    def anything(x: int) -> Any:
        """Any."""
        return x

    @tool(response_format="content_and_artifact")
    def with_artifact(x: int) -> tuple[str, dict[str, Any]]:
        """Content and artifact."""
        return "", {}

    override = StructuredTool.from_function(
        func=lambda x: x,
        name="override",
        description="Override.",
        metadata={"output_schema": {"type": "number"}},
    )

    class Annotated(BaseTool):
        name: str = "annotated"
        description: str = "Subclass."

        def _run(self, x: int) -> dict[str, float]:
            return {}

    class AsyncAnnotated(BaseTool):
        name: str = "async_annotated"
        description: str = "Subclass."

        def _run(self, x: int):  # type: ignore[no-untyped-def]
            return None

        async def _arun(self, x: int) -> bool:
            return True

    class Bare(BaseTool):
        name: str = "bare"
        description: str = "Subclass."

        def _run(self, x: int):  # type: ignore[no-untyped-def]
            return None

    assert output_schema_for_tool(plain) == {"type": "string"}
    coro_schema = output_schema_for_tool(coro)
    assert coro_schema is not None and coro_schema["type"] == "array"
    assert output_schema_for_tool(unannotated) is None
    assert output_schema_for_tool(anything) is None
    assert output_schema_for_tool(with_artifact) == {"type": "string"}
    assert output_schema_for_tool(override) == {"type": "number"}
    assert output_schema_for_tool(Annotated()) == {
        "type": "object",
        "additionalProperties": {"type": "number"},
    }
    assert output_schema_for_tool(AsyncAnnotated()) == {"type": "boolean"}
    assert output_schema_for_tool(Bare()) is None


def test_output_override_is_a_copy() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    t = StructuredTool.from_function(
        func=lambda: None, name="t", description="d", metadata={"output_schema": schema}
    )
    got = output_schema_for_tool(t)
    assert got == schema
    assert got is not schema
    json.dumps(got)
