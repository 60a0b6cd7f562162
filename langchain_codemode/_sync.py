"""The one place where synchronous callers cross into the async core.

``run_sync(make_coroutine)`` runs a coroutine to completion from any synchronous context: plain
code (a private event loop on this thread), a worker thread, or code already inside a running
event loop such as a notebook cell (a private loop on a helper thread, with the caller's
context variables copied, so LangGraph's config and tracing still follow).

It returns as soon as the coroutine has: unlike ``asyncio.run`` it does not wait for the
loop's worker threads. A sync tool still blocking in one after a timeout must not hold the
caller past its deadline; when that thread finishes, its late result is dropped silently.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
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
        return _run(make_coroutine())
    # A loop is running in this thread: it cannot be re-entered, so use a private one.
    context = contextvars.copy_context()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = context.run(_run, make_coroutine())
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="codemode-sync", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` without waiting for the threads of the loop's default executor."""
    loop = asyncio.new_event_loop()
    executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="codemode-sync-tool")
    loop.set_default_executor(executor)
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(coroutine)
    finally:
        try:
            _cancel_remaining_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()
            # Threads still running finish on their own; what they return goes nowhere.
            executor.shutdown(wait=False, cancel_futures=True)


def _cancel_remaining_tasks(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler(
                {
                    "message": "unhandled exception during run_sync() shutdown",
                    "exception": task.exception(),
                    "task": task,
                }
            )
