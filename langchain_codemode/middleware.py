"""``CodeModeMiddleware``: Code Mode as a ``langchain.agents.create_agent`` middleware.

Owns only the wiring into the agent: registering ``execute_code`` (and any ``direct_tools``)
as middleware tools, so ``create_agent`` binds them to the model and answers them in its own
``ToolNode`` (with every ``wrap_tool_call`` middleware around them); appending the toolkit's
prompt (instructions plus TypeScript declarations) to the system prompt of each model call;
and hiding from the model the raw tools the toolkit wraps, should they also be passed to
``create_agent``. Running scripts belongs to :class:`~langchain_codemode.toolkit.CodeModeToolkit`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from langchain.agents.middleware.types import (
    AgentMiddleware,
    AgentState,
    ContextT,
    ModelRequest,
    ModelResponse,
    ResponseT,
)
from langchain_core.messages import SystemMessage, ToolCall, ToolMessage
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool, ToolException
from langgraph.prebuilt import ToolRuntime
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command
from typing_extensions import NotRequired

from langchain_codemode._sync import run_sync
from langchain_codemode.durable import (
    WORKSPACE_KEY,
    InDoubt,
    merge_workspace,
)
from langchain_codemode.errors import ConfigurationError
from langchain_codemode.node import CodeModeNode, _answering
from langchain_codemode.toolkit import (
    EXECUTE_CODE,
    EXECUTE_CODE_SHORT_DESCRIPTION,
    _coerce_tool,
    format_result,
)
from langchain_codemode.tracing import ScriptTool, script_failed

__all__ = ["CodeModeAgentState", "CodeModeMiddleware"]


class CodeModeAgentState(AgentState[Any]):
    """The agent state with the thread's workspace (``CodeModeMiddleware(workspace=True)``)."""

    codemode_workspace: NotRequired[Annotated[dict[str, Any], merge_workspace]]


class CodeModeMiddleware(AgentMiddleware[AgentState[Any], ContextT, ResponseT]):
    """Give a ``create_agent`` agent one ``execute_code`` tool instead of the raw ``tools``.

    The model is offered ``execute_code`` (with a short description) plus any
    ``direct_tools``, and every model call gets the toolkit's prompt, which carries the
    TypeScript declarations, appended to its system prompt. Scripts call ``tools`` in a V8
    sandbox; those nested calls
    do not pass through the agent's ``wrap_tool_call`` middleware, which sees (and can limit,
    retry or gate) only the ``execute_code`` call as a whole.

    ``toolkit_options`` (``timeout``, ``memory_limit``, ``max_tool_calls``, ``max_value_bytes``,
    ``max_log_bytes``, ``typecheck``, ``learn_output_types``, ``output_types_store``, ...)
    are passed to :class:`CodeModeToolkit`, available as
    ``middleware.toolkit``.

    As in :class:`~langchain_codemode.CodeModeNode`: under a checkpointer every call a script
    makes is journaled (a resumed script never repeats a completed call), ``approve`` names
    tools whose calls from a script pause the agent for a person's decision, ``in_doubt``
    decides what a resumed script gets for a call that was running when its process died,
    and ``workspace=True`` gives scripts a ``workspace`` kept in the agent state.

    Example::

        agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware([search, lookup])])
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        direct_tools: Sequence[BaseTool | Callable[..., Any]] = (),
        approve: Sequence[str] = (),
        workspace: bool = False,
        in_doubt: InDoubt = "fail",
        **toolkit_options: Any,
    ) -> None:
        super().__init__()
        # The node runs nested calls exactly as under CodeModeNode: LangGraph's runtime is
        # injected, Command updates are kept, approvals, the journal and stream events.
        self._node = CodeModeNode(
            tools, approve=approve, workspace=workspace, in_doubt=in_doubt, **toolkit_options
        )
        self.toolkit = self._node.toolkit
        if workspace:
            self.state_schema = CodeModeAgentState
        if isinstance(direct_tools, (BaseTool, str, bytes)) or not isinstance(
            direct_tools, Sequence
        ):
            raise ConfigurationError(
                "direct_tools takes a list of tools, e.g. direct_tools=[search]."
            )
        direct = [_coerce_tool(item) for item in direct_tools]
        names = [EXECUTE_CODE]
        for item in direct:
            if item.name in names:
                raise ConfigurationError(
                    f"Two tools offered to the model are named {item.name!r}; give each "
                    "direct tool a unique name other than 'execute_code'."
                )
            names.append(item.name)
        # The prompt carries the declarations; the tool's own description stays short so the
        # API is sent once per model call.
        self.execute_code: BaseTool = self._execute_code_tool()
        self.direct_tools: list[BaseTool] = direct
        self.tools = [self.execute_code, *direct]
        # Wrapped tools the model must not see directly (unless they are direct tools too).
        self._hidden = {item.name for item in self.toolkit.tools} - set(names)

    def _execute_code_tool(self) -> BaseTool:
        """``execute_code`` as the agent's ToolNode runs it, with LangGraph's runtime."""

        async def execute_code(code: str, runtime: ToolRuntime) -> ToolMessage | Command[Any]:
            # The child config makes nested tool runs children of this execute_code run.
            config = var_child_runnable_config.get() or runtime.config
            call_id = runtime.tool_call_id or ""
            call = ToolCall(name=EXECUTE_CODE, args={"code": code}, id=call_id, type="tool_call")
            request = ToolCallRequest(
                tool_call=call, tool=self.execute_code, state=runtime.state, runtime=runtime
            )
            with _answering(request) as active:
                result = await self.toolkit._execute(code, config, hooks=self._node._hooks(config))
            if not result.ok:  # an error ToolMessage, the run record as its artifact
                raise script_failed(result, config)
            message = ToolMessage(
                content=format_result(result),
                artifact=result.to_dict(),
                tool_call_id=call_id,
                name=EXECUTE_CODE,
            )
            return _with_updates(message, active.commands, result.workspace_updates)

        def execute_code_sync(code: str, runtime: ToolRuntime) -> ToolMessage | Command[Any]:
            return run_sync(lambda: execute_code(code, runtime))

        return ScriptTool.from_function(
            func=execute_code_sync,
            coroutine=execute_code,
            name=EXECUTE_CODE,
            description=EXECUTE_CODE_SHORT_DESCRIPTION,
            handle_tool_error=True,
        )

    @property
    def approve(self) -> frozenset[str]:
        """The tools whose calls from a script wait for a person's decision."""
        return self._node.approve

    @property
    def in_doubt(self) -> InDoubt:
        """What a resumed script gets for a call that was running when its process died."""
        return self._node.in_doubt

    @property
    def name(self) -> str:
        """The middleware's name in the agent (``create_agent`` rejects duplicate names)."""
        return "CodeModeMiddleware"

    def wrap_model_call(
        self,
        request: ModelRequest[ContextT],
        handler: Callable[[ModelRequest[ContextT]], ModelResponse[ResponseT]],
    ) -> ModelResponse[ResponseT]:
        """Append the Code Mode prompt to the system prompt, then call the model."""
        self.toolkit._output_types.load(getattr(request.runtime, "store", None))
        return handler(self._prepare(request))

    async def awrap_model_call(
        self,
        request: ModelRequest[ContextT],
        handler: Callable[[ModelRequest[ContextT]], Awaitable[ModelResponse[ResponseT]]],
    ) -> ModelResponse[ResponseT]:
        """Async twin of :meth:`wrap_model_call`."""
        await self.toolkit._output_types.aload(store=getattr(request.runtime, "store", None))
        return await handler(self._prepare(request))

    def _prepare(self, request: ModelRequest[ContextT]) -> ModelRequest[ContextT]:
        tools = [
            item
            for item in request.tools
            if not (isinstance(item, BaseTool) and item.name in self._hidden)
        ]
        offered = any(isinstance(item, BaseTool) and item.name == EXECUTE_CODE for item in tools)
        if not offered:
            # Another middleware took execute_code away for this call: no instructions for it.
            if len(tools) == len(request.tools):
                return request
            return request.override(tools=tools)
        return request.override(
            tools=tools, system_message=self._system_message(request.system_message)
        )

    def _system_message(self, current: SystemMessage | None) -> SystemMessage:
        prompt = self.toolkit.prompt
        if current is None:
            return SystemMessage(content=prompt)
        content = current.content
        if isinstance(content, str):
            new_content: str | list[str | dict[str, Any]] = (
                f"{content}\n\n{prompt}" if content else prompt
            )
        else:
            # Content blocks (e.g. with provider cache markers) are kept as they are.
            new_content = [*content, {"type": "text", "text": f"\n\n{prompt}"}]
        return current.model_copy(update={"content": new_content})


def _with_updates(
    message: ToolMessage, commands: list[Command[Any]], workspace: dict[str, Any] | None
) -> ToolMessage | Command[Any]:
    """The script's answer with the state updates its tools asked for.

    A tool answers with one value, and ``ToolNode`` takes a ``Command`` update only as a
    dict, so the updates are merged into one: messages are concatenated; any other key may
    be updated once per script (a second update could not go through the key's reducer).
    """
    if not commands and not workspace:
        return message
    update: dict[str, Any] = {}
    messages: list[Any] = []
    goto: list[Any] = []
    for command in commands:
        if command.graph is not None:
            raise ToolException(
                "a tool called from the script returned a Command for another graph, which "
                "execute_code under create_agent cannot pass on"
            )
        items = command.update.items() if isinstance(command.update, dict) else command.update
        for key, value in items or ():
            if key == "messages":
                messages.extend(value if isinstance(value, list) else [value])
            elif key in update:
                raise ToolException(
                    f"tools called from one script updated the state key {key!r} more than "
                    "once; under create_agent a script may update each key once"
                )
            else:
                update[key] = value
        goto.extend(command.goto if isinstance(command.goto, (list, tuple)) else [command.goto])
    if workspace:
        update[WORKSPACE_KEY] = workspace
    update["messages"] = [*messages, message]
    return Command(update=update, goto=[target for target in goto if target])
