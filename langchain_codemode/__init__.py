"""Code Mode for LangChain and LangGraph.

The model sees tools as a typed TypeScript API and writes one script; the script runs in an
embedded V8 isolate, each ``await tools.x(args)`` reaches the real LangChain tool through async
Python, and only the final answer returns to the model.
"""

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
