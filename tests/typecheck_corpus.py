"""Scripts for the type-check corpora: correct ones that must pass, wrong ones that must not.

The correct scripts are written the way models write them: plain JavaScript with no
annotations, results of unknown shape used freely, ``catch (e) { e.message }``, ``JSON.parse``,
dynamic keys, ``any``. The wrong ones each misuse the declared API once, on a known line
(1-based, of the script as written), in one of the ways the check exists to stop.

``CORPUS_*`` scripts are written against ``tests/corpus_tools.py``; ``MCP_*`` against the two
MCP servers of ``tests/servers/`` loaded with ``namespaces=True`` (``tools.shop.*``,
``tools.notes.*``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CORPUS_CORRECT", "CORPUS_WRONG", "MCP_CORRECT", "MCP_WRONG", "Wrong"]


class Wrong(NamedTuple):
    name: str
    kind: str  # which mistake: tool, property, missing, argument, count, result, await
    script: str
    line: int  # where the diagnostic must be


CORPUS_CORRECT: list[tuple[str, str]] = [
    (
        "search_and_summarise",
        """\
const hits = await tools.web_search({ query: "langgraph checkpointers", max_results: 5 });
const top = hits.filter(h => h.score > 0.5).map(h => ({ title: h.title, url: h.url }));
return { count: top.length, top };""",
    ),
    (
        "catch_message",
        """\
let value;
try {
  value = await tools.calculator({ expression: "2 * (3 + 4)" });
} catch (e) {
  return { error: e.message, stack: e.stack };
}
return value * 2;""",
    ),
    (
        "json_parse_of_text",
        """\
const raw = await tools.read_file({ path: "config.json" });
const config = typeof raw === "string" ? JSON.parse(raw) : raw;
return config.database.host + ":" + config.database.port;""",
    ),
    (
        "text_result_used_as_object",
        """\
const page = await tools.fetch_page({ url: "https://example.com/data.json" });
return page.items.map(item => item.id).slice(0, 3);""",
    ),
    (
        "unknown_result_used_freely",
        """\
const entry = await tools.legacy_lookup({ key: "user:42" });
const name = entry.profile.name;
for (const [k, v] of Object.entries(entry.settings)) console.log(k, v);
return { name, theme: entry.settings?.theme ?? "light" };""",
    ),
    (
        "dynamic_keys",
        """\
const counts = await tools.word_count({ text: "a b a c" });
const key = "a";
const totals = {};
for (const word of Object.keys(counts)) {
  totals[word.toUpperCase()] = counts[word];
}
totals["total"] = Object.values(counts).reduce((s, n) => s + n, 0);
return { a: counts[key], totals };""",
    ),
    (
        "expando_object",
        """\
const report = {};
report.weather = await tools.get_weather({ location: "Paris, FR", days: 3 });
report.when = new Date().toISOString();
report["quote"] = await tools.stock_price({ symbol: "AAPL" });
return report;""",
    ),
    (
        "parallel_calls",
        """\
const cities = ["Paris, FR", "Berlin, DE", "Rome, IT"];
const reports = await Promise.all(cities.map(location => tools.get_weather({ location })));
const warmest = reports.reduce((a, b) => (a.temperature_c > b.temperature_c ? a : b));
return { warmest: warmest.location, temps: reports.map(r => r.temperature_c) };""",
    ),
    (
        "any_annotations",
        """\
const rows: any[] = await tools.sql_query({ query: "SELECT * FROM users WHERE id = ?", params: [42] });
const first: any = rows[0];
return first.email.toLowerCase();""",
    ),
    (
        "sql_rows_used_freely",
        """\
const rows = await tools.sql_query({ query: "SELECT id, total FROM orders" });
let sum = 0;
for (const row of rows) sum += row.total;
return { orders: rows.length, sum, ids: rows.map(r => r.id) };""",
    ),
    (
        "http_body_unknown",
        """\
const res = await tools.http_request({ method: "GET", url: "https://api.example.com/items" });
if (res.status !== 200) throw new Error("HTTP " + res.status);
const items = res.body.items || [];
return items.filter(i => i.active).length;""",
    ),
    (
        "nullable_result",
        """\
const quote = await tools.stock_price({ symbol: "MSFT" });
if (!quote) return null;
return `${quote.symbol}: ${quote.price.toFixed(2)}`;""",
    ),
    (
        "enum_result_compared",
        """\
const kind = await tools.classify_ticket({ text: "The app crashes on start" });
const queue = kind === "bug" ? "engineering" : kind === "feature" ? "product" : "support";
return { kind, queue };""",
    ),
    (
        "reassign_and_reuse",
        """\
let result = await tools.calculator({ expression: "1 / 3" });
result = Math.round(result * 100) / 100;
let label = "n/a";
label = String(result);
return label;""",
    ),
    (
        "write_to_a_typed_result",
        """\
const hits = await tools.web_search({ query: "x" });
for (const hit of hits) {
  hit.rank = hits.indexOf(hit) + 1;
  hit.domain = new URL(hit.url).hostname;
}
return hits;""",
    ),
    (
        "optional_args_omitted",
        """\
const files = await tools.list_directory();
const now = await tools.get_current_time();
const pinged = await tools.ping();
return { files: files.length, now, pinged };""",
    ),
    (
        "nested_args",
        """\
const order = await tools.create_order({
  customer_id: "c-1",
  items: [{ sku: "A-1", quantity: 2 }],
  shipping_address: { street: "1 Main St", city: "Springfield", postal_code: "12345" },
});
return order;""",
    ),
    (
        "recursive_filter_arg",
        """\
const records = await tools.query_records({
  collection: "users",
  filter: { and: [{ field: "age", op: ">=", value: 18 }, { not: { field: "banned", op: "=", value: true } }] },
});
return records;""",
    ),
    (
        "args_built_in_a_variable",
        """\
const args = { query: "weather in Paris" };
args.max_results = 3;
const hits = await tools.web_search(args);
const opts: any = { text: hits.map(h => h.title).join(" ") };
return tools.word_count(opts);""",
    ),
    (
        "then_chains",
        """\
return tools.wikipedia({ query: "Ada Lovelace", sentences: 2 })
  .then(s => s.summary)
  .catch(e => "failed: " + e.message);""",
    ),
    (
        "helper_functions",
        """\
async function weatherOf(city) {
  const r = await tools.get_weather({ location: city });
  return { city, t: r.temperature_c, c: r.condition };
}
function fmt(x) { return x.city + ": " + x.t + "C"; }
const all = [];
for (const city of ["Oslo", "Lima"]) all.push(await weatherOf(city));
return all.map(fmt);""",
    ),
    (
        "typescript_annotations",
        """\
interface Hit { title: string; url: string }
const hits: Hit[] = await tools.web_search({ query: "vector databases" });
const byHost: Record<string, Hit[]> = {};
for (const h of hits) (byHost[new URL(h.url).host] ??= []).push(h);
return Object.fromEntries(Object.entries(byHost).map(([k, v]) => [k, v.length]));""",
    ),
    (
        "geocode_and_route",
        """\
const a = await tools.geocode({ address: "10 Downing St, London" });
const b = await tools.geocode({ address: "Buckingham Palace" });
const d = Math.hypot(a.lat - b.lat, a.lon - b.lon);
const route = await tools.route_distance({ from: [a.lat, a.lon], to: [b.lat, b.lon] });
return { d, route: route.distance_km ?? route };""",
    ),
    (
        "mcp_style_unknown_results",
        """\
const issue = await tools.create_issue({ owner: "acme", repo: "app", title: "Crash on start" });
const repos = await tools.search_repositories({ query: "langchain" });
return { url: issue.html_url, n: repos.total_count, names: repos.items.map(r => r.full_name) };""",
    ),
    (
        "log_event_any_args",
        """\
await tools.log_event({ level: "info", message: "started", extra: { n: 1 } });
const s = await tools.get_sum({ a: 1, b: 2 });
return s.result ?? s;""",
    ),
    (
        "console_and_timers",
        """\
console.log("starting");
await new Promise(resolve => setTimeout(resolve, 10));
const t = await tools.translate({ text: "hello", target: "fr" });
console.warn("confidence", t.confidence);
return t.text;""",
    ),
    (
        "tree_arg",
        """\
const tree = { label: "root", children: [{ label: "a", value: 1 }, { label: "b", value: 2 }] };
const summary = await tools.summarize_tree({ root: tree, max_depth: 3 });
return Object.entries(summary).sort((x, y) => y[1] - x[1])[0];""",
    ),
    (
        "shapes_union_arg",
        """\
const report = await tools.shape_area({
  shapes: [{ type: "circle", radius: 1 }, { type: "rect", width: 2, height: 3 }],
});
return report.total.toFixed(3) + " over " + report.per_shape.length + " shapes";""",
    ),
    (
        "email_after_search",
        """\
const news = await tools.news_search({ query: "AI regulation", days: 3 });
const body = news.map((n, i) => `${i + 1}. ${n.headline} (${n.source})`).join("\\n");
const sent = await tools.send_email({ to: ["team@example.com"], subject: "News digest", body });
return sent;""",
    ),
    (
        "destructuring_and_spread",
        """\
const { lat, lon, ...rest } = await tools.geocode({ address: "Paris" });
const [first, ...others] = await tools.list_directory({ path: "src", recursive: true });
return { lat, lon, rest, first, others: others.length };""",
    ),
    (
        "async_arrow_form",
        """\
async () => {
  const r = await tools.calculator({ expression: "6 * 7" });
  return r;
}""",
    ),
    (
        "labels_and_unreachable",
        """\
outer: for (const i of [1, 2, 3]) {
  for (const j of [1, 2]) {
    if (i * j > 2) break outer;
  }
}
return await tools.calculator({ expression: "1" });
console.log("never");""",
    ),
    (
        "workspace_like_globals_missing",
        """\
const data = globalThis.cache || {};
data.last = await tools.ping();
return Object.keys(data);""",
    ),
    (
        "tools_checked_for_existence",
        """\
if (typeof tools.calculator === "function") {
  return await tools.calculator({ expression: "1 + 1" });
}
return null;""",
    ),
    (
        "defensive_typeof",
        """\
const n = await tools.calculator({ expression: "2 + 2" });
if (typeof n === "string") return n.trim();
if (n === null || n === "n/a") return 0;
return n;""",
    ),
    (
        "defensive_shape_checks",
        """\
const r = await tools.web_search({ query: "x" });
const list = Array.isArray(r) ? r : r.items || [];
const w = await tools.get_weather({ location: "Oslo" });
return { n: list.length, wind: w?.wind?.speed ?? 0, hasWind: "wind" in w, raw: w["wind"] };""",
    ),
    (
        "coercing_arithmetic",
        """\
const e = await tools.create_calendar_event({ title: "x", start: "2025-01-01T09:00:00Z", end: "2025-01-01T10:00:00Z" });
const idNumber = e.id * 1;
const hours = (new Date(e.end) - new Date(e.start)) / 36e5;
return { idNumber, hours, sortable: [e].sort((a, b) => a.title - b.title) };""",
    ),
    (
        "promise_race_with_a_timer",
        """\
const quote = tools.stock_price({ symbol: "ACME" });
const winner = await Promise.race([
  quote.then(() => "tool"),
  new Promise((resolve) => setTimeout(() => resolve("timer"), 20)),
]);
const sent = await tools.send_email({ to: ["a@example.com"], subject: winner, body: winner });
const later = await new Promise((resolve) => setTimeout(() => resolve({ text: "x" }), 1));
return tools.word_count({ text: later.text, case_sensitive: JSON.parse("true") });""",
    ),
    (
        "dynamic_tool_name",
        """\
const name = "calculator";
const r = await tools[name]({ expression: "3 * 3" });
return r;""",
    ),
]

CORPUS_WRONG: list[Wrong] = [
    Wrong(
        "unknown_tool",
        "tool",
        """\
const hits = await tools.web_search({ query: "x" });
const page = await tools.fetch_url({ url: hits[0].url });
return page;""",
        2,
    ),
    Wrong(
        "misspelled_tool",
        "tool",
        """\
const r = await tools.calculater({ expression: "1 + 1" });
return r;""",
        1,
    ),
    Wrong(
        "unknown_tool_in_promise_all",
        "tool",
        """\
const [a, b] = await Promise.all([
  tools.get_weather({ location: "Paris" }),
  tools.get_forecast({ location: "Paris" }),
]);
return [a, b];""",
        3,
    ),
    Wrong(
        "misspelled_argument",
        "property",
        """\
const hits = await tools.web_search({ query: "x", max_result: 3 });
return hits;""",
        1,
    ),
    Wrong(
        "unknown_argument",
        "property",
        """\
const w = await tools.get_weather({
  location: "Paris",
  language: "fr",
});
return w;""",
        3,
    ),
    Wrong(
        "unknown_nested_argument",
        "property",
        """\
const order = await tools.create_order({
  customer_id: "c-1",
  items: [{ sku: "A-1", quantity: 1 }],
  shipping_address: { street: "1 Main St", city: "X", zip: "12345" },
});
return order;""",
        4,
    ),
    Wrong(
        "missing_required_argument",
        "missing",
        """\
const t = await tools.translate({ text: "hello" });
return t.text;""",
        1,
    ),
    Wrong(
        "missing_nested_required",
        "missing",
        """\
const ok = 1;
const e = await tools.create_calendar_event({ title: "Standup", start: "2025-01-01T09:00:00Z" });
return e.id;""",
        2,
    ),
    Wrong(
        "no_arguments_for_a_required_object",
        "count",
        """\
const w = await tools.get_weather();
return w;""",
        1,
    ),
    Wrong(
        "two_arguments",
        "count",
        """\
const r = await tools.calculator({ expression: "1" }, { precise: true });
return r;""",
        1,
    ),
    Wrong(
        "positional_string_argument",
        "argument",
        """\
const hits = await tools.web_search("langgraph");
return hits;""",
        1,
    ),
    Wrong(
        "number_for_string",
        "argument",
        """\
const quote = await tools.stock_price({ symbol: 42 });
return quote;""",
        1,
    ),
    Wrong(
        "string_for_number",
        "argument",
        """\
const hits = await tools.web_search({ query: "x", max_results: "5" });
return hits;""",
        1,
    ),
    Wrong(
        "enum_value_not_allowed",
        "argument",
        """\
const t = await tools.translate({ text: "hi", target: "it" });
return t;""",
        1,
    ),
    Wrong(
        "string_for_array",
        "argument",
        """\
const sent = await tools.send_email({
  to: "team@example.com",
  subject: "hi",
  body: "hello",
});
return sent;""",
        2,
    ),
    Wrong(
        "tuple_of_wrong_length",
        "argument",
        """\
const r = await tools.annotate_image({
  image_url: "https://example.com/a.png",
  annotations: [{ kind: "box", box: [1, 2, 3] }],
});
return r;""",
        3,
    ),
    Wrong(
        "result_property_misspelled",
        "result",
        """\
const w = await tools.get_weather({ location: "Paris" });
return w.temperature;""",
        2,
    ),
    Wrong(
        "result_element_property_misspelled",
        "result",
        """\
const hits = await tools.web_search({ query: "x" });
return hits.map(h => h.link);""",
        2,
    ),
    Wrong(
        "number_result_used_as_string",
        "result",
        """\
const n = await tools.calculator({ expression: "1 + 1" });
return n.toUpperCase();""",
        2,
    ),
    Wrong(
        "array_result_used_as_object",
        "result",
        """\
const hits = await tools.web_search({ query: "x" });
return hits.results.length;""",
        2,
    ),
    Wrong(
        "object_result_iterated",
        "result",
        """\
const w = await tools.get_weather({ location: "Oslo" });
const out = [];
for (const day of w) out.push(day);
return out;""",
        3,
    ),
    Wrong(
        "result_into_wrong_annotation",
        "result",
        """\
const hits: string[] = await tools.web_search({ query: "x" });
return hits;""",
        1,
    ),
    Wrong(
        "result_passed_as_wrong_argument",
        "result",
        """\
const n = await tools.calculator({ expression: "2" });
const t = await tools.translate({ text: n, target: "fr" });
return t;""",
        2,
    ),
    Wrong(
        "destructured_missing_field",
        "result",
        """\
const { latitude, lon } = await tools.geocode({ address: "Paris" });
return [latitude, lon];""",
        1,
    ),
    Wrong(
        "missing_await_property",
        "await",
        """\
const w = tools.get_weather({ location: "Paris" });
return w.temperature_c;""",
        2,
    ),
    Wrong(
        "missing_await_map",
        "await",
        """\
const hits = tools.web_search({ query: "x" });
return hits.map(h => h.title);""",
        2,
    ),
    Wrong(
        "missing_await_for_of",
        "await",
        """\
const titles = [];
for (const h of tools.web_search({ query: "x" })) titles.push(h.title);
return titles;""",
        2,
    ),
    Wrong(
        "missing_await_arithmetic",
        "await",
        """\
const n = tools.calculator({ expression: "1" });
return n * 2;""",
        2,
    ),
    Wrong(
        "missing_await_plus",
        "await",
        """\
const total = 1;
const n = tools.calculator({ expression: "1" });
return total + n + 1 > 2;""",
        3,
    ),
    Wrong(
        "missing_await_comparison",
        "await",
        """\
const kind = tools.classify_ticket({ text: "crash" });
if (kind === "bug") return "engineering";
return "support";""",
        2,
    ),
    Wrong(
        "missing_await_as_argument",
        "await",
        """\
const kind = tools.classify_ticket({ text: "crash" });
const t = await tools.translate({ text: kind, target: "de" });
return t;""",
        2,
    ),
]

MCP_CORRECT: list[tuple[str, str]] = [
    (
        "mcp_product_and_sum",
        """\
const p = await tools.shop.get_product({ sku: "A-12" });
const s = await tools.shop.get_sum({ a: 2, b: 3 });
return { name: p.name, price: p.price, tags: p.tags.join(","), sum: s.result };""",
    ),
    (
        "mcp_unknown_results",
        """\
const data = await tools.shop.json_text();
const who = await tools.shop.whoami();
const note = await tools.notes.add_note({ text: "hi" });
return { first: data.items[0], pid: who.pid, n: note.number };""",
    ),
    (
        "mcp_catch",
        """\
try {
  await tools.shop.fail({ reason: "testing" });
} catch (err) {
  return "failed: " + err.message;
}""",
    ),
    (
        "mcp_notes_roundtrip",
        """\
await tools.notes.add_note({ text: "one" });
const { result } = await tools.notes.list_notes();
return result.filter(n => n.startsWith("o")).length;""",
    ),
    (
        "mcp_dynamic_server",
        """\
const server = "shop";
const p = await tools[server].get_product({ sku: "Z" });
return p;""",
    ),
]

MCP_WRONG: list[Wrong] = [
    Wrong(
        "mcp_unknown_server",
        "tool",
        """\
const p = await tools.store.get_product({ sku: "A" });
return p;""",
        1,
    ),
    Wrong(
        "mcp_unknown_tool",
        "tool",
        """\
const n = await tools.notes.delete_note({ number: 1 });
return n;""",
        1,
    ),
    Wrong(
        "mcp_dashed_name_as_written",
        "tool",
        """\
const s = await tools.shop.getSum({ a: 1, b: 2 });
return s;""",
        1,
    ),
    Wrong(
        "mcp_wrong_argument_type",
        "argument",
        """\
const s = await tools.shop.get_sum({ a: "1", b: 2 });
return s;""",
        1,
    ),
    Wrong(
        "mcp_unknown_argument",
        "property",
        """\
const p = await tools.shop.get_product({ id: "A-1" });
return p;""",
        1,
    ),
    Wrong(
        "mcp_structured_result_misread",
        "result",
        """\
const s = await tools.shop.get_sum({ a: 1, b: 2 });
return s.total;""",
        2,
    ),
    Wrong(
        "mcp_missing_await",
        "await",
        """\
const p = tools.shop.get_product({ sku: "A" });
return p.price;""",
        2,
    ),
]
