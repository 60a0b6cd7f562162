"""What a script can do: values, logs, calls, concurrency, TypeScript, errors, sync use."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from conftest import ALL_TOOLS
from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.tools import tool

from langchain_codemode import CodeModeToolkit, ConfigurationError


async def test_returns_json_values(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("return { a: [1, 'two', null, true], b: 1.5 }")
    assert result.ok
    assert result.value == {"a": [1, "two", None, True], "b": 1.5}
    assert result.error is None and result.error_type is None
    assert result.duration_ms > 0


async def test_no_return_gives_none(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("const x = 1;")
    assert result.ok and result.value is None


async def test_tool_calls_are_recorded_in_issue_order(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute(
        "const s = await tools.add({ a: 1, b: 2 });"
        "const [e1, e2] = await Promise.all([tools.echo({ value: 'x' }), tools.echo({ n: 2 })]);"
        "return [s, e1.value, e2.n]"
    )
    assert result.value == [3, "x", 2]
    assert [c.name for c in result.calls] == ["add", "echo", "echo"]
    assert result.calls[0].args == {"a": 1, "b": 2}
    assert result.calls[0].output == 3
    assert all(c.ok and c.error is None and c.duration_ms >= 0 for c in result.calls)


async def test_failed_call_is_recorded(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("try { await tools.boom({}) } catch (e) { return 'handled' }")
    assert result.value == "handled"
    (call,) = result.calls
    assert not call.ok and call.error == "tools.boom failed: cannot do that: broken"


async def test_console_is_captured_in_order(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute(
        "console.log('a', 1, { b: 2 }); console.info('i'); console.warn('w');"
        " console.error(new TypeError('t')); console.debug('d'); return null"
    )
    assert result.logs == ['a 1 {"b":2}', "i", "[warn] w", "[error] TypeError: t", "d"]


async def test_promise_all_runs_calls_concurrently() -> None:
    running = 0
    peak = 0

    @tool
    async def slow(i: int) -> int:
        """Sleeps a little."""
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        return i

    toolkit = CodeModeToolkit([slow])
    result = await toolkit.aexecute(
        "return await Promise.all([0, 1, 2, 3, 4].map(i => tools.slow({ i })))"
    )
    assert result.value == [0, 1, 2, 3, 4]
    assert peak == 5


async def test_sync_tool_runs_off_the_event_loop(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("return await tools.thread_name({})")
    assert result.ok
    assert result.value != threading.current_thread().name


async def test_json_text_results_arrive_as_objects(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("const r = await tools.json_text({}); return r.items.length")
    assert result.value == 3


async def test_typescript_is_accepted(toolkit: CodeModeToolkit) -> None:
    code = """
interface Echo { value: string; n: number }
const results: Echo[] = [];
for (const n of [1, 2] as number[]) {
  const r = (await tools.echo({ value: 'v', n })) as Echo;
  results.push(r!);
}
return results.map((r: Echo): number => r.n);
"""
    result = await toolkit.aexecute(code)
    assert result.ok, result.error
    assert result.value == [1, 2]


async def test_async_arrow_script_is_called(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("async () => {\n  return (await tools.add({ a: 2, b: 3 }))\n}")
    assert result.ok, result.error
    assert result.value == 5


async def test_runtime_error_points_at_the_line_written(toolkit: CodeModeToolkit) -> None:
    code = "const a: number = 1;\nconst b = 2;\nthrow new RangeError('bad ' + (a + b));\n"
    result = await toolkit.aexecute(code)
    assert result.error_type == "runtime"
    assert result.error == "RangeError: bad 3 (line 3)"


async def test_syntax_error(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute("const = 5;")
    assert result.error_type == "syntax"
    assert "SyntaxError" in (result.error or "")
    assert "(line 1)" in (result.error or "")


async def test_timers_work(toolkit: CodeModeToolkit) -> None:
    result = await toolkit.aexecute(
        "const order = []; setTimeout(() => order.push('late'), 30);"
        " const t = setTimeout(() => order.push('never'), 10); clearTimeout(t);"
        " await new Promise(r => setTimeout(r, 50)); order.push('end'); return order"
    )
    assert result.value == ["late", "end"]


async def test_config_reaches_tools_and_callbacks(toolkit: CodeModeToolkit) -> None:
    seen: list[dict[str, Any]] = []

    class Recorder(AsyncCallbackHandler):
        async def on_tool_start(self, serialized: Any, input_str: str, **kwargs: Any) -> None:
            seen.append({"name": serialized.get("name"), "tags": kwargs.get("tags")})

    result = await toolkit.aexecute(
        "return await tools.add({ a: 1, b: 1 })",
        config={"callbacks": [Recorder()], "tags": ["traced"]},
    )
    assert result.value == 2
    # The script's own run, then the nested call as its child; both keep the caller's tags.
    assert seen == [
        {"name": "execute_code", "tags": ["traced"]},
        {"name": "add", "tags": ["traced"]},
    ]


def test_execute_from_plain_code(toolkit: CodeModeToolkit) -> None:
    assert toolkit.execute("return (await tools.add({ a: 1, b: 2 }))").value == 3


def test_execute_from_a_worker_thread(toolkit: CodeModeToolkit) -> None:
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(toolkit.execute("return 7")))
    worker.start()
    worker.join()
    assert box[0].value == 7


async def test_execute_inside_a_running_loop(toolkit: CodeModeToolkit) -> None:
    # A notebook cell: sync call while this thread's loop is running.
    assert toolkit.execute("return (await tools.echo({ n: 4 })).n").value == 4


def test_identifiers_follow_the_contract() -> None:
    @tool("get-sum")
    def get_sum(a: int) -> int:
        """Sum."""
        return a

    @tool("get_sum")
    def get_sum2(a: int) -> int:
        """Sum too."""
        return a

    @tool("3d.render")
    def render(a: int) -> int:
        """Render."""
        return a

    toolkit = CodeModeToolkit([get_sum, get_sum2, render])
    assert toolkit.identifiers == ["get_sum", "get_sum_2", "_3d_render"]
    result = toolkit.execute("return [await tools.get_sum({a: 1}), await tools._3d_render({a: 2})]")
    assert result.value == [1, 2]
    assert [c.name for c in result.calls] == ["get-sum", "3d.render"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"max_tool_calls": -1}, "max_tool_calls must be a positive integer"),
        ({"memory_limit": 1024}, "at least 16 MiB"),
    ],
)
def test_bad_options_raise_early(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        CodeModeToolkit(ALL_TOOLS, **kwargs)


def test_bad_tools_raise_early() -> None:
    with pytest.raises(ConfigurationError, match="list of tools"):
        CodeModeToolkit(ALL_TOOLS[0])  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="BaseTool or a callable"):
        CodeModeToolkit([42])  # type: ignore[list-item]
    with pytest.raises(ConfigurationError, match="unique name"):
        CodeModeToolkit([ALL_TOOLS[0], ALL_TOOLS[0]])


def test_as_tool_shape(toolkit: CodeModeToolkit) -> None:
    execute_code = toolkit.as_tool()
    assert execute_code.name == "execute_code"
    assert list(execute_code.tool_call_schema.model_json_schema()["properties"]) == ["code"]
    assert "tools.echo" in execute_code.description or "echo(" in execute_code.description


async def test_json_schema_tools_validate_arguments_before_running() -> None:
    from langchain_core.tools import StructuredTool

    ran: list[dict[str, Any]] = []

    def get_sum(**kwargs: Any) -> float:
        ran.append(kwargs)
        return float(kwargs["a"] + kwargs["b"])

    schema = {
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"],
    }
    get_sum_tool = StructuredTool.from_function(
        func=get_sum, name="get-sum", description="Add.", args_schema=schema
    )
    # Unchecked, so the wrong argument reaches the runtime validation under test.
    toolkit = CodeModeToolkit([get_sum_tool], typecheck=False)
    good = await toolkit.aexecute("return await tools.get_sum({ a: 1, b: 2 })")
    assert good.value == 3
    bad = await toolkit.aexecute(
        "try { await tools.get_sum({ a: 'one', b: 2 }) } catch (e) { return e.message }"
    )
    assert (
        bad.value == "Invalid arguments for tools.get_sum: field 'a': 'one' is not of type 'number'"
    )
    missing = await toolkit.aexecute("await tools.get_sum({ a: 1 })")
    assert missing.error_type == "runtime"
    assert "'b' is a required property" in (missing.error or "")
    assert ran == [{"a": 1, "b": 2}]  # the tool never ran on rejected arguments


async def test_namespaced_tools() -> None:
    @tool("get-sum")
    def get_sum(a: int, b: int) -> int:
        """Sum."""
        return a + b

    @tool
    def ping() -> str:
        """Ping."""
        return "pong"

    toolkit = CodeModeToolkit(
        [get_sum, ping, ALL_TOOLS[0]], namespaces={"get-sum": "math-server", "ping": "net"}
    )
    assert toolkit.identifiers == ["math_server.get_sum", "net.ping", "echo"]
    declarations = toolkit.declarations
    assert "  math_server: {\n" in declarations
    assert "    get_sum(args: { a: number; b: number }): Promise<number>;" in declarations
    result = await toolkit.aexecute(
        "return [await tools.math_server.get_sum({ a: 1, b: 2 }), await tools.net.ping(),"
        " Object.isFrozen(tools.net)]"
    )
    assert result.value == [3, "pong", True]
    assert [c.name for c in result.calls] == ["get-sum", "ping"]
    with pytest.raises(ConfigurationError, match="both a tool and a namespace"):
        CodeModeToolkit([ping, ALL_TOOLS[0]], namespaces={"ping": "echo"})
