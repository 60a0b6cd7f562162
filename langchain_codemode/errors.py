"""Every exception the package raises, and the model-facing error vocabulary.

Two audiences, kept apart on purpose:

* **The developer** gets exceptions, raised early, whose message says how to fix the mistake::

      CodeModeError                     base of everything this package raises
      ├── ConfigurationError            bad toolkit options or tools (raised at construction)
      ├── EngineError                   the V8 engine is missing or is an unsupported version
      └── EngineBusyError               too many executions waiting for a V8 context (only
                                        when a limit is set with set_context_limits)

* **The model** never sees an exception. A failed script becomes an ``ExecutionResult`` with
  ``ok=False``, a one-line-ish ``error`` and an ``error_type`` from :data:`ErrorType`. A failed
  tool call inside a script rejects the script's promise with a JS ``Error`` whose message is
  built here too. Neither ever carries a Python traceback or host detail.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CodeModeError",
    "ConfigurationError",
    "EngineBusyError",
    "EngineError",
    "ErrorType",
    "TypeScriptSyntaxError",
]

ErrorType = Literal[
    "syntax",  # the script does not parse (TypeScript or JavaScript)
    "type",  # the script misuses the declared tools API (TypeScript check); no tool ran
    "runtime",  # the script threw (or rejected) and did not catch it
    "timeout",  # the wall-clock budget ran out
    "memory",  # the JS heap or the off-heap (ArrayBuffer) budget ran out
    "tool_call_limit",  # more bridged tool calls than max_tool_calls
    "output_limit",  # the returned value is larger than max_value_bytes as JSON
    "output",  # the returned value cannot become JSON (BigInt, cycles)
    "stalled",  # the script awaits a promise that nothing can settle any more
    "replay",  # resumed after a pause, the script issued other tool calls than the first time
    "internal",  # the sandbox itself failed; the message says so without host detail
]


class CodeModeError(Exception):
    """Base class for every exception raised by langchain-codemode."""


class ConfigurationError(CodeModeError, ValueError):
    """A toolkit option or a tool is unusable. The message says how to fix it."""


class EngineError(CodeModeError, RuntimeError):
    """The embedded V8 engine (PyPI ``mini-racer``) is missing or an unsupported version."""


class EngineBusyError(CodeModeError, RuntimeError):
    """More executions wait for a V8 context than ``set_context_limits(max_waiting=...)`` allows."""


class TypeScriptSyntaxError(CodeModeError, SyntaxError):
    """A script uses TypeScript syntax that cannot be turned into JavaScript.

    Only ever caught by the sandbox and turned into an ``error_type="syntax"`` result; it carries
    a model-facing message with the 1-based line and column of the offending code.
    """

    def __init__(self, message: str, *, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.line = line
        self.column = column
