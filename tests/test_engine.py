"""Guards for the mini-racer internals the bridge relies on (see sandbox/engine.py)."""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import os
import subprocess
import sys

import pytest
from py_mini_racer import _dll
from py_mini_racer._context import Context, ContextType, context_count
from py_mini_racer._dll import init_mini_racer, mr_callback_func
from py_mini_racer._objects import ObjectFactoryImpl

from langchain_codemode.sandbox import engine
from langchain_codemode.sandbox.runner import CallOutcome


def test_pinned_engine_version() -> None:
    version = importlib.metadata.version("mini-racer")
    assert version.startswith(engine.SUPPORTED_VERSIONS), (
        f"mini-racer {version}: re-verify the private APIs used by sandbox/engine.py"
    )


def test_private_apis_exist() -> None:
    for name in (
        "_register_js_notification",
        "_register_cancelable_mr_task_callback",
        "_python_to_value_handle",
        "_value_handle_to_python",
        "handle_callback_from_v8",
        "eval_cancelable",
        "set_object_item",
        "set_hard_memory_limit",
        "set_soft_memory_limit",
        "was_hard_memory_limit_reached",
    ):
        assert hasattr(Context, name), name
    fields = list(inspect.signature(Context).parameters)
    assert fields[:5] == [
        "_dll",
        "_ctx",
        "event_loop",
        "_object_factory",
        "_next_async_callback_id",
    ]
    dll = init_mini_racer(ignore_duplicate_init=True)
    for symbol in ("mr_init_context", "mr_free_context", "mr_eval", "mr_cancel_task"):
        assert hasattr(dll, symbol), symbol
    assert callable(mr_callback_func) and ContextType and ObjectFactoryImpl
    # initialize_engine() initialises V8 as init_mini_racer() does, inside the same lock.
    for name in ("_init_lock", "_dll_handle", "_dll_handle_context_manager", "_open_dll"):
        assert hasattr(_dll, name), name
    assert _dll.DEFAULT_V8_FLAGS == ("--single-threaded",)


async def test_isolate_lifecycle_frees_the_native_context() -> None:
    isolate = await engine.Isolate.open(memory_limit=32 * 2**20)
    assert await isolate.post("6 * 7") == 42
    busy = isolate.post("while (true) {}")
    await asyncio.sleep(0.05)
    isolate.close()  # stops the busy loop; the native teardown finishes on a helper thread
    assert busy.done()
    assert isolate.closed
    engine.release_spare_contexts()  # waits for pending teardowns, frees the spare
    assert context_count() == 0


def test_the_prelude_loses_only_comments_when_its_comment_lines_are_dropped() -> None:
    # engine._prelude_source() drops every line that starts with "//": that is only safe
    # while no string or template literal can span lines.
    from importlib import resources

    text = resources.files(engine.__package__).joinpath("prelude.js").read_text("utf-8")
    code = [line for line in text.split("\n") if not line.lstrip().startswith("//")]
    assert not any("`" in line.split("//")[0] for line in code), "no template literals"
    assert not any(line.rstrip().endswith("\\") for line in code), "no line continuations"
    assert engine._prelude_source() == "\n".join(code)


async def test_a_script_costs_one_evaluation_pair_per_round_of_tool_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from langchain_codemode.sandbox.runner import Limits, run_script

    posted: list[str] = []
    post = engine.Isolate.post

    def counting(self: engine.Isolate, code: str) -> asyncio.Future[object]:
        call = code[len(self.host_name) + 1 :]
        posted.append("start" if call.startswith("configure(") else call.partition("(")[0])
        return post(self, code)

    async def invoker(identifier: str, args: dict[str, object]) -> CallOutcome:
        return CallOutcome(ok=True, value=args["i"])

    async def run(js: str) -> object:
        posted.clear()
        result = await run_script(
            js, is_async_arrow=False, names={"t": "t"}, invoker=invoker, limits=Limits()
        )
        assert result.ok, result.error
        return result.value

    monkeypatch.setattr(engine.Isolate, "post", counting)
    assert (
        await run(
            "const xs = await Promise.all([1, 2, 3].map((i) => tools.t({ i })));"
            " return xs.reduce((a, b) => a + b, 0);"
        )
        == 6
    )
    # start and its drain find the three calls; one settle for all three, and its drain.
    assert posted == ["start", "drain", "settle", "drain"]
    assert await run("let s = 0; for (const i of [1, 2]) s += await tools.t({ i }); return s;") == 3
    assert posted == ["start", "drain", "settle", "drain", "settle", "drain"]


# -- sharing the process with other mini-racer users (each case in a child process: a crash
# -- there fails the test instead of killing the suite) ------------------------------------

_NEIGHBOUR_SCRIPT = """
import asyncio, sys, threading
import py_mini_racer
from py_mini_racer import _dll
from langchain_codemode import CodeModeToolkit

toolkit = CodeModeToolkit([], typecheck=False)

def package_sync():
    assert toolkit.execute("return 1 + 1").value == 2

def package_async():
    assert asyncio.run(toolkit.aexecute("return 2 + 2")).value == 4

def plain():
    racer = py_mini_racer.MiniRacer()
    assert racer.eval("3 + 3") == 6
    racer.close()

def plain_in_loop():
    async def main():
        racer = py_mini_racer.MiniRacer()
        assert await racer.eval_cancelable("4 + 4") == 8
        racer.close()
    asyncio.run(main())

def plain_kept():
    global kept
    kept = py_mini_racer.MiniRacer()
    assert kept.eval("5") == 5

def plain_threads():
    barrier = threading.Barrier(2)
    def make():
        barrier.wait()
        for _ in range(5):
            plain()
    threads = [threading.Thread(target=make) for _ in range(2)]
    for t in threads: t.start()
    for t in threads: t.join()

def plain_while_package_starts():
    # A MiniRacer() made the moment the package starts V8 on another thread.
    def neighbour():
        while _dll._dll_handle is None and not _dll._init_lock.locked():
            pass
        for _ in range(3):
            plain()
    thread = threading.Thread(target=neighbour)
    thread.start()
    package_sync()
    thread.join()

for _ in range(int(sys.argv[2])):
    for step in sys.argv[1].split(","):
        globals()[step]()
if "kept" in globals():
    kept.close()
print("ok")
"""

ORDERS = [
    "package_sync,plain",  # the README's crash: a spare exists when MiniRacer() is made
    "package_async,plain_in_loop,package_sync",
    "plain,package_sync,plain,package_async",
    "plain_kept,package_async,plain,package_sync",
    "package_sync,plain_threads,package_async",
    "plain_while_package_starts,plain,package_async",
]


def _run_child(steps: str, repeat: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _NEIGHBOUR_SCRIPT, steps, str(repeat)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )


@pytest.mark.parametrize("steps", ORDERS)
def test_package_and_plain_mini_racer_alternate_without_crashing(steps: str) -> None:
    child = _run_child(steps, repeat=3)
    assert child.returncode == 0, (steps, child.returncode, child.stderr[-3000:])
    assert child.stdout.strip().endswith("ok")


def test_a_neighbour_starting_with_the_package_never_races_v8_set_up() -> None:
    # V8 sets up a process-wide allocator lazily in the first isolate creation, without a lock:
    # two first isolates at once abort the process. The package's first isolate is made
    # inside mini-racer's own initialisation lock, so a neighbour's MiniRacer() waits for it.
    for _ in range(4):
        child = _run_child("plain_while_package_starts", repeat=1)
        assert child.returncode == 0, (child.returncode, child.stderr[-3000:])


def test_no_native_work_is_left_running_when_an_execution_returns() -> None:
    """When execute() returns, the package's spare is made and its used context is freed:
    nothing of ours is creating or tearing down a V8 context while the caller's code runs."""
    from langchain_codemode import CodeModeToolkit

    toolkit = CodeModeToolkit([], typecheck=False)
    engine.release_spare_contexts()
    for i in range(10):
        assert toolkit.execute(f"return {i}").value == i
        assert context_count() == 1  # exactly the warm spare
    engine.release_spare_contexts()
    assert context_count() == 0
