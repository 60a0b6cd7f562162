"""examples/server under LangGraph's own dev server, driven over HTTP with langgraph-sdk.

One server (``langgraph dev``) per module, started from a copy of the example directory so
the server's on-disk state (``.langgraph_api/``) starts empty and never lands in the repo.
Each test drives its own thread: a run pauses on the approval interrupt, a decision resumes
it, and the store tells whether the order was cancelled, and how often.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "server"
GRAPH_ID = "codemode"
QUESTION = {"messages": [{"role": "user", "content": "Cancel ACME's open orders."}]}
STARTUP_TIMEOUT = 90.0
RUN_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and everything it started (it leads its own process group)."""
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"langgraph dev exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/ok", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(f"langgraph dev not healthy after {STARTUP_TIMEOUT}s:\n{log.read_text()[-4000:]}")


def _require_cli() -> None:
    """Skip without langgraph-cli, except in CI, which installs the test extra."""
    try:
        import langgraph_cli  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("needs langgraph-cli[inmem]: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_cli()
    workdir = tmp_path_factory.mktemp("served") / "server"
    shutil.copytree(
        EXAMPLE, workdir, ignore=shutil.ignore_patterns(".langgraph_api", "__pycache__")
    )
    port = _free_port()
    env = {
        **os.environ,
        # The graph imports this checkout's package, whatever is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGSMITH_TRACING": "false",
        "LANGCHAIN_TRACING_V2": "false",
    }
    env.pop("CODEMODE_MODEL", None)
    log = workdir.parent / "server.log"
    command = [
        sys.executable,
        "-m",
        "langgraph_cli",
        "dev",
        "--no-browser",
        "--no-reload",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, process, log)
        yield url
    finally:
        _stop(process)


async def _cancellations(client: Any) -> list[dict[str, Any]]:
    found = await client.store.search_items(["cancellations"], limit=100)
    return [item["value"] for item in found["items"]]


async def _run_until_approval(client: Any) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Start a run on a new thread; return the thread, its one interrupt and the custom events."""
    thread = await client.threads.create()
    events: list[dict[str, Any]] = []
    async for part in client.runs.stream(
        thread["thread_id"], GRAPH_ID, input=QUESTION, stream_mode=["custom"]
    ):
        assert part.event != "error", part.data
        if part.event == "custom":
            events.append(part.data)
    state = await client.threads.get(thread["thread_id"])
    assert state["status"] == "interrupted"
    # A thread lists its pending interrupts by task.
    [pending] = [item for items in state["interrupts"].values() for item in items]
    return thread["thread_id"], pending, events


async def _resume(client: Any, thread_id: str, decision: Any) -> dict[str, Any]:
    final = await client.runs.wait(
        thread_id, GRAPH_ID, command={"resume": decision}, raise_error=True
    )
    assert isinstance(final, dict) and "__interrupt__" not in final, final
    return final


def _script_result(final: dict[str, Any]) -> list[dict[str, Any]]:
    [tool_message] = [m for m in final["messages"] if m["type"] == "tool"]
    assert tool_message["name"] == "execute_code"
    assert tool_message["status"] == "success", tool_message["content"]
    artifact = tool_message["artifact"]
    assert artifact["ok"] is True
    names = [call["name"] for call in artifact["calls"]]
    assert names.count("cancel_order") == 1
    value: list[dict[str, Any]] = artifact["value"]
    assert final["messages"][-1]["type"] == "ai"
    return value


async def test_run_pauses_for_approval_and_cancels_once_when_approved(server: str) -> None:
    client = get_client(url=server, timeout=RUN_TIMEOUT)
    before = await _cancellations(client)

    thread_id, pending, events = await _run_until_approval(client)
    request = pending["value"]
    assert (request["type"], request["tool"], request["args"]) == (
        "approval",
        "cancel_order",
        {"order_id": "A-1002", "reason": "customer request"},
    )
    assert request["tool_call_id"].endswith(":4")  # the script's fifth call
    # The script's nested calls reached the client as custom stream events.
    started = [e["tool"] for e in events if e.get("event") == "tool_start"]
    assert started[:4] == ["list_orders", "get_order", "get_order", "get_order"]
    assert started[-1] == "cancel_order"
    assert all(e["tool_call_id"] for e in events)
    assert await _cancellations(client) == before, "nothing happens before the approval"

    final = await _resume(client, thread_id, {"type": "approve"})
    assert _script_result(final) == [
        {"order_id": "A-1002", "reason": "customer request", "cancelled": True}
    ]
    assert "A-1002" in final["messages"][-1]["content"]
    after = await _cancellations(client)
    assert after == [*before, {"order_id": "A-1002", "reason": "customer request"}]

    state = await client.threads.get(thread_id)
    assert state["status"] == "idle"


async def test_an_edited_call_runs_with_the_edited_arguments(server: str) -> None:
    client = get_client(url=server, timeout=RUN_TIMEOUT)
    before = await _cancellations(client)
    thread_id, _, _ = await _run_until_approval(client)
    edited = {"order_id": "A-1002", "reason": "duplicate order"}
    final = await _resume(client, thread_id, {"type": "edit", "args": edited})
    assert _script_result(final) == [{**edited, "cancelled": True}]
    assert await _cancellations(client) == [*before, edited]


@pytest.mark.parametrize(
    ("decision", "why"),
    [
        ({"type": "reject", "message": "the customer changed their mind"}, "changed their mind"),
        ({"type": "maybe"}, "unreadable approval response"),
        ("yes", "unreadable approval response"),
        ({"type": "edit"}, "an edit decision needs new arguments"),
    ],
    ids=["reject", "unknown-type", "not-a-dict", "edit-without-args"],
)
async def test_anything_but_approval_leaves_the_order_alone(
    server: str, decision: Any, why: str
) -> None:
    client = get_client(url=server, timeout=RUN_TIMEOUT)
    before = await _cancellations(client)
    thread_id, _, _ = await _run_until_approval(client)
    final = await _resume(client, thread_id, decision)
    [outcome] = _script_result(final)
    assert outcome["order_id"] == "A-1002"
    assert outcome["cancelled"] is False
    assert why in outcome["why"]
    assert await _cancellations(client) == before


async def test_a_wrong_graph_name_is_refused_with_the_right_one(server: str) -> None:
    client = get_client(url=server, timeout=RUN_TIMEOUT)
    thread = await client.threads.create()
    with pytest.raises(httpx.HTTPStatusError, match="registered graphs: codemode") as raised:
        await client.runs.wait(thread["thread_id"], "no-such-graph", input=QUESTION)
    assert raised.value.response.status_code == 422


async def test_the_served_graph_also_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same module, compiled with a checkpointer and a store, outside any server."""
    monkeypatch.delenv("CODEMODE_MODEL", raising=False)
    import importlib.util

    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.store.memory import InMemoryStore
    from langgraph.types import Command

    spec = importlib.util.spec_from_file_location("served_graph", EXAMPLE / "graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    store = InMemoryStore()
    graph = module.graph.builder.compile(checkpointer=InMemorySaver(), store=store)
    config = {"configurable": {"thread_id": "in-process"}}
    paused = await graph.ainvoke(QUESTION, config)
    [pending] = paused["__interrupt__"]
    assert pending.value["tool"] == "cancel_order"
    final = await graph.ainvoke(Command(resume={"type": "approve"}), config)
    assert "A-1002" in final["messages"][-1].content
    assert [item.value["order_id"] for item in store.search(("cancellations",))] == ["A-1002"]
