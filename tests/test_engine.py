"""Guards for the mini-racer internals the bridge relies on (see sandbox/engine.py)."""

from __future__ import annotations

import importlib.metadata

from py_mini_racer._context import Context
from py_mini_racer._mini_racer import _make_context

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
        "eval_cancelable",
        "call_function_cancelable",
        "set_hard_memory_limit",
        "was_hard_memory_limit_reached",
    ):
        assert hasattr(Context, name), name
    assert callable(_make_context)
