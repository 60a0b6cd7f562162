"""MCP servers as typed code APIs, against real servers over stdio and streamable HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_mcp_adapters.client import MultiServerMCPClient
from tsc import require_tsc, run_tsc

from langchain_codemode import CodeModeToolkit, ConfigurationError

SERVERS = Path(__file__).parent / "servers"


def stdio(script: str) -> dict[str, Any]:
    return {"transport": "stdio", "command": sys.executable, "args": [str(SERVERS / script)]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def shop_http() -> Iterator[dict[str, Any]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(SERVERS / "shop.py"), "--http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail("the HTTP MCP server exited during start-up")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the HTTP MCP server did not start listening")
                time.sleep(0.05)
        yield {"transport": "streamable_http", "url": f"http://127.0.0.1:{port}/mcp"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SCRIPT = """
const product = await tools.shop.get_product({ sku: "ab-1" });
const sum = await tools.shop.get_sum({ a: 2, b: 40 });
const text = await tools.shop.json_text();
let failure = null;
try { await tools.shop.fail({ reason: "out of stock" }) } catch (e) { failure = e.message }
const logo = await tools.shop.logo();
return { product, sum, items: text.items, failure, logo: { type: logo.type, mime: logo.mimeType } };
"""


def _check_script_result(result: Any) -> None:
    assert result.ok, result.error
    value = result.value
    assert value["product"] == {
        "sku": "ab-1",
        "name": "Product ab-1",
        "price": 10.0,
        "tags": ["new"],
    }
    assert value["sum"] == {"result": 42}
    assert value["items"] == [1, 2, 3]
    assert value["failure"].startswith("tools.shop.fail failed:")
    assert "cannot: out of stock" in value["failure"]
    assert value["logo"] == {"type": "image", "mime": "image/png"}
    assert [c.name for c in result.calls] == ["get_product", "get-sum", "json_text", "fail", "logo"]


async def test_stdio_server_as_a_namespaced_typed_api() -> None:
    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, namespaces=True)
    declarations = toolkit.declarations
    assert "  shop: {" in declarations
    assert "get_product(args: { sku: string }): Promise<Product>;" in declarations
    assert "get_sum(args: { a: number; b: number }): Promise<" in declarations
    assert "price: number;" in declarations
    _check_script_result(await toolkit.aexecute(SCRIPT))


async def test_http_server_as_a_typed_api(shop_http: dict[str, Any]) -> None:
    client = MultiServerMCPClient({"shop": shop_http})
    toolkit = await CodeModeToolkit.from_mcp(client, namespaces=True)
    _check_script_result(await toolkit.aexecute(SCRIPT))


async def test_flat_names_and_argument_validation() -> None:
    # Unchecked, so the wrong argument reaches the runtime validation under test.
    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, typecheck=False)
    assert "get_sum" in toolkit.identifiers
    result = await toolkit.aexecute(
        "try { await tools.get_sum({ a: 'two', b: 1 }) } catch (e) { return e.message }"
    )
    assert (
        result.value
        == "Invalid arguments for tools.get_sum: field 'a': 'two' is not of type 'integer'"
    )
    assert result.calls[0].ok is False


async def test_one_session_per_server_per_execution() -> None:
    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, namespaces=True)
    code = "const a = await tools.shop.whoami(); const b = await tools.shop.whoami(); return [a, b]"
    first, second = (await toolkit.aexecute(code)).value, (await toolkit.aexecute(code)).value
    # Within a run both calls reach the same server process, which has served them in turn;
    # the next run gets a fresh session (a fresh stdio process).
    assert first[0]["pid"] == first[1]["pid"]
    assert first[1]["calls"] == first[0]["calls"] + 1
    assert second[0]["pid"] != first[0]["pid"]


async def test_an_outer_session_scope_shares_sessions_across_executions() -> None:
    from langchain_codemode.mcp import session_scope

    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, namespaces=True)
    code = "return await tools.shop.whoami()"
    async with session_scope():
        first, second = (await toolkit.aexecute(code)).value, (await toolkit.aexecute(code)).value
    # One server process served both executions, in turn.
    assert first["pid"] == second["pid"]
    assert second["calls"] == first["calls"] + 1
    third = (await toolkit.aexecute(code)).value
    assert third["pid"] != first["pid"]  # outside the scope: a session of its own again


async def test_two_servers_in_one_execution(shop_http: dict[str, Any]) -> None:
    toolkit = await CodeModeToolkit.from_mcp(
        {"shop": shop_http, "notes": stdio("notes.py")}, namespaces=True
    )
    result = await toolkit.aexecute(
        """
        const p = await tools.shop.get_product({ sku: "zz" });
        await tools.notes.add_note({ text: `price of ${p.sku} is ${p.price}` });
        await tools.notes.add_note({ text: "second" });
        return await tools.notes.list_notes();
        """
    )
    assert result.ok, result.error
    assert result.value == {"result": ["price of zz is 5", "second"]}


async def test_a_server_that_dies_mid_script_gives_a_clean_error() -> None:
    toolkit = await CodeModeToolkit.from_mcp(
        {"shop": stdio("shop.py")}, namespaces=True, timeout=20
    )
    result = await toolkit.aexecute(
        """
        const before = await tools.shop.get_sum({ a: 1, b: 1 });
        let died = null;
        try { await tools.shop.die() } catch (e) { died = e.message }
        return { before, died };
        """
    )
    assert result.ok, result.error
    assert result.value["before"] == {"result": 2}
    assert result.value["died"].startswith("tools.shop.die failed:")
    assert "Traceback" not in result.value["died"]


async def test_timeout_closes_the_sessions() -> None:
    # The timeout is derived from what it waits for: a first execution measures how long a
    # server start and one call take here (seconds on a busy machine), so the slow call, not
    # the server start, is what runs out of time.
    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, namespaces=True)
    warm = await toolkit.aexecute("return await tools.shop.get_sum({ a: 1, b: 2 })")
    assert warm.value == {"result": 3}, warm.error
    timeout = 1.0 + 3 * warm.duration_ms / 1000
    toolkit = await CodeModeToolkit.from_mcp(
        {"shop": stdio("shop.py")}, namespaces=True, timeout=timeout
    )
    result = await toolkit.aexecute(f"await tools.shop.slow({{ seconds: {timeout * 10:.1f} }})")
    assert result.error_type == "timeout"
    assert "tools.shop.slow" in (result.error or "")
    again = await toolkit.aexecute("return await tools.shop.get_sum({ a: 3, b: 4 })")
    assert again.value == {"result": 7}, again.error


TIME_SERVER = {
    "transport": "stdio",
    "command": sys.executable,
    "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"],
}


async def test_cancelling_closes_the_sessions() -> None:
    import asyncio

    import psutil

    toolkit = await CodeModeToolkit.from_mcp({"shop": stdio("shop.py")}, namespaces=True)
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    task = asyncio.ensure_future(toolkit.aexecute("await tools.shop.slow({ seconds: 30 })"))
    deadline = time.monotonic() + 10
    while not {p.pid for p in me.children(recursive=True)} - before:
        assert time.monotonic() < deadline, "the server process never started"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    deadline = time.monotonic() + 10
    while {p.pid for p in me.children(recursive=True) if p.is_running()} - before:
        assert time.monotonic() < deadline, "the server process outlived the run"
        await asyncio.sleep(0.05)


async def test_mcp_server_time_from_pypi() -> None:
    toolkit = await CodeModeToolkit.from_mcp({"time": TIME_SERVER}, namespaces=True)
    assert "get_current_time(args: {" in toolkit.declarations
    result = await toolkit.aexecute(
        "const now = await tools.time.get_current_time({ timezone: 'UTC' }); return now"
    )
    assert result.ok, result.error
    assert result.value["timezone"] == "UTC"


def test_bad_sources_raise_early() -> None:
    import asyncio

    with pytest.raises(ConfigurationError, match="MultiServerMCPClient"):
        asyncio.run(CodeModeToolkit.from_mcp(["not", "a", "mapping"]))


async def test_declarations_of_real_servers_compile(
    tmp_path: Path, shop_http: dict[str, Any]
) -> None:
    require_tsc()
    toolkit = await CodeModeToolkit.from_mcp(
        {"shop": shop_http, "notes": stdio("notes.py"), "time": TIME_SERVER}, namespaces=True
    )
    (tmp_path / "api.d.ts").write_text(toolkit.declarations)
    (tmp_path / "use.ts").write_text(
        "export async function main() {\n"
        "  const p = await tools.shop.get_product({ sku: 'x' });\n"
        "  const price: number = p.price;\n"
        "  const n = await tools.notes.add_note({ text: 'hi' });\n"
        "  const t = await tools.time.get_current_time({ timezone: 'UTC' });\n"
        "  return [price, n, t, await tools.shop.get_sum({ a: 1, b: 2 })];\n"
        "}\n"
    )
    result = run_tsc([tmp_path / "api.d.ts", tmp_path / "use.ts"])
    assert result.ok, result.output + "\n" + json.dumps(toolkit.declarations)


# An MCP error result (isError) must reject in the script on every path users take.
ERROR_SCRIPT = """
let message = null;
try {
  await tools.convert_time({ source_timezone: "Nowhere/Atlantis", time: "12:00", target_timezone: "UTC" });
} catch (e) { message = e.message }
return message;
"""


def _check_error_result(value: Any, calls: list[Any]) -> None:
    assert isinstance(value, str), value
    assert value.startswith("tools.convert_time failed: ")
    assert "Invalid timezone" in value and "Nowhere/Atlantis" in value
    [record] = calls
    assert record["ok"] is False if isinstance(record, dict) else record.ok is False


async def test_adapter_tools_error_results_reject() -> None:
    client = MultiServerMCPClient({"time": TIME_SERVER})
    toolkit = CodeModeToolkit(await client.get_tools())
    result = await toolkit.aexecute(ERROR_SCRIPT)
    assert result.ok, result.error
    _check_error_result(result.value, result.calls)
    assert "Invalid timezone" in (result.calls[0].error or "")


async def test_from_mcp_error_results_reject() -> None:
    toolkit = await CodeModeToolkit.from_mcp({"time": TIME_SERVER})
    result = await toolkit.aexecute(ERROR_SCRIPT)
    assert result.ok, result.error
    _check_error_result(result.value, result.calls)


async def test_node_over_adapter_tools_error_results_reject() -> None:
    from langchain_core.messages import AIMessage
    from langgraph.runtime import Runtime

    from langchain_codemode import CodeModeNode

    client = MultiServerMCPClient({"time": TIME_SERVER})
    node = CodeModeNode(await client.get_tools())
    call = {"name": "execute_code", "args": {"code": ERROR_SCRIPT}, "id": "script_1"}
    output = await node.ainvoke(
        {"messages": [AIMessage(content="", tool_calls=[call])]},
        {"configurable": {"__pregel_runtime": Runtime()}},
    )
    [message] = output["messages"]
    assert message.status == "success"
    _check_error_result(json.loads(message.text), message.artifact["calls"])


async def test_middleware_over_adapter_tools_error_results_reject() -> None:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage, ToolMessage

    from langchain_codemode.demo import ScriptedChatModel
    from langchain_codemode.middleware import CodeModeMiddleware

    client = MultiServerMCPClient({"time": TIME_SERVER})
    call = {"name": "execute_code", "args": {"code": ERROR_SCRIPT}, "id": "call_1"}
    model = ScriptedChatModel(
        replies=[AIMessage(content="", tool_calls=[call]), AIMessage(content="done")]
    )
    agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware(await client.get_tools())])
    state = await agent.ainvoke({"messages": [("user", "convert")]})
    [message] = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    _check_error_result(json.loads(message.text), message.artifact["calls"])


def test_codemode_run_error_results_reject(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from langchain_codemode.cli import main

    monkeypatch.chdir(Path(__file__).parent)
    script = tmp_path / "convert.js"
    script.write_text(ERROR_SCRIPT)
    assert main(["run", str(script), "--tools", "adapter_tools:TOOLS", "--json"]) == 0
    result = json.loads(capfd.readouterr().out)
    _check_error_result(result["value"], result["calls"])


async def test_adapter_tools_reject_unknown_arguments() -> None:
    client = MultiServerMCPClient({"time": TIME_SERVER})
    toolkit = CodeModeToolkit(await client.get_tools(), typecheck=False)
    result = await toolkit.aexecute(
        "try { await tools.get_current_time({ timezon: 'UTC' }) } catch (e) { return e.message }"
    )
    assert result.value == (
        "unknown argument 'timezon' for tools.get_current_time — did you mean 'timezone'? "
        "Missing required argument: 'timezone'. Arguments: timezone"
    )
