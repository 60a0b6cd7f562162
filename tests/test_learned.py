"""Result types learned from results: shapes, declarations, stability, stores, restarts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict

from langchain_codemode import CodeModeMiddleware, CodeModeNode, CodeModeToolkit
from langchain_codemode.errors import ConfigurationError
from langchain_codemode.output_types_store import NAMESPACE
from langchain_codemode.toolkit import LEARNED_TYPES_PROMPT
from langchain_codemode.typescript.learned import (
    LEARNED_MARKER,
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_NODES,
    bounded,
    is_informative,
    merge,
    shape_of,
    shape_size,
    to_json_schema,
)
from langchain_codemode.typescript.schema import schema_to_typescript

try:
    from tests.tsc import require_tsc, run_tsc
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from tsc import require_tsc, run_tsc  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "snapshots" / "learned.d.ts"


def ts(*values: Any) -> str:
    """The TypeScript type learned from ``values``."""
    shape: dict[str, Any] = {}
    for value in values:
        shape = merge(shape, shape_of(value))
    return schema_to_typescript(to_json_schema(bounded(shape))).type


# -- shapes ------------------------------------------------------------------------------------


def test_objects_merge_and_a_field_missing_somewhere_is_optional() -> None:
    assert ts({"id": "a", "n": 1}, {"id": "b", "extra": True}) == (
        "{ id: string; n?: number; extra?: boolean }"
    )


def test_arrays_merge_their_items_and_primitives_unite() -> None:
    assert ts([1, "a", None]) == "(string | number | null)[]"
    assert ts([], [{"a": 1}]) == "{ a: number }[]"
    assert ts([]) == "unknown[]"
    assert ts({"when": None}, {"when": "2025-06-01"}) == "{ when: string | null }"
    assert ts(1, "x", [True]) == "boolean[] | string | number"


def test_keys_that_look_like_data_make_a_record() -> None:
    by_date = {"2025-06-01": {"visits": 1}, "2025-06-02": {"visits": 2}}
    assert ts(by_date) == "Record<string, { visits: number }>"
    assert ts({"ord_1": 1, "ord_2": 2}) == "Record<string, number>"
    assert ts({"ana@example.com": True}) == "Record<string, boolean>"
    assert ts({"5f2b9c1e0a": "x"}) == "Record<string, string>"
    many = {f"user{i}x": i for i in range(MAX_FIELDS + 1)}
    assert ts(many) == "Record<string, number>"
    # Keys of a schema stay fields; an object seen where a record was becomes part of it.
    assert ts({"name": "a", "total": 1}) == "{ name: string; total: number }"
    assert ts({"First Name": "a", "sha256": "b", "v2": True}) == (
        '{ "First Name": string; sha256: string; v2: boolean }'
    )
    assert ts({"2025-06-01": 1}, {"a": "x"}) == "Record<string, string | number>"


def test_only_shapes_are_kept_never_values() -> None:
    secret = {"token": "s3cr3t-value", "by_id": {"u-1234": "alice@example.com"}, "n": 987654}
    text = json.dumps(shape_of(secret))
    for value in ("s3cr3t", "alice", "u-1234", "987654"):
        assert value not in text
    assert "token" in text and "by_id" in text  # field names are the schema


def test_depth_and_size_are_bounded() -> None:
    deep: Any = "leaf"
    for _ in range(MAX_DEPTH + 5):
        deep = {"child": deep}
    text = ts(deep)
    assert text.count("child") == MAX_DEPTH
    assert "unknown" in text
    wide = {f"field_{i}": {f"sub_{j}": [j] for j in range(30)} for i in range(MAX_FIELDS)}
    shape = bounded(shape_of(wide))
    assert shape_size(shape) <= MAX_NODES
    assert shape_size(bounded(merge(shape, shape_of([1] * 10_000)))) <= MAX_NODES


def test_a_stored_shape_renders_the_same_after_its_keys_are_reordered() -> None:
    shape = merge(shape_of({"z": 1, "a": [None, {"y": 1, "b": 2}]}), shape_of({"m": "x"}))
    reordered = json.loads(json.dumps(shape, sort_keys=True))  # as PostgreSQL's jsonb does
    assert to_json_schema(reordered) == to_json_schema(shape)
    assert ts({"z": 1, "a": 2}).startswith("{ z: number; a: number")


def test_which_declared_types_say_nothing() -> None:
    for schema in (None, {}, {"type": "object", "additionalProperties": True},
                   {"type": "array", "items": {}}, {"type": "string"},
                   {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": True},
                              {"type": "array", "items": {}}]}):
        assert not is_informative(schema), schema
    for schema in ({"type": "number"}, {"type": "object", "properties": {"a": {}}},
                   {"type": "array", "items": {"type": "string"}},
                   {"anyOf": [{"type": "object"}, {"type": "null"}]}):
        assert is_informative(schema), schema


# -- tools learning ----------------------------------------------------------------------------

ORDERS: dict[str, dict[str, Any]] = {
    "1": {"id": "1", "total": 12.5, "items": [{"sku": "a", "qty": 1}], "note": None},
    "2": {"id": "2", "total": 7, "items": [], "coupon": "SPRING"},
}


class Weather(TypedDict):
    city: str
    celsius: float


@tool
def get_order(order_id: str) -> str:
    """An order, as JSON text."""
    return json.dumps(ORDERS[order_id])


@tool
def visits(days: int) -> dict:  # type: ignore[type-arg]
    """Visits per day."""
    return {f"2025-06-{d + 1:02d}": {"visits": d} for d in range(days)}


@tool
def recent(limit: int):  # type: ignore[no-untyped-def]
    """Recent events (no return annotation)."""
    return [{"kind": "login", "at": "09:00"}, {"kind": "logout", "at": None}][:limit]


@tool
def weather(city: str) -> Weather:
    """Declared: never learned."""
    return {"city": city, "celsius": 21.5, "wind": 3}  # type: ignore[typeddict-unknown-key]


@tool
def status() -> list:  # type: ignore[type-arg]
    """A list of anything."""
    return ["ok", 1]


TOOLS = [get_order, visits, recent, weather, status]
LEARNING_SCRIPT = """
await tools.get_order({ order_id: "1" });
await tools.get_order({ order_id: "2" });
await tools.visits({ days: 3 });
await tools.recent({ limit: 2 });
await tools.weather({ city: "Oslo" });
await tools.status();
return "done";
"""


def learned_toolkit(**options: Any) -> CodeModeToolkit:
    toolkit = CodeModeToolkit(TOOLS, **options)
    result = toolkit.execute(LEARNING_SCRIPT)
    assert result.ok, result.error
    return toolkit


def test_snapshot_of_declarations_before_and_after_learning() -> None:
    before = CodeModeToolkit(TOOLS).declarations
    after = learned_toolkit().declarations
    rendered = f"// Before any result\n{before}\n// After the results of LEARNING_SCRIPT\n{after}"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.exists(), f"missing {SNAPSHOT}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert rendered == SNAPSHOT.read_text(encoding="utf-8"), (
        "learned declarations changed; review the diff and rerun with UPDATE_SNAPSHOTS=1"
    )


def test_learned_declarations_compile_and_type_the_fields(tmp_path: Path) -> None:
    require_tsc()
    declarations = tmp_path / "api.d.ts"
    declarations.write_text(learned_toolkit().declarations, encoding="utf-8")
    usage = tmp_path / "usage.ts"
    usage.write_text(
        "async function use(): Promise<number> {\n"
        '  const o = await tools.get_order({ order_id: "1" });\n'
        "  const total: number = o.total;\n"
        "  const coupon: string | undefined = o.coupon;\n"
        "  const days = await tools.visits({ days: 2 });\n"
        '  const n: number = days["2025-06-01"].visits;\n'
        "  return total + n + (coupon ?? '').length;\n"
        "}\n",
        encoding="utf-8",
    )
    result = run_tsc([declarations, usage])
    assert result.ok, result.output


def test_a_declared_type_always_wins() -> None:
    before = CodeModeToolkit(TOOLS).declarations
    toolkit = learned_toolkit()
    assert "weather(args: { city: string }): Promise<Weather>;" in before
    assert "weather(args: { city: string }): Promise<Weather>;" in toolkit.declarations
    assert "wind" not in toolkit.declarations
    assert set(toolkit.learned_output_types) == {"get_order", "visits", "recent", "status"}
    overridden = tool(
        "typed_by_metadata", description="d", return_direct=False
    )(lambda: {"a": 1})
    overridden.metadata = {"output_schema": {"type": "object", "properties": {"b": {}}}}
    kit = CodeModeToolkit([overridden])
    assert kit.execute("return await tools.typed_by_metadata()").ok
    assert kit.learned_output_types == {}


def test_declarations_change_only_when_a_result_shows_a_new_shape() -> None:
    toolkit = CodeModeToolkit([get_order])
    assert toolkit.execute('return await tools.get_order({ order_id: "1" })').ok
    first = toolkit.declarations
    assert f"{LEARNED_MARKER} 1 result; may be incomplete." in first
    for _ in range(3):  # the same shape again and again: byte-identical text
        assert toolkit.execute('return await tools.get_order({ order_id: "1" })').ok
        assert toolkit.declarations == first
        assert toolkit.prompt.endswith(first + "\n```")
    assert toolkit.execute('return await tools.get_order({ order_id: "2" })').ok
    changed = toolkit.declarations
    assert changed != first
    assert f"{LEARNED_MARKER} 5 results; may be incomplete." in changed  # when it changed
    assert "coupon?: string" in changed
    assert toolkit.execute('return await tools.get_order({ order_id: "2" })').ok
    assert toolkit.declarations == changed


def test_failed_calls_teach_nothing() -> None:
    toolkit = CodeModeToolkit([get_order])
    result = toolkit.execute('return await tools.get_order({ order_id: "404" })')
    assert not result.ok
    assert toolkit.learned_output_types == {}


def test_learning_can_be_frozen() -> None:
    toolkit = learned_toolkit(learn_output_types=False)
    assert toolkit.declarations == CodeModeToolkit(TOOLS).declarations
    assert toolkit.learned_output_types == {}


def test_the_prompt_says_learned_types_may_be_incomplete() -> None:
    assert LEARNED_TYPES_PROMPT not in CodeModeToolkit(TOOLS).prompt
    assert LEARNED_TYPES_PROMPT in learned_toolkit().prompt


def test_learned_types_never_cost_the_argument_names() -> None:
    budget = len(CodeModeToolkit(TOOLS).declarations) // 3  # about the full text in tokens
    toolkit = learned_toolkit(declaration_budget=budget)
    assert not toolkit.uses_discovery
    assert "get_order(args: { order_id: string })" in toolkit.declarations


async def test_an_mcp_server_without_output_schema() -> None:
    server = {"transport": "stdio", "command": sys.executable,
              "args": [str(HERE / "servers" / "untyped.py")]}
    toolkit = await CodeModeToolkit.from_mcp({"untyped": server})
    assert "get_order(args: { order_id: string }): Promise<unknown>;" in toolkit.declarations
    result = await toolkit.aexecute("""
        const orders = [];
        for (const id of ["o-1", "o-2", "o-3"]) orders.push(await tools.get_order({ order_id: id }));
        return { orders, visits: await tools.daily_visits({ days: 3 }) };
    """)
    assert result.ok, result.error
    text = toolkit.declarations
    assert "Result type learned from 3 results; may be incomplete." in text
    assert "customer: { name: string; vip: boolean };" in text
    assert "tags: string[];" in text
    assert "shipped_at?: string | null;" in text
    assert "Promise<Record<string, { visits: number }>>" in text


# -- where it is kept --------------------------------------------------------------------------


def test_a_store_shares_learned_types_between_toolkits() -> None:
    store = InMemoryStore()
    learned_toolkit(output_types_store=store)
    records = store.search(NAMESPACE, limit=50)
    assert len(records) == 4
    assert all(r.key.startswith("/") for r in records)  # no server: "/<tool>/<schema hash>"
    assert "s3cr3t" not in json.dumps([r.value for r in records])
    fresh = CodeModeToolkit(TOOLS, output_types_store=store)  # another process, say
    assert fresh.declarations == learned_toolkit().declarations


def test_tools_with_the_same_name_and_other_arguments_never_mix() -> None:
    store = InMemoryStore()

    @tool("lookup")
    def lookup_v1(key: str) -> dict:  # type: ignore[type-arg]
        """v1"""
        return {"value": 1}

    @tool("lookup")
    def lookup_v2(key: str, region: str) -> dict:  # type: ignore[type-arg]
        """v2"""
        return {"name": "x"}

    kit = CodeModeToolkit([lookup_v1], output_types_store=store)
    assert kit.execute('return await tools.lookup({ key: "k" })').ok
    other = CodeModeToolkit([lookup_v2], output_types_store=store)
    assert other.learned_output_types == {}
    assert "value" not in other.declarations


def test_a_store_must_be_a_langgraph_store() -> None:
    with pytest.raises(ConfigurationError, match="BaseStore"):
        CodeModeToolkit(TOOLS, output_types_store={})  # type: ignore[arg-type]


class BrokenStore(InMemoryStore):
    """A store whose backend is down."""

    async def abatch(self, ops: Any) -> Any:
        raise OSError("store is down")

    def batch(self, ops: Any) -> Any:
        raise OSError("store is down")


def test_a_failing_store_never_fails_a_script() -> None:
    toolkit = CodeModeToolkit(TOOLS, output_types_store=BrokenStore())
    assert toolkit.execute(LEARNING_SCRIPT).ok
    assert "get_order" in toolkit.learned_output_types  # still learned in memory


def _graph_with(node: CodeModeNode, store: BaseStore, prompts: list[str]) -> Any:
    script = 'return await tools.get_order({ order_id: "2" });'

    def agent(state: MessagesState) -> dict[str, Any]:
        prompts.append(node.toolkit.prompt)  # the graph's store is read here
        if len(state["messages"]) == 1:
            call = {"name": "execute_code", "args": {"code": script}, "id": "c1",
                    "type": "tool_call"}
            return {"messages": [AIMessage("", tool_calls=[call])]}
        return {"messages": [AIMessage("done")]}

    graph = StateGraph(MessagesState)
    graph.add_node("agent", agent)
    graph.add_node("tools", node)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", lambda s: "tools" if s["messages"][-1].tool_calls
                                else "__end__")
    graph.add_edge("tools", "agent")
    return graph.compile(store=store)


async def test_under_a_graph_the_graphs_store_is_used() -> None:
    store = InMemoryStore()
    prompts: list[str] = []
    graph = _graph_with(CodeModeNode([get_order]), store, prompts)
    await graph.ainvoke({"messages": [HumanMessage("go")]})
    assert [r.key for r in store.search(NAMESPACE)] == [
        k for k in CodeModeNode([get_order]).toolkit._output_types.keys.values()
    ]
    assert LEARNED_MARKER not in prompts[0]
    assert f"{LEARNED_MARKER} 1 result" in prompts[1]
    # Another server (a fresh node) on the same graph store shows it from its first model call.
    later: list[str] = []
    await _graph_with(CodeModeNode([get_order]), store, later).ainvoke(
        {"messages": [HumanMessage("go")]}
    )
    assert f"{LEARNED_MARKER} 1 result" in later[0]


async def test_the_middleware_reads_the_agents_store() -> None:
    from langchain.agents import create_agent

    try:
        from tests.test_middleware import RecordingModel, call
    except ImportError:
        from test_middleware import RecordingModel, call  # type: ignore[no-redef]

    store = InMemoryStore()
    script = 'return await tools.get_order({ order_id: "1" });'

    def agent() -> tuple[Any, RecordingModel]:
        model = RecordingModel(replies=[
            AIMessage("", tool_calls=[call("execute_code", {"code": script}, "c1")]),
            AIMessage("done"),
        ])
        return create_agent(model, tools=[], middleware=[CodeModeMiddleware([get_order])],
                            store=store), model

    first, model = agent()
    await first.ainvoke({"messages": [HumanMessage("go")]})
    systems = [m[0] for m in model.seen]
    assert all(isinstance(s, SystemMessage) for s in systems)
    assert LEARNED_MARKER not in systems[0].text
    assert f"{LEARNED_MARKER} 1 result" in systems[1].text
    second, model = agent()  # a new agent process sharing the store
    await second.ainvoke({"messages": [HumanMessage("go")]})
    assert f"{LEARNED_MARKER} 1 result" in model.seen[0][0].text


def _worker(phase: str, kind: str, where: str) -> str:
    done = subprocess.run(
        [sys.executable, str(HERE / "learned_worker.py"), phase, kind, where],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), *sys.path])},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_learned_types_survive_a_restart(kind: str, tmp_path: Path, postgres_uri: Any) -> None:
    if kind == "postgres":
        from tests.checkpointers import require_postgres

        where = require_postgres(postgres_uri)
    else:
        where = str(tmp_path / "store.sqlite")
    learned = _worker("learn", kind, where)
    assert "Result type learned from 1 result; may be incomplete." in learned
    shown = _worker("show", kind, where)  # a new process: nothing ran there
    assert shown == learned
    assert "paid: boolean; lines: { sku: string }[] }>;" in shown


async def test_a_postgres_store_under_a_graph_and_an_agent(postgres_uri: Any) -> None:
    from langchain.agents import create_agent
    from langgraph.store.postgres.aio import AsyncPostgresStore

    from tests.checkpointers import require_postgres

    try:
        from tests.test_middleware import RecordingModel, call
    except ImportError:
        from test_middleware import RecordingModel, call  # type: ignore[no-redef]

    @tool
    def get_parcel(parcel_id: str) -> dict:  # type: ignore[type-arg]
        """A parcel."""
        return {"parcel_id": parcel_id, "grams": 120, "events": [{"at": "09:00", "where": None}]}

    async with AsyncPostgresStore.from_conn_string(require_postgres(postgres_uri)) as store:
        await store.setup()
        [key] = CodeModeNode([get_parcel]).toolkit._output_types.keys.values()
        await store.adelete(NAMESPACE, key)  # the database outlives one test
        script = 'return await tools.get_parcel({ parcel_id: "p-1" });'

        def agent() -> tuple[Any, RecordingModel]:
            model = RecordingModel(replies=[
                AIMessage("", tool_calls=[call("execute_code", {"code": script}, "c1")]),
                AIMessage("done"),
            ])
            middleware = CodeModeMiddleware([get_parcel])
            return create_agent(model, tools=[], middleware=[middleware], store=store), model

        first, model = agent()
        await first.ainvoke({"messages": [HumanMessage("go")]})
        assert LEARNED_MARKER not in model.seen[0][0].text
        record = await store.aget(NAMESPACE, key)
        assert record is not None and record.value["results"] == 1
        second, model = agent()  # another server on the same database
        await second.ainvoke({"messages": [HumanMessage("go")]})
        prompt = model.seen[0][0].text
        assert f"{LEARNED_MARKER} 1 result" in prompt
        assert "grams: number; events: { at: string; where: null }[] }>;" in prompt


def test_learned_types_never_make_the_check_reject_a_script() -> None:
    from langchain_codemode.typescript.check import checker_available

    if not checker_available():
        pytest.skip("the type checker extra is not installed")
    toolkit = CodeModeToolkit([get_order], typecheck=True)
    assert toolkit.execute('return await tools.get_order({ order_id: "1" })').ok
    assert "get_order" in toolkit.learned_output_types
    # Uses the learned type as if it were something else: a field never seen, a number as a
    # string. Learned types may be incomplete, so the check lets it run.
    result = toolkit.execute(
        'const o = await tools.get_order({ order_id: "2" });\n'
        "const when: string = o.total;\n"
        "return { coupon: o.coupon, missing: o.never_seen ?? null, when };"
    )
    assert result.ok, result.error
    assert result.value == {"coupon": "SPRING", "missing": None, "when": 7}
    # The declared API is still checked: a wrong argument name stops the run.
    wrong = toolkit.execute('return await tools.get_order({ order: "1" })')
    assert wrong.error_type == "type"
