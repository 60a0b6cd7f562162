"""``CodeModeNode``: LangGraph's ``ToolNode`` with one ``execute_code`` tool in front of the rest.

A subclass, so every API that takes a ToolNode takes it, and ToolNode's machinery (input
shapes, ``handle_tool_errors``, Send/ToolCall inputs, wrappers, config and callback
propagation) is reused rather than copied. The model is bound to ``node.tools_by_name``:
``execute_code`` plus any ``direct_tools``, which are answered exactly as ToolNode answers
them.

What it adds around ToolNode's own execution of ``execute_code``:

* tools called from a script get LangGraph's runtime as if ToolNode had called them
  (``InjectedState``, ``InjectedStore``, ``InjectedToolCallId``, ``ToolRuntime``), the node's
  ``wrap_tool_call``/``awrap_tool_call`` hooks, and their ``Command(update=...)`` results are
  applied when the node returns;
* each nested call emits ``tool_start``/``tool_end`` custom stream events;
* a failed script becomes an error ``ToolMessage`` whose artifact still holds the run record.

Running scripts belongs to :class:`~langchain_codemode.toolkit.CodeModeToolkit`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, InjectedToolCallId
from langchain_core.tools.base import _is_injected_arg_type, get_all_basemodel_annotations
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest, _default_handle_tool_errors
from langgraph.types import Command
from pydantic import BaseModel

from langchain_codemode._json import to_jsonable
from langchain_codemode.durable import (
    WORKSPACE_KEY,
    Approvals,
    InDoubt,
    Journal,
    check_in_doubt,
    workspace_of,
)
from langchain_codemode.errors import ConfigurationError
from langchain_codemode.sandbox.runner import CALL_INDEX, EventSink
from langchain_codemode.toolkit import (
    CAPTURED_COMMANDS,
    EXECUTE_CODE,
    CodeModeToolkit,
    ScriptHooks,
    approval_names,
)

__all__ = ["CodeModeNode"]

AnyCommand = Command[Any]
ToolOutput = ToolMessage | AnyCommand | list[ToolMessage | AnyCommand]


@dataclass
class _ActiveScript:
    """The ``execute_code`` call being answered (one per script, carried by a context var)."""

    request: ToolCallRequest
    commands: list[AnyCommand] = field(default_factory=list)

    @property
    def call_id(self) -> str:
        return str(self.request.tool_call.get("id") or "")


_ACTIVE: contextvars.ContextVar[_ActiveScript | None] = contextvars.ContextVar(
    "codemode_active_script", default=None
)


@contextlib.contextmanager
def _answering(request: ToolCallRequest) -> Iterator[_ActiveScript]:
    """Makes ``request`` the execute_code call its nested tool calls belong to."""
    active = _ActiveScript(request)
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


@dataclass(frozen=True)
class _RawOutput:
    """A nested tool's own return value, carried through wrappers inside its ToolMessage."""

    value: Any


def _wants_tool_call(tool: BaseTool) -> bool:
    """Tools that need a ToolCall: an injected tool call id, or a (content, artifact) output."""
    if tool.response_format == "content_and_artifact":
        return True
    schema = tool.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return any(
            _is_injected_arg_type(annotation, injected_type=InjectedToolCallId)
            for annotation in get_all_basemodel_annotations(schema).values()
        )
    return False


def _stream_writer() -> Callable[[Any], None] | None:
    """LangGraph's custom stream writer, or None outside a graph run."""
    try:
        from langgraph.config import get_stream_writer

        return get_stream_writer()
    except (RuntimeError, ImportError):
        return None


class CodeModeNode(ToolNode):
    """A drop-in replacement for ``ToolNode`` that answers ``execute_code`` calls by running
    the script against ``tools`` in a V8 sandbox.

    ``toolkit_options`` (``timeout``, ``memory_limit``, ``max_tool_calls``, ``max_value_bytes``,
    ``max_log_bytes``, ``typecheck``, ``learn_output_types``, ``output_types_store``, ...)
    are passed to :class:`CodeModeToolkit`, available as
    ``node.toolkit``.

    Under a checkpointer every nested call is journaled, so a script resumed after an interrupt
    or a crash never runs a completed call twice (see :mod:`langchain_codemode.durable`).
    A call that was still running when the process died is *in doubt* on resume: with
    ``in_doubt="fail"`` (the default) the script gets an error saying so instead of running
    it twice; ``"rerun"`` runs it again (for idempotent tools).
    ``approve`` names tools whose calls from a script pause the graph for a human decision.
    ``workspace=True`` gives scripts a ``workspace`` global kept in the graph state under
    ``"codemode_workspace"`` (declare it with :class:`~langchain_codemode.CodeModeState`).
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        name: str = "tools",
        handle_tool_errors: Any = _default_handle_tool_errors,
        messages_key: str = "messages",
        direct_tools: Sequence[BaseTool | Callable[..., Any]] = (),
        tags: list[str] | None = None,
        wrap_tool_call: Any = None,
        awrap_tool_call: Any = None,
        approve: Sequence[str] = (),
        workspace: bool = False,
        in_doubt: InDoubt = "fail",
        **toolkit_options: Any,
    ) -> None:
        self.toolkit = CodeModeToolkit(tools, workspace=workspace, **toolkit_options)
        self.approve = approval_names(approve, self.toolkit.tools)
        self._gated = frozenset(
            identifier
            for identifier, tool in self.toolkit._by_identifier.items()
            if tool.name in self.approve
        )
        self.in_doubt: InDoubt = check_in_doubt(in_doubt)
        # A plain ToolNode over the script's tools: the source of truth for what each tool
        # wants injected.
        self._script_tools = ToolNode(self.toolkit.tools, handle_tool_errors=False)
        self._wants_call: dict[str, bool] = {}
        execute_code = self.toolkit._execute_code_tool(hooks=self._hooks)
        direct = list(direct_tools)
        for item in direct:
            if getattr(item, "name", None) == EXECUTE_CODE:
                raise ConfigurationError(
                    f"A direct tool is named {EXECUTE_CODE!r}, the name of the script tool; "
                    "rename it."
                )
        super().__init__(
            [execute_code, *direct],
            name=name,
            tags=tags,
            handle_tool_errors=handle_tool_errors,
            messages_key=messages_key,
            wrap_tool_call=wrap_tool_call,
            awrap_tool_call=awrap_tool_call,
        )

    # -- ToolNode's execution, wrapped for execute_code ------------------------------------------
    async def _execute_tool_async(
        self,
        request: ToolCallRequest,
        input_type: Literal["list", "dict", "tool_calls"],
        config: RunnableConfig,
    ) -> ToolOutput:
        if request.tool_call["name"] != EXECUTE_CODE:
            return await super()._execute_tool_async(request, input_type, config)
        with _answering(request) as active:
            output = await super()._execute_tool_async(request, input_type, config)
        return self._finish(output, active)

    def _execute_tool_sync(
        self,
        request: ToolCallRequest,
        input_type: Literal["list", "dict", "tool_calls"],
        config: RunnableConfig,
    ) -> ToolOutput:
        if request.tool_call["name"] != EXECUTE_CODE:
            return super()._execute_tool_sync(request, input_type, config)
        with _answering(request) as active:
            output = super()._execute_tool_sync(request, input_type, config)
        return self._finish(output, active)

    @staticmethod
    def _finish(output: ToolOutput, active: _ActiveScript) -> ToolOutput:
        """Mark failed scripts as errors and attach the updates nested tools asked for."""
        if isinstance(output, ToolMessage):
            artifact = output.artifact
            if isinstance(artifact, dict) and artifact.get("ok") is False:
                output.status = "error"
            elif isinstance(artifact, dict) and artifact.get("workspace_updates"):
                active.commands.append(
                    Command(update={WORKSPACE_KEY: artifact["workspace_updates"]})
                )
        if not active.commands:
            return output
        tail = output if isinstance(output, list) else [output]
        return [*active.commands, *tail]

    # -- what scripts get --------------------------------------------------------------------
    def _hooks(self, config: RunnableConfig) -> ScriptHooks:
        active = _ACTIVE.get()
        if active is None:  # the tool was invoked outside this node's execution
            return ScriptHooks()
        writer = _stream_writer()
        on_event: EventSink | None = None
        if writer is not None:
            call_id = active.call_id

            def on_event(event: dict[str, Any]) -> None:
                writer({**event, "tool_call_id": call_id})

        journal = Journal.open(config, active.call_id, self.in_doubt, self._gated)
        approvals = Approvals(journal) if self.approve else None

        async def call_tool(
            tool: BaseTool, args: dict[str, Any], config: RunnableConfig | None
        ) -> Any:
            return await self._call_nested(active, tool, args, config, approvals)

        return ScriptHooks(
            call_tool=call_tool,
            on_event=on_event,
            journal=journal,
            workspace=workspace_of(active.request.state) if self.toolkit.workspace else None,
            on_commands=active.commands.extend,
        )

    async def _call_nested(
        self,
        active: _ActiveScript,
        tool: BaseTool,
        args: dict[str, Any],
        config: RunnableConfig | None,
        approvals: Approvals | None = None,
    ) -> Any:
        call_id = f"{active.call_id}:{CALL_INDEX.get()}"
        if approvals is not None and tool.name in self.approve:
            decision, detail = await approvals.decide(tool, args, call_id, config)
            if decision == "reject":
                return ToolMessage(
                    content=detail, tool_call_id=call_id, name=tool.name, status="error"
                )
            if decision == "edit":
                args = detail
        call = ToolCall(name=tool.name, args=args, id=call_id, type="tool_call")
        runtime = active.request.runtime
        if dataclasses.is_dataclass(runtime) and hasattr(runtime, "tool_call_id"):
            # The nested tool answers its own call, not the execute_code call.
            runtime = dataclasses.replace(runtime, tool_call_id=call["id"])
        request = ToolCallRequest(
            tool_call=call, tool=tool, state=active.request.state, runtime=runtime
        )

        async def execute(req: ToolCallRequest) -> ToolMessage | AnyCommand:
            message: ToolMessage | AnyCommand = await self._invoke_nested(req, config)
            return message

        if self._awrap_tool_call is not None:
            output = await self._awrap_tool_call(request, execute)
        elif self._wrap_tool_call is not None:
            sync_wrap = self._wrap_tool_call

            def sync_execute(req: ToolCallRequest) -> ToolMessage | AnyCommand:
                return asyncio.run_coroutine_threadsafe(execute(req), loop).result()

            loop = asyncio.get_running_loop()
            context = contextvars.copy_context()
            output = await loop.run_in_executor(
                None, lambda: context.run(sync_wrap, request, sync_execute)
            )
        else:
            # No wrapper will look at a ToolMessage: hand the tool's own output straight over.
            output = await self._invoke_nested(request, config, as_message=False)
        return self._script_value(active, output, call)

    async def _invoke_nested(
        self, request: ToolCallRequest, config: RunnableConfig | None, *, as_message: bool = True
    ) -> Any:
        tool = request.tool
        if tool is None:  # a wrapper replaced the tool with nothing
            raise ValueError(f"no tool for {request.tool_call['name']}")
        injected = self._script_tools._inject_tool_args(request.tool_call, request.runtime, tool)
        wants_call = self._wants_call.get(tool.name)
        if wants_call is None:
            wants_call = self._wants_call[tool.name] = _wants_tool_call(tool)
        if wants_call:
            output = await tool.ainvoke({**injected, "type": "tool_call"}, config)
        else:
            # Called with plain arguments the tool's raw output survives (a ToolCall would turn
            # it into message text); it travels to the script inside the ToolMessage that
            # wrappers see.
            output = await tool.ainvoke(injected["args"], config)
        if isinstance(output, (ToolMessage, Command)) or not as_message:
            return output
        text = output if isinstance(output, str) else json.dumps(to_jsonable(output), default=str)
        return ToolMessage(
            content=text,
            artifact=_RawOutput(output),
            tool_call_id=request.tool_call["id"],
            name=tool.name,
        )

    @staticmethod
    def _script_value(active: _ActiveScript, output: Any, call: ToolCall) -> Any:
        """What the script receives; a Command's state update is kept for the node's output."""
        if isinstance(output, ToolMessage) and isinstance(output.artifact, _RawOutput):
            if output.status == "error":
                return output
            return output.artifact.value
        if not isinstance(output, Command):
            return output
        # A journaled call's updates are recorded with it, and reach the node through the journal.
        captured = CAPTURED_COMMANDS.get()
        commands = captured if captured is not None else active.commands
        update = output.update
        reply: Any = None
        if isinstance(update, dict):
            remaining = dict(update)
            messages = remaining.pop("messages", None) or []
            kept = []
            for message in messages:
                # The nested call's own ToolMessage answers a call the model never made: it
                # becomes the script's value instead of entering the conversation.
                if isinstance(message, ToolMessage) and message.tool_call_id == call["id"]:
                    reply = message
                else:
                    kept.append(message)
            if kept:
                remaining["messages"] = kept
            if remaining or output.goto:
                commands.append(
                    Command(graph=output.graph, update=remaining or None, goto=output.goto)
                )
        else:
            commands.append(output)
        return reply
