"""How an execution shows in LangChain's callbacks, and so in LangSmith.

Owns the script's run. Outside a graph, :func:`traced` gives ``aexecute``/``execute`` one run
per execution (named ``execute_code``, or the config's ``run_name``; the source as input; the
value or error, the logs and the call count as output) whose children are the nested tool
calls, so one execution is one trace and ``run_name`` names only the script's run. Where the
script's run is an ``execute_code`` tool run, :class:`ScriptTool` and :func:`script_failed`
make a failed script's run carry its error (LangChain records handled tool errors as
successes, and LangSmith's error filter would miss them) and keep the run record as the
error ``ToolMessage``'s artifact. Knows nothing of V8, of graphs or of how a tool is called.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.callbacks import BaseCallbackManager
from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config, get_async_callback_manager_for_config
from langchain_core.tools import StructuredTool, ToolException
from langchain_core.tracers.base import BaseTracer

from langchain_codemode.result import ExecutionResult

__all__ = ["SCRIPT_RUN_NAME", "ScriptTool", "script_failed", "traced"]

SCRIPT_RUN_NAME = "execute_code"

_FAILED: contextvars.ContextVar[list[ExecutionResult] | None] = contextvars.ContextVar(
    "codemode_failed_script", default=None
)
"""Where :func:`script_failed` leaves the failed run for :class:`ScriptTool` to attach."""


def run_outputs(result: ExecutionResult) -> dict[str, Any]:
    """What the script's run shows as its output."""
    outputs: dict[str, Any] = {"ok": result.ok}
    if result.ok:
        outputs["value"] = result.value
    else:
        outputs["error"] = result.error
        outputs["error_type"] = result.error_type
    outputs["logs"] = list(result.logs)
    outputs["tool_calls"] = len(result.calls)
    return outputs


def _mark_failed(handlers: list[Any], run_id: uuid.UUID | None, error: str) -> None:
    """Give a tracer's run its error before the run ends, so it is sent as failed.

    LangChain's tracers (LangSmith's among them) keep each open run in ``run_map``; a run
    that ends with an ``error`` is shown as an error, with its outputs kept.
    """
    if run_id is None:
        return
    for handler in handlers:
        if isinstance(handler, BaseTracer):
            run = handler.run_map.get(str(run_id))
            if run is not None:
                run.error = error


async def traced(
    code: str,
    config: RunnableConfig | None,
    execute: Callable[[RunnableConfig | None], Awaitable[ExecutionResult]],
) -> ExecutionResult:
    """Run ``execute`` as one run of its own, its nested calls as that run's children."""
    settled = ensure_config(config)  # with the callbacks of the run we are inside, if any
    manager = get_async_callback_manager_for_config(settled)
    if not manager.handlers:  # nobody listens: no run to open
        return await execute(config)
    run_manager = await manager.on_tool_start(
        {"name": SCRIPT_RUN_NAME, "description": "A Code Mode script."},
        code,
        name=settled.get("run_name") or SCRIPT_RUN_NAME,
        run_id=settled.get("run_id"),
        inputs={"code": code},
    )
    # The caller's config, unsettled (what else the context holds still reaches the tools),
    # with this run as the parent; the children get their own names and ids, as LangChain
    # gives a runnable's children.
    child = RunnableConfig(**(config or {}))
    child.pop("run_name", None)
    child.pop("run_id", None)
    child["callbacks"] = run_manager.get_child()
    try:
        result = await execute(child)
    except BaseException as exc:
        await run_manager.on_tool_error(exc)
        raise
    if not result.ok:
        _mark_failed(run_manager.handlers, run_manager.run_id, result.error or "failed")
    await run_manager.on_tool_end(run_outputs(result))
    return result


def script_failed(result: ExecutionResult, config: RunnableConfig | None) -> ToolException:
    """The exception an ``execute_code`` tool raises for a failed script.

    ``config`` is the script's (the child config of the tool's run): the tool's run is marked
    failed and the :class:`ScriptTool` running it attaches ``result`` to the error message.
    """
    callbacks = (config or {}).get("callbacks")
    if isinstance(callbacks, BaseCallbackManager):
        _mark_failed(callbacks.handlers, callbacks.parent_run_id, result.error or "failed")
    box = _FAILED.get()
    if box is not None:
        box.append(result)
    return ToolException(result.error)


def _with_record(output: Any, box: list[ExecutionResult]) -> Any:
    if box and isinstance(output, ToolMessage) and output.artifact is None:
        output.artifact = box[-1].to_dict()
    return output


class ScriptTool(StructuredTool):
    """An ``execute_code`` tool: a failed script is an error ``ToolMessage`` (LangChain's own
    handling of the ``ToolException`` from :func:`script_failed`) that keeps the run record
    as its artifact, as a successful one does."""

    async def arun(self, tool_input: Any, *args: Any, **kwargs: Any) -> Any:
        box: list[ExecutionResult] = []
        token = _FAILED.set(box)
        try:
            output = await super().arun(tool_input, *args, **kwargs)
        finally:
            _FAILED.reset(token)
        return _with_record(output, box)

    def run(self, tool_input: Any, *args: Any, **kwargs: Any) -> Any:
        box: list[ExecutionResult] = []
        token = _FAILED.set(box)
        try:
            output = super().run(tool_input, *args, **kwargs)
        finally:
            _FAILED.reset(token)
        return _with_record(output, box)
