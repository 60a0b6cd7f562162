"""``CodeModeNode``: LangGraph's ``ToolNode`` with one ``execute_code`` tool in front of the rest.

A subclass, so every API that takes a ToolNode takes it, and ToolNode's machinery (input
shapes, ``handle_tool_errors``, Send/ToolCall inputs, config and callback propagation) is
reused rather than copied. The model is bound to ``node.tools_by_name``: ``execute_code`` plus
any ``direct_tools``, which are answered exactly as ToolNode answers them. Owns only the
wiring; running scripts belongs to :class:`~langchain_codemode.toolkit.CodeModeToolkit`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import _default_handle_tool_errors

from langchain_codemode.toolkit import CodeModeToolkit

__all__ = ["CodeModeNode"]


class CodeModeNode(ToolNode):
    """A drop-in replacement for ``ToolNode`` that answers ``execute_code`` calls by running
    the script against ``tools`` in a V8 sandbox.

    ``toolkit_options`` (``timeout``, ``memory_limit``, ``max_tool_calls``, ``max_value_bytes``,
    ``max_log_bytes``) are passed to :class:`CodeModeToolkit`, available as ``node.toolkit``.
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        name: str = "tools",
        handle_tool_errors: Any = _default_handle_tool_errors,
        messages_key: str = "messages",
        direct_tools: Sequence[BaseTool | Callable[..., Any]] = (),
        **toolkit_options: Any,
    ) -> None:
        self.toolkit = CodeModeToolkit(tools, **toolkit_options)
        super().__init__(
            [self.toolkit.as_tool(), *direct_tools],
            name=name,
            handle_tool_errors=handle_tool_errors,
            messages_key=messages_key,
        )
