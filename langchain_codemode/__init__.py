"""Code Mode for LangChain and LangGraph.

The model sees tools as a typed TypeScript API and writes one script; the script runs in an
embedded V8 isolate, each ``await tools.x(args)`` reaches the real LangChain tool through async
Python, and only the final answer returns to the model.

The public names are imported on first use (PEP 562), so ``import langchain_codemode`` and the
``codemode`` command line start without loading LangChain, LangGraph or V8 until needed.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from langchain_codemode.durable import (
        ApprovalRequest,
        BatchApprovalRequest,
        CodeModeState,
        merge_workspace,
    )
    from langchain_codemode.errors import CodeModeError, ConfigurationError, EngineError
    from langchain_codemode.middleware import CodeModeAgentState, CodeModeMiddleware
    from langchain_codemode.node import CodeModeNode
    from langchain_codemode.result import ExecutionResult, ToolCallRecord
    from langchain_codemode.toolkit import CodeModeToolkit

# Each public name and the module that defines it.
_EXPORTS = {
    "ApprovalRequest": "durable",
    "BatchApprovalRequest": "durable",
    "CodeModeAgentState": "middleware",
    "CodeModeError": "errors",
    "CodeModeMiddleware": "middleware",
    "CodeModeNode": "node",
    "CodeModeState": "durable",
    "CodeModeToolkit": "toolkit",
    "ConfigurationError": "errors",
    "EngineError": "errors",
    "ExecutionResult": "result",
    "ToolCallRecord": "result",
    "merge_workspace": "durable",
}

__all__ = [
    "ApprovalRequest",
    "BatchApprovalRequest",
    "CodeModeAgentState",
    "CodeModeError",
    "CodeModeMiddleware",
    "CodeModeNode",
    "CodeModeState",
    "CodeModeToolkit",
    "ConfigurationError",
    "EngineError",
    "ExecutionResult",
    "ToolCallRecord",
    "merge_workspace",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
