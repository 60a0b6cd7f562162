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
from langchain_core.messages import SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool, StructuredTool, ToolException
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command
from typing_extensions import NotRequired

from langchain_codemode._sync import run_sync
from langchain_codemode.durable import (
    WORKSPACE_KEY,
    InDoubt,
    Journal,
    ask_approval,
    check_in_doubt,
    merge_workspace,
    stream_writer,
    workspace_of,
)
from langchain_codemode.errors import ConfigurationError
from langchain_codemode.sandbox.runner import CALL_INDEX, EventSink
from langchain_codemode.toolkit import (
    EXECUTE_CODE,
    EXECUTE_CODE_SHORT_DESCRIPTION,
    CodeModeToolkit,
    ScriptHooks,
    _call_tool,
    _coerce_tool,
    approval_names,
    format_result,
)

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
    ``max_log_bytes``) are passed to :class:`CodeModeToolkit`, available as
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
        self.toolkit = CodeModeToolkit(tools, workspace=workspace, **toolkit_options)
        self.approve = approval_names(approve, self.toolkit.tools)
        self.in_doubt: InDoubt = check_in_doubt(in_doubt)
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
            result = await self.toolkit._execute(
                code, config, hooks=self._hooks(config, call_id, runtime.state)
            )
            if not result.ok:
                raise ToolException(result.error)
            message = ToolMessage(
                content=format_result(result),
                artifact=result.to_dict(),
                tool_call_id=call_id,
                name=EXECUTE_CODE,
            )
            if not result.workspace_updates:
                return message
            return Command(update={"messages": [message], WORKSPACE_KEY: result.workspace_updates})

        def execute_code_sync(code: str, runtime: ToolRuntime) -> ToolMessage | Command[Any]:
            return run_sync(lambda: execute_code(code, runtime))

        return StructuredTool.from_function(
            func=execute_code_sync,
            coroutine=execute_code,
            name=EXECUTE_CODE,
            description=EXECUTE_CODE_SHORT_DESCRIPTION,
            handle_tool_error=True,
        )

    def _hooks(self, config: RunnableConfig, call_id: str, state: Any) -> ScriptHooks:
        approve = self.approve

        async def call_tool(
            tool: BaseTool, args: dict[str, Any], config: RunnableConfig | None
        ) -> Any:
            if tool.name in approve:
                nested_id = f"{call_id}:{CALL_INDEX.get()}"
                decision, detail = ask_approval(tool, args, nested_id, config)
                if decision == "reject":
                    return ToolMessage(
                        content=detail, tool_call_id=nested_id, name=tool.name, status="error"
                    )
                if decision == "edit":
                    args = detail
            return await _call_tool(tool, args, config)

        on_event: EventSink | None = None
        writer = stream_writer()
        if writer is not None:

            def on_event(event: dict[str, Any]) -> None:
                writer({**event, "tool_call_id": call_id})

        return ScriptHooks(
            call_tool=call_tool,
            on_event=on_event,
            journal=Journal.open(config, call_id, self.in_doubt),
            workspace=workspace_of(state) if self.toolkit.workspace else None,
        )

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
        return handler(self._prepare(request))

    async def awrap_model_call(
        self,
        request: ModelRequest[ContextT],
        handler: Callable[[ModelRequest[ContextT]], Awaitable[ModelResponse[ResponseT]]],
    ) -> ModelResponse[ResponseT]:
        """Async twin of :meth:`wrap_model_call`."""
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
