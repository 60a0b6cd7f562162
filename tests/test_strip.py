"""Tests for langchain_codemode.typescript.strip: TypeScript blanked in place, run in real V8."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from py_mini_racer import MiniRacer

from langchain_codemode.errors import TypeScriptSyntaxError
from langchain_codemode.typescript.strip import StrippedScript, strip_types


@pytest.fixture
def v8() -> Iterator[MiniRacer]:
    racer = MiniRacer()
    yield racer
    racer.close()


def run_body(racer: MiniRacer, js: str) -> Any:
    """Run ``js`` as the body of an async function and return its awaited, JSON-decoded result."""
    racer.eval(
        "var __out; (async () => {" + js + "\n})().then("
        "v => { __out = JSON.stringify(v === undefined ? null : v) },"
        " e => { __out = 'ERR:' + (e && e.stack || e) })"
    )
    out = racer.eval("__out")
    assert isinstance(out, str), f"script did not settle: {out!r}"
    if out.startswith("ERR:"):
        raise AssertionError(f"script failed in V8: {out}\n--- js ---\n{js}")
    return json.loads(out)


def utf16_units(line: str) -> list[bytes]:
    """A line as V8 sees it for columns: one item per UTF-16 code unit."""
    data = line.encode("utf-16-le")
    return [data[i : i + 2] for i in range(0, len(data), 2)]


def assert_positions_kept(ts: str, js: str) -> None:
    """Same line count, and every non-blank JS character sits where it was in the TS."""
    ts_lines, js_lines = ts.splitlines(), js.splitlines()
    assert len(js_lines) == len(ts_lines)
    assert js.count("\n") == ts.count("\n")
    space = " ".encode("utf-16-le")
    for number, (ts_line, js_line) in enumerate(zip(ts_lines, js_lines, strict=True), start=1):
        ts_units, js_units = utf16_units(ts_line), utf16_units(js_line)
        assert len(js_units) <= len(ts_units), f"line {number} grew: {js_line!r}"
        for column, unit in enumerate(js_units):
            if unit != space:
                assert ts_units[column] == unit, f"line {number} column {column + 1} moved"


# --- 1. realistic model-written TypeScript, run in V8 --------------------------------------------

SCRIPTS: list[tuple[str, str, Any]] = [
    (
        "interface_for_tool_result",
        """
interface WeatherResult { city: string; tempC: number; conditions?: string }
async function getWeather(city: string): Promise<WeatherResult> {
  return { city, tempC: city.length * 3 };
}
const r: WeatherResult = await getWeather("Paris");
return `${r.city}: ${r.tempC}C ${r.conditions ?? "n/a"}`;
""",
        "Paris: 15C n/a",
    ),
    (
        "typed_helper_function",
        """
function average(values: number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((a: number, b: number) => a + b, 0) / values.length;
}
return average([2, 4, 9]);
""",
        5,
    ),
    (
        "generic_function",
        """
function first<T>(items: T[], fallback: T): T {
  return items.length > 0 ? items[0] : fallback;
}
return [first<number>([7, 8], 0), first<string>([], "none")];
""",
        [7, "none"],
    ),
    (
        "generic_with_constraint",
        """
function pluck<T extends object, K extends keyof T>(rows: T[], key: K): T[K][] {
  return rows.map((row) => row[key]);
}
return pluck([{ id: 1, n: "a" }, { id: 2, n: "b" }], "n");
""",
        ["a", "b"],
    ),
    (
        "as_cast_of_unknown",
        """
const raw: unknown = JSON.parse('{"items":[1,2,3]}');
const data = raw as { items: number[] };
return data.items.length;
""",
        3,
    ),
    (
        "promise_all_typed",
        """
type User = { id: number; name: string };
const fetchUser = async (id: number): Promise<User> => ({ id, name: `user${id}` });
const users: User[] = await Promise.all([1, 2, 3].map((id) => fetchUser(id)));
return users.map((u: User) => u.name).join(",");
""",
        "user1,user2,user3",
    ),
    (
        "promise_all_tuple_types",
        """
const [count, label] = await Promise.all<[Promise<number>, Promise<string>]>([
  Promise.resolve(4),
  Promise.resolve("items"),
]);
return `${count} ${label}`;
""",
        "4 items",
    ),
    (
        "numeric_enum_reverse_mapping",
        """
enum Color { Red, Green = 5, Blue }
return [Color.Red, Color.Green, Color.Blue, Color[0], Color[6]];
""",
        [0, 5, 6, "Red", "Blue"],
    ),
    (
        "string_enum_multiline",
        """
enum Status {
  Open = "open",
  Closed = "closed", // done
}
const s: Status = Status.Closed;
return [s, Object.keys(Status).length];
""",
        ["closed", 2],
    ),
    (
        "const_enum_referencing_members",
        """
const enum Flags {
  None = 0,
  Read = 1 << 0,
  Write = 1 << 1,
  ReadWrite = Read | Write,
}
return Flags.ReadWrite;
""",
        3,
    ),
    (
        "enum_followed_by_code_on_same_line",
        """
enum Level {
  Low = 1,
  High
}; const lv: Level = Level.High;
return lv;
""",
        2,
    ),
    (
        "optional_chaining_with_non_null",
        """
interface Doc { meta?: { tags?: string[] } }
const doc: Doc = { meta: { tags: ["x", "y"] } };
const tags = doc.meta?.tags!;
return tags!.length + doc.meta!.tags![0];
""",
        "2x",
    ),
    (
        "class_with_typed_fields",
        """
class Counter {
  private count: number = 0;
  readonly name: string;
  static created: number = 0;
  constructor(name: string) {
    this.name = name;
    Counter.created++;
  }
  increment(by: number = 1): this {
    this.count += by;
    return this;
  }
  get value(): number { return this.count; }
}
const c = new Counter("c").increment().increment(5);
return [c.value, c.name, Counter.created];
""",
        [6, "c", 1],
    ),
    (
        "satisfies_operator",
        """
type Config = Record<string, number | string>;
const config = { retries: 3, mode: "fast" } satisfies Config;
return config.retries + 1;
""",
        4,
    ),
    (
        "arrow_functions_with_return_types",
        """
const double = (n: number): number => n * 2;
const greet = (name: string, punct?: string): string => `hi ${name}${punct ?? "!"}`;
return [double(21), greet("bob"), greet("amy", "?")];
""",
        [42, "hi bob!", "hi amy?"],
    ),
    (
        "destructuring_with_types",
        """
const { title, pages }: { title: string; pages: number } = { title: "TS", pages: 10 };
const [head, ...rest]: [string, ...string[]] = ["a", "b", "c"];
function area({ w, h }: { w: number; h: number }): number { return w * h; }
return [title, pages, head, rest.length, area({ w: 2, h: 3 })];
""",
        ["TS", 10, "a", 2, 6],
    ),
    (
        "record_accumulator",
        """
const words: string[] = ["a", "b", "a", "c", "a"];
const counts: Record<string, number> = {};
for (const w of words) {
  counts[w] = (counts[w] ?? 0) + 1;
}
return counts;
""",
        {"a": 3, "b": 1, "c": 1},
    ),
    (
        "reduce_with_generic_accumulator",
        """
interface Order { customer: string; total: number }
const orders: Order[] = [
  { customer: "x", total: 5 },
  { customer: "y", total: 7 },
  { customer: "x", total: 1 },
];
const byCustomer = orders.reduce<Record<string, number>>((acc, o) => {
  acc[o.customer] = (acc[o.customer] || 0) + o.total;
  return acc;
}, {});
return byCustomer;
""",
        {"x": 6, "y": 7},
    ),
    (
        "map_and_set_with_type_arguments",
        """
const seen = new Set<string>();
const index = new Map<string, number[]>();
for (const [i, w] of ["a", "b", "a"].entries()) {
  seen.add(w);
  index.set(w, [...(index.get(w) ?? []), i]);
}
return [seen.size, index.get("a")];
""",
        [2, [0, 2]],
    ),
    (
        "type_alias_union_and_narrowing",
        """
type Shape = { kind: "circle"; r: number } | { kind: "square"; side: number };
function areaOf(s: Shape): number {
  switch (s.kind) {
    case "circle": return Math.round(Math.PI * s.r * s.r);
    case "square": return s.side * s.side;
  }
}
return [areaOf({ kind: "circle", r: 1 }), areaOf({ kind: "square", side: 3 })];
""",
        [3, 9],
    ),
    (
        "type_guard_function",
        """
function isString(value: unknown): value is string {
  return typeof value === "string";
}
const mixed: unknown[] = [1, "two", 3, "four"];
return mixed.filter(isString);
""",
        ["two", "four"],
    ),
    (
        "assertion_function",
        """
function assertDefined<T>(value: T | undefined, msg: string): asserts value is T {
  if (value === undefined) throw new Error(msg);
}
const found: number | undefined = [4, 5].find((n) => n > 4);
assertDefined(found, "missing");
return found * 2;
""",
        10,
    ),
    (
        "as_const_tuple",
        """
const LEVELS = ["low", "mid", "high"] as const;
type Level = (typeof LEVELS)[number];
const pick = (i: number): Level => LEVELS[i];
return pick(2);
""",
        "high",
    ),
    (
        "angle_bracket_assertion",
        """
const input: any = { n: 41 };
const n = <number>input.n;
return (<{ n: number }>input).n + n;
""",
        82,
    ),
    (
        "try_catch_unknown",
        """
try {
  JSON.parse("{bad");
  return "parsed";
} catch (err: unknown) {
  const message = (err as Error).message;
  return message.length > 0 ? "caught" : "empty";
}
""",
        "caught",
    ),
    (
        "class_implements_interface",
        """
interface Greeter { greet(name: string): string }
class Polite implements Greeter {
  greet(name: string): string { return `Good day, ${name}`; }
}
const g: Greeter = new Polite();
return g.greet("Ada");
""",
        "Good day, Ada",
    ),
    (
        "abstract_class_and_override",
        """
abstract class Animal {
  protected abstract sound(): string;
  abstract legs: number;
  public speak(): string { return `${this.constructor.name} says ${this.sound()}`; }
}
class Dog extends Animal {
  legs = 4;
  protected override sound(): string { return "woof"; }
}
return new Dog().speak() + " on " + new Dog().legs;
""",
        "Dog says woof on 4",
    ),
    (
        "generic_class",
        """
class Stack<T> {
  private items: T[] = [];
  push(item: T): void { this.items.push(item); }
  pop(): T | undefined { return this.items.pop(); }
  get size(): number { return this.items.length; }
}
const s = new Stack<number>();
s.push(1); s.push(2);
return [s.pop(), s.size];
""",
        [2, 1],
    ),
    (
        "optional_and_definite_fields",
        """
class Job {
  id!: number;
  note?: string;
  declare hidden: boolean;
  [key: string]: unknown;
}
const j = new Job();
j.id = 9;
return [j.id, "note" in j, "hidden" in j];
""",
        [9, True, False],
    ),
    (
        "function_overloads",
        """
function format(value: number): string;
function format(value: string): string;
function format(value: number | string): string {
  return typeof value === "number" ? value.toFixed(1) : value.toUpperCase();
}
return [format(2), format("ok")];
""",
        ["2.0", "OK"],
    ),
    (
        "method_overloads_in_class",
        """
class Parser {
  parse(input: string): number;
  parse(input: number): number;
  parse(input: string | number): number { return Number(input) * 2; }
}
return new Parser().parse("21");
""",
        42,
    ),
    (
        "this_parameter",
        """
function describe(this: { label: string }, suffix: string): string {
  return this.label + suffix;
}
return describe.call({ label: "box" }, "!");
""",
        "box!",
    ),
    (
        "generic_async_retry_helper",
        """
async function withRetry<T>(fn: () => Promise<T>, attempts: number = 3): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try { return await fn(); } catch (e) { lastError = e; }
  }
  throw lastError;
}
let calls = 0;
const value = await withRetry<string>(async () => {
  calls++;
  if (calls < 3) throw new Error("flaky");
  return "done";
});
return [value, calls];
""",
        ["done", 3],
    ),
    (
        "let_with_definite_assignment",
        """
let total!: number;
let label: string | null = null;
total = [1, 2, 3].reduce((a, b) => a + b);
label = "sum";
return `${label}=${total}`;
""",
        "sum=6",
    ),
    (
        "declare_and_namespace_of_types",
        """
declare const injected: string;
declare function helper(x: number): number;
namespace Api {
  export interface Item { id: number }
  export type Id = number;
}
const item: Api.Item = { id: 3 };
return item.id;
""",
        3,
    ),
    (
        "export_keywords_and_type_exports",
        """
export interface Row { v: number }
export type Rows = Row[];
export const rows: Rows = [{ v: 1 }, { v: 2 }];
export function sum(rs: Rows): number { return rs.reduce((a, r) => a + r.v, 0); }
return sum(rows);
""",
        3,
    ),
    (
        "ternary_and_object_literals_with_types",
        """
interface Score { name: string; points: number }
const scores: Score[] = [{ name: "a", points: 3 }, { name: "b", points: 8 }];
const best = scores.reduce((x: Score, y: Score) => (x.points > y.points ? x : y));
const summary = { winner: best.name, margin: best.points - 3, tie: false ? 1 : 0 };
return summary;
""",
        {"winner": "b", "margin": 5, "tie": 0},
    ),
    (
        "nested_generics_and_callbacks",
        """
type Handler<T> = (value: T) => Promise<void> | void;
const log: string[] = [];
const handlers: Array<Handler<number>> = [
  (v) => { log.push(`a${v}`); },
  async (v: number): Promise<void> => { log.push(`b${v}`); },
];
for (const h of handlers) await h(1);
return log;
""",
        ["a1", "b1"],
    ),
    (
        "instantiation_expression_and_keyof",
        """
const toList = <T,>(x: T): T[] => [x];
const toNumberList = toList<number>;
const obj = { a: 1, b: 2 };
const keys = Object.keys(obj) as (keyof typeof obj)[];
return [toNumberList(5), keys];
""",
        [[5], ["a", "b"]],
    ),
    (
        "object_method_generics",
        """
const api = {
  async get<T>(path: string, fallback: T): Promise<T> { return path ? fallback : fallback; },
  wrap<T>(value: T): { value: T } { return { value }; },
};
const got = await api.get<number>("/x", 7);
return api.wrap(got);
""",
        {"value": 7},
    ),
    (
        "top_level_await_and_early_return",
        """
const wait = (ms: number): Promise<number> => new Promise((r) => setTimeout(() => r(ms), 0));
const values: number[] = [];
for (const ms of [1, 2]) {
  values.push(await Promise.resolve(ms));
}
if (values.length === 2) {
  return values as number[];
}
return null;
""",
        [1, 2],
    ),
    (
        "unicode_in_types_and_strings",
        """
type Mood = "😀" | "😢";
const mood: Mood = "😀";
const label: string = "café";
return `${label} ${mood}`.length;
""",
        7,
    ),
    (
        "class_expression_and_static_typed",
        """
const Registry = class<T> {
  static instances: number = 0;
  private entries: Map<string, T> = new Map();
  add(key: string, value: T): this { this.entries.set(key, value); return this; }
  keys(): string[] { return [...this.entries.keys()]; }
};
return new Registry<number>().add("x", 1).add("y", 2).keys();
""",
        ["x", "y"],
    ),
    (
        "multiline_types_and_annotations",
        """
interface Page<T> {
  items: T[];
  next?: string;
}
const page: Page<{
  id: number;
}> = {
  items: [{ id: 1 }, { id: 2 }],
};
function ids(
  p: Page<{ id: number }>,
  limit?: number,
): number[] {
  return p.items.slice(0, limit).map((i) => i.id);
}
return ids(page, 1);
""",
        [1],
    ),
    (
        "import_type_statement",
        """
import type { Something } from "./types";
const s: Something | null = null;
return s === null;
""",
        True,
    ),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    [pytest.param(source, expected, id=name) for name, source, expected in SCRIPTS],
)
def test_stripped_script_runs_in_v8(v8: MiniRacer, source: str, expected: Any) -> None:
    stripped = strip_types(source)
    assert isinstance(stripped, StrippedScript)
    assert run_body(v8, stripped.js) == expected
    if "enum" in source:
        assert stripped.js.count("\n") == source.count("\n")
    else:
        assert_positions_kept(source, stripped.js)


def test_there_are_at_least_forty_scripts() -> None:
    assert len(SCRIPTS) >= 40


# --- 2. line and column preservation -------------------------------------------------------------

POSITION_SCRIPT = """interface Item { id: number; price?: number }
const items: Item[] = [{ id: 1, price: 3 }, { id: 2 }];
function priceOf<T extends Item>(item: T): number {
  return item.price!;
}
const total = items.map((i: Item) => priceOf<Item>(i)).reduce((a: number, b: number) => a + b, 0);
if (Number.isNaN(total as number)) {
  const detail: string = `missing price`; throw new Error(detail as string);
}
return total;
"""


def test_error_position_in_v8_matches_the_typescript(v8: MiniRacer) -> None:
    js = strip_types(POSITION_SCRIPT).js
    assert_positions_kept(POSITION_SCRIPT, js)
    v8.eval(
        "var __out; (async () => {" + js + "\n})().then(v => { __out = 'ok' },"
        " e => { __out = e.stack })"
    )
    stack = v8.eval("__out")
    line_no = 8
    column = POSITION_SCRIPT.splitlines()[line_no - 1].index("new Error") + 1
    assert re.search(rf"<anonymous>:{line_no}:{column}\b", stack), stack


def test_first_line_columns_are_not_shifted_by_the_wrapper() -> None:
    source = "const a: number = 1; const b = a as number; return b;"
    assert strip_types(source).js == "const a         = 1; const b = a          ; return b;"


def test_blanked_astral_characters_keep_utf16_width() -> None:
    source = 'const face: "😀" = "😀"; return face;'
    js = strip_types(source).js
    # V8 counts columns in UTF-16 units: the emoji is two of them, so it becomes two spaces.
    assert js == 'const face       = "😀"; return face;'
    assert len(js.encode("utf-16-le")) == len(source.encode("utf-16-le"))


def test_line_breaks_of_every_kind_are_kept() -> None:
    source = "const x: {\r\n  a: number\r\n} = { a: 1 };\rreturn x.a;"
    js = strip_types(source).js
    assert js == "const x   \r\n           \r\n  = { a: 1 };\rreturn x.a;"


def test_enum_keeps_line_count_and_code_after_it(v8: MiniRacer) -> None:
    source = "enum E {\n  A = 2,\n  B,\n} const after = E.B;\nreturn after;"
    js = strip_types(source).js
    assert js.count("\n") == source.count("\n")
    last_enum_line = source.splitlines()[3]
    assert js.splitlines()[3].index("const after") == last_enum_line.index("const after")
    assert run_body(v8, js) == 3


def test_single_line_enum_still_runs(v8: MiniRacer) -> None:
    js = strip_types("enum E { A, B } return [E.B, E[1]];").js
    assert "\n" not in js
    assert run_body(v8, js) == [1, "B"]


def test_enum_merging_and_string_member_names(v8: MiniRacer) -> None:
    source = 'enum E { A = 1 }\nenum E { "b-c" = "x", D = E.A + 10 }\nreturn [E.A, E["b-c"], E.D];'
    assert run_body(v8, strip_types(source).js) == [1, "x", 11]


def test_declare_enum_is_blanked_not_rewritten() -> None:
    source = "declare enum Ambient { A }\nreturn 1;"
    assert strip_types(source).js == " " * len("declare enum Ambient { A }") + "\nreturn 1;"


# --- 3. async arrow detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "async () => { return 1; }",
        "async () => { return 1; };",
        "// fetch the data\nasync (): Promise<number> => {\n  const x: number = await f();\n"
        "  return x;\n}\n",
        "(async () => 42)",
        "async x => x",
    ],
)
def test_is_async_arrow_true(source: str) -> None:
    assert strip_types(source).is_async_arrow is True


@pytest.mark.parametrize(
    "source",
    [
        "return 1;",
        "() => { return 1; }",
        "async function main() { return 1; }",
        "(async () => { return 1; })();",
        "const f = async () => 1;\nreturn await f();",
        "async () => 1;\nreturn 2;",
        "await fetchIt();",
        "asyncThing();",
    ],
)
def test_is_async_arrow_false(source: str) -> None:
    assert strip_types(source).is_async_arrow is False


def test_async_arrow_js_is_still_stripped(v8: MiniRacer) -> None:
    stripped = strip_types("async (): Promise<number> => {\n  return 20 as number;\n}")
    assert stripped.is_async_arrow
    assert run_body(v8, "return await (" + stripped.js + "\n)();") == 20


# --- 4. TypeScript that cannot be stripped in place ----------------------------------------------


def test_parameter_property_raises_with_position() -> None:
    source = "const a = 1;\nclass P {\n  constructor(private x: number) {}\n}\nreturn new P(1);"
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types(source)
    assert caught.value.line == 3
    assert caught.value.column == 15
    assert "parameter properties" in str(caught.value)


@pytest.mark.parametrize("modifier", ["public", "protected", "readonly", "private readonly"])
def test_every_parameter_property_modifier_raises(modifier: str) -> None:
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types(f"class P {{\n  constructor(a: number, {modifier} b: string) {{}}\n}}")
    assert caught.value.line == 2


def test_namespace_with_values_raises() -> None:
    source = "let n = 0;\n\nnamespace Util {\n  export const twice = (x: number) => x * 2;\n}\n"
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types(source)
    assert (caught.value.line, caught.value.column) == (3, 1)
    assert "namespace" in str(caught.value)


def test_module_declaration_with_values_raises() -> None:
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types("const z = 1;\nmodule M { export function f() {} }")
    assert caught.value.line == 2


def test_arrow_return_type_spanning_lines_raises() -> None:
    source = "const f = (a: number):\n  number => a;\nreturn f(1);"
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types(source)
    assert caught.value.line == 1


def test_first_unsupported_construct_is_reported() -> None:
    source = "namespace A { export const x = 1 }\nclass B { constructor(public y: number) {} }"
    with pytest.raises(TypeScriptSyntaxError) as caught:
        strip_types(source)
    assert caught.value.line == 1


@pytest.mark.parametrize(
    "source",
    [
        "declare namespace Lib { const v: number }\nreturn 1;",
        "declare module 'lib' { export const v: number }\nreturn 1;",
        "declare class C { constructor(private x: number) }\nreturn 1;",
        "type Ctor = new (x: number) => object;\nreturn 1;",
        "namespace Types { export interface A {} export type B = A }\nreturn 1;",
    ],
)
def test_ambient_and_type_only_declarations_do_not_raise(v8: MiniRacer, source: str) -> None:
    assert run_body(v8, strip_types(source).js) == 1


def test_plain_syntax_errors_are_left_for_v8(v8: MiniRacer) -> None:
    source = "const x: number = ;\nreturn x;"
    js = strip_types(source).js
    assert js.startswith("const x         = ;")
    v8.eval(
        "var __err = ''; try { eval(" + json.dumps("(async () => {" + js + "\n})") + ") }"
        " catch (e) { __err = e.name }"
    )
    assert v8.eval("__err") == "SyntaxError"


def test_decorators_are_left_alone() -> None:
    source = "@sealed\nclass A { @log m(): void {} }"
    assert strip_types(source).js == "@sealed\nclass A { @log m()       {} }"


# --- 5. plain JavaScript passes through byte-identical -------------------------------------------

PLAIN_JS = [
    "return 1;",
    "const re = /a<b>c:d?/g;\nreturn 'x<y>z'.match(re);",
    "const name = 'w';\nreturn `hello ${name}: ${1 + 2 > 2 ? 'big' : 'small'}`;",
    "// a comment with : types? <T>\n/* block: as string */\nreturn 2;",
    "const a = 1, b = 2, c = 3;\nreturn a < b > c;",
    "const x = 5;\nreturn x > 3 ? x : -x;",
    "const o = { key: 'value', nested: { deep: [1, 2] }, 'q': x ? y : z };",
    "outer: for (const i of [1, 2]) {\n  for (const j of [3]) { if (j) continue outer; }\n}",
    "switch (k) {\n  case 1: return 'one';\n  case 'a': { break; }\n  default: return null;\n}",
    "const f = function (a, b = 2, ...rest) { return a ?? b; };\nreturn f?.(1);",
    "class A extends B { #p = 1; static s = 2; get v() { return this.#p; } }",
    "const { a: renamed = 4, ...others } = obj;\nconst [p, , q] = arr;",
    "let notTyped = !flag;\nnotTyped = a !== b && !c;\nreturn !!notTyped;",
    "async function* gen() { yield* other(); }\nfor await (const v of gen()) {}",
    "const big = 10n ** 2n;\nconst s = 'don\\'t';\nconst t = \"a\\nb\";",
    "if (a) b(); else if (c) d();\ndo { i++ } while (i < 10)\nreturn i",
    "const arrow = async ({ a, b }) => ({ a, b });\nreturn arrow({ a: 1, b: 2 });",
    "x = y\n(z)\nreturn x",
]


@pytest.mark.parametrize("source", PLAIN_JS)
def test_plain_javascript_is_unchanged(source: str) -> None:
    assert strip_types(source).js == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("const a = 1, b = 2, c = 3;\nreturn a < b > c;", False),
        ("const re = /<(\\w+)>/;\nreturn 'a <b> c'.replace(re, '$1');", "a b c"),
        ("const p = { a: 1 };\nreturn p.a ? `${p.a}: yes` : 'no';", "1: yes"),
        ("lbl: { break lbl; }\nswitch (2) { case 2: return 'two'; }", "two"),
    ],
)
def test_plain_javascript_still_runs(v8: MiniRacer, source: str, expected: Any) -> None:
    assert run_body(v8, strip_types(source).js) == expected


# --- robustness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    ["", "\n\n", "// only a comment", "}", "}\nconst x: number = 1;\n{", "enum", "enum E {", "<"],
)
def test_odd_inputs_keep_their_lines(source: str) -> None:
    assert strip_types(source).js.count("\n") == source.count("\n")


def test_every_prefix_of_every_script_strips_without_crashing() -> None:
    # Half-written code is what tree-sitter recovers from worst; stripping must still keep lines.
    for _, source, _ in SCRIPTS:
        for cut in range(0, len(source), 5):
            prefix = source[:cut]
            try:
                js = strip_types(prefix).js
            except TypeScriptSyntaxError:
                continue
            assert js.count("\n") == prefix.count("\n"), prefix
