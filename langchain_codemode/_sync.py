"""The one place where synchronous callers cross into the async core.

``run_sync(make_coroutine)`` runs a coroutine to completion from any synchronous context: plain
code (``asyncio.run``), a worker thread, or code already inside a running event loop such as a
notebook cell (a private loop on a helper thread, with the caller's context variables copied,
so LangGraph's config and tracing still follow).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["run_sync"]

T = TypeVar("T")


def run_sync(make_coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    # A loop is running in this thread: it cannot be re-entered, so use a private one.
    context = contextvars.copy_context()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = context.run(asyncio.run, make_coroutine())
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="codemode-sync", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value
