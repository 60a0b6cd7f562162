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
from typing import Any

from langchain.agents.middleware.types import (
    AgentMiddleware,
    AgentState,
    ContextT,
    ModelRequest,
    ModelResponse,
    ResponseT,
)
from langchain_core.messages import SystemMessage
from langchain_core.tools import BaseTool

from langchain_codemode.errors import ConfigurationError
from langchain_codemode.toolkit import EXECUTE_CODE, CodeModeToolkit, _coerce_tool

__all__ = ["CodeModeMiddleware"]


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

    Example::

        agent = create_agent(model, tools=[], middleware=[CodeModeMiddleware([search, lookup])])
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        direct_tools: Sequence[BaseTool | Callable[..., Any]] = (),
        **toolkit_options: Any,
    ) -> None:
        super().__init__()
        self.toolkit = CodeModeToolkit(tools, **toolkit_options)
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
        self.execute_code: BaseTool = self.toolkit.as_tool(include_declarations=False)
        self.direct_tools: list[BaseTool] = direct
        self.tools = [self.execute_code, *direct]
        # Wrapped tools the model must not see directly (unless they are direct tools too).
        self._hidden = {item.name for item in self.toolkit.tools} - set(names)

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
