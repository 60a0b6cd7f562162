"""What one execution returns: :class:`ExecutionResult` and its :class:`ToolCallRecord` list.

Plain frozen dataclasses holding JSON-compatible values only, so a result can be stored in
LangGraph state, checkpointed and sent over the wire. They know nothing about V8 or tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_codemode.errors import ErrorType

__all__ = ["ExecutionResult", "ToolCallRecord"]


@dataclass(frozen=True)
class ToolCallRecord:
    """One bridged tool call, as issued by the script."""

    name: str
    """The tool's real name (not the JS identifier)."""
    args: dict[str, Any]
    ok: bool
    output: Any = None
    """The JSON-compatible value the script received (None when the call failed)."""
    error: str | None = None
    """The message the script's promise was rejected with."""
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "args": self.args,
            "ok": self.ok,
            "output": self.output,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }


@dataclass(frozen=True)
class ExecutionResult:
    """The outcome of running one script."""

    ok: bool
    value: Any = None
    """The JSON-compatible value the script returned (None when it returned nothing)."""
    logs: list[str] = field(default_factory=list)
    calls: list[ToolCallRecord] = field(default_factory=list)
    error: str | None = None
    """A short, model-facing message; never a Python traceback."""
    error_type: ErrorType | None = None
    duration_ms: float = 0.0
    workspace_updates: dict[str, Any] | None = None
    """The workspace keys a successful run set (to their new values) or deleted (to None);
    None when the run had no workspace or failed (a failed run changes nothing)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible dict (what a ToolMessage artifact or graph state can hold).

        Values are shared with the result, not copied: they are JSON data that nothing
        mutates after the run.
        """
        return {
            "ok": self.ok,
            "value": self.value,
            "logs": list(self.logs),
            "calls": [call.to_dict() for call in self.calls],
            "error": self.error,
            "error_type": self.error_type,
            "duration_ms": self.duration_ms,
            **(
                {"workspace_updates": self.workspace_updates}
                if self.workspace_updates is not None
                else {}
            ),
        }
