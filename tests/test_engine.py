"""Guards for the mini-racer internals the bridge relies on (see sandbox/engine.py)."""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect

from py_mini_racer._context import Context, ContextType, context_count
from py_mini_racer._dll import init_mini_racer, mr_callback_func
from py_mini_racer._objects import ObjectFactoryImpl

from langchain_codemode.sandbox import engine


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
