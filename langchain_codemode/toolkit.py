"""``CodeModeToolkit``: LangChain tools → a typed TypeScript API → one ``execute_code`` tool.

Owns the user-facing surface: validating options and tools early, naming each tool's JS
identifier by the contract's rule, the declarations and prompt the model reads, the
``execute_code`` tool, and putting one execution together (strip, sessions, journal, hooks).
Calling one tool for a script (argument checks, error wording, output conversion) belongs to
:mod:`langchain_codemode.calls`; running scripts to :mod:`langchain_codemode.sandbox.runner`;
keeping result types learned from results to :mod:`langchain_codemode.output_types_store`.
It knows nothing of graphs.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool
from langchain_core.tools import tool as as_langchain_tool
from pydantic import BaseModel

from langchain_codemode._sync import run_sync
from langchain_codemode.calls import ToolCaller, ToolCalls, call_tool, input_schema
from langchain_codemode.discovery import (
    DEFAULT_DECLARATION_BUDGET,
    DESCRIBE,
    SEARCH,
    Api,
    Discovery,
    choose_api,
)
from langchain_codemode.durable import one_script_at_a_time
from langchain_codemode.errors import ConfigurationError, TypeScriptSyntaxError
from langchain_codemode.mcp import NAMESPACE_KEY, McpTool, load_mcp_tools, session_scope
from langchain_codemode.output_types_store import OutputTypes, graph_store
from langchain_codemode.result import ExecutionResult
from langchain_codemode.sandbox.runner import (
    CALL_INDEX,
    WHEN_IDLE,
    CallOutcome,
    EventSink,
    Limits,
    Session,
    run_script,
    syntax_failure,
)
from langchain_codemode.tracing import ScriptTool, script_failed, traced
from langchain_codemode.typescript.check import (
    CHECKER_EXTRA,
    OPEN_RESULT_KEY,
    Diagnostic,
    TypeChecker,
    checker_available,
    format_diagnostics,
)
from langchain_codemode.typescript.declarations import ToolSignature, render_declarations
from langchain_codemode.typescript.learned import is_informative, tool_key
from langchain_codemode.typescript.output_types import output_schema_for_tool
from langchain_codemode.typescript.strip import strip_types

if TYPE_CHECKING:
    from langgraph.store.base import BaseStore

    from langchain_codemode.durable import Journal

CAPTURED_COMMANDS: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "codemode_captured_commands", default=None
)
"""Where a journaled call's graph updates go, so the journal can record and replay them."""

__all__ = [
    "EXECUTE_CODE",
    "EXECUTE_CODE_DESCRIPTION",
    "LEARNED_TYPES_PROMPT",
    "PROMPT_TEMPLATE",
    "CodeModeToolkit",
    "js_identifiers",
]

PROMPT_TEMPLATE = """\
You can run JavaScript or TypeScript with the `execute_code` tool. Use it to call tools: one \
script can make many calls, and only what it returns comes back to you.

How to write a script:
- The code is the body of an async function: use `await` at the top level and `return` the \
result you need (plain JSON data: objects, arrays, strings, numbers, booleans, null).
- Call tools as `await tools.<name>({{ ...args }})`; each takes one object, as declared below.
- Run independent calls together: \
`const [a, b] = await Promise.all([tools.x({{}}), tools.y({{}})])`.
- A failed call throws an Error you can catch with try/catch; an uncaught error ends the run \
and you see its message.
- `console.log(...)` notes are returned to you too; keep them short.
- Return only what you need: filter, join and summarise inside the script.
- There is no network, filesystem, `require` or `process`; limits: {timeout:g}s, \
{max_tool_calls} tool calls per run.
- Where a result type is `unknown`, inspect it first (e.g. return a sample) before relying \
on it.{learned_note}

The API available to the script:
```typescript
{declarations}
```"""

EXECUTE_CODE_DESCRIPTION = """\
Run a JavaScript/TypeScript script that calls tools through the typed `tools` API below and \
returns one JSON result. The code is an async function body: use `await tools.<name>({{...}})`, \
`Promise.all` for independent calls, try/catch for failed calls, and `return` the final answer \
(filtered to what you need). `console.log` output is returned as notes.

```typescript
{declarations}
```"""

EXECUTE_CODE = "execute_code"

LEARNED_TYPES_PROMPT = """
- A result type "learned from N results" was inferred from earlier results and may be \
incomplete: a field or a kind of value not seen yet may still come."""
"""Added to the prompt while some declaration shows a learned result type."""


@dataclass
class ScriptHooks:
    """What a host (``CodeModeNode``, the middleware) adds to one execution."""

    call_tool: ToolCaller | None = None
    on_event: EventSink | None = None
    journal: Journal | None = None
    """Records each call durably and answers replays from the record (see ``durable``)."""
    workspace: Mapping[str, Any] | None = None
    """The thread's workspace as the script starts (when the toolkit has ``workspace=True``)."""
    on_commands: Callable[[list[Any]], None] | None = None
    """Receives the graph updates (``Command``s) of a journaled call, live or replayed."""


HooksProvider = Callable[[RunnableConfig], ScriptHooks]

WORKSPACE_DECLARATION = """\
/** Values kept between runs in this conversation thread (JSON data only). Save what a later
 * run will need here instead of returning it; set(key, null) deletes a key. */
declare const workspace: {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): boolean;
  keys(): string[];
};"""

EXECUTE_CODE_SHORT_DESCRIPTION = """\
Run a JavaScript/TypeScript script against the `tools` API described in the system prompt and \
return one JSON result. The code is an async function body: `await tools.<name>({...})`, \
`Promise.all` for independent calls, and `return` the final answer."""

_IDENTIFIER_CHAR = re.compile(r"[^A-Za-z0-9_$]")


def js_identifiers(names: Sequence[str]) -> list[str]:
    """The contract's rule: non ``[A-Za-z0-9_$]`` → ``_``, leading digit → ``_`` prefix,
    collisions → ``_2``, ``_3``… in tool order."""
    taken: set[str] = set()
    result: list[str] = []
    for name in names:
        base = _IDENTIFIER_CHAR.sub("_", name) or "_"
        if base[0].isdigit():
            base = "_" + base
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        result.append(candidate)
    return result


def _namespaces_per_tool(
    tools: Sequence[BaseTool], namespaces: Mapping[str, str]
) -> list[str | None]:
    """Each tool's namespace as a JS identifier: from ``namespaces`` (by tool name) or from
    the tool's metadata (set by :meth:`CodeModeToolkit.from_mcp`)."""
    unknown = set(namespaces) - {t.name for t in tools}
    if unknown:
        raise ConfigurationError(
            f"namespaces names tools that are not in the toolkit: {sorted(unknown)}"
        )
    raw: list[str | None] = []
    for item in tools:
        space = namespaces.get(item.name) or (item.metadata or {}).get(NAMESPACE_KEY)
        raw.append(str(space) if space else None)
    distinct = sorted({space for space in raw if space is not None})
    safe = dict(zip(distinct, js_identifiers(distinct), strict=True))
    return [safe[space] if space is not None else None for space in raw]


def _full_identifiers(tools: Sequence[BaseTool], spaces: Sequence[str | None]) -> list[str]:
    """``identifier`` or ``namespace.identifier`` per tool, unique within each namespace."""
    groups: dict[str | None, list[int]] = {}
    for index, space in enumerate(spaces):
        groups.setdefault(space, []).append(index)
    result = [""] * len(tools)
    for space, indexes in groups.items():
        members = js_identifiers([tools[i].name for i in indexes])
        for index, member in zip(indexes, members, strict=True):
            result[index] = member if space is None else f"{space}.{member}"
    top_level = {result[i] for i in groups.get(None, [])}
    clash = top_level & {space for space in groups if space is not None}
    if clash:
        raise ConfigurationError(
            f"{sorted(clash)} is both a tool and a namespace; rename one of them."
        )
    return result


def approval_names(approve: Sequence[str], tools: Sequence[BaseTool]) -> frozenset[str]:
    """Validate an ``approve=[...]`` option: names of tools a script can call."""
    if isinstance(approve, str) or not isinstance(approve, (Sequence, set, frozenset)):
        raise ConfigurationError('approve takes a list of tool names, e.g. approve=["charge"].')
    known = {item.name for item in tools}
    unknown = sorted(set(approve) - known)
    if unknown:
        raise ConfigurationError(
            f"approve names {', '.join(map(repr, unknown))}, which the script cannot call; "
            f"choose among {', '.join(map(repr, sorted(known)))}."
        )
    return frozenset(approve)


def _coerce_tool(item: Any) -> BaseTool:
    if isinstance(item, BaseTool):
        return item
    if callable(item):
        try:
            converted: BaseTool = as_langchain_tool(item)
        except Exception as exc:
            raise ConfigurationError(
                f"Cannot turn {item!r} into a LangChain tool ({exc}). Give it a docstring and "
                "type-annotated parameters, or wrap it with @langchain_core.tools.tool."
            ) from exc
        return converted
    raise ConfigurationError(
        f"Expected a LangChain BaseTool or a callable, got {type(item).__name__}: {item!r}."
    )


_TEXT_OR_PARSED_JSON = {
    "description": "The text; text that is a JSON object or array arrives parsed.",
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {}},
    ],
}


def _script_facing_output(schema: dict[str, Any] | None) -> dict[str, Any] | None:
    """A tool annotated ``-> str`` may return JSON text, which the script receives parsed."""
    if schema is not None and schema.get("type") == "string" and len(schema) == 1:
        return _TEXT_OR_PARSED_JSON
    return schema


_TOOLS_OPENING = "declare const tools: {\n"
_DISCOVERY_METHODS = f"""\
  {SEARCH}(query: string, limit?: number): Promise<{{ name: string; summary: string }}[]>;
  {DESCRIBE}(name: string): Promise<string>;
"""


def _accepts_extra_arguments(tool: BaseTool) -> bool:
    model = tool.args_schema
    return (
        isinstance(model, type)
        and issubclass(model, BaseModel)
        and model.model_config.get("extra") == "allow"
    )


def _typecheck_option(value: Any) -> bool:
    """``"auto"``: check when the checker is installed; ``True`` insists on it."""
    if value == "auto" and isinstance(value, str):
        return checker_available()
    if value is True:
        if not checker_available():
            raise ConfigurationError(
                "typecheck=True needs the TypeScript checker, which is not installed: "
                f"{CHECKER_EXTRA} (Python 3.11 or later), or pass typecheck='auto'."
            )
        return True
    if value is False:
        return False
    raise ConfigurationError(f"typecheck must be 'auto', True or False, got {value!r}.")


def _output_types(
    tools: Mapping[str, BaseTool], *, learn: bool, store: BaseStore | None
) -> OutputTypes:
    """Which tools learn their result types: those whose declared one says nothing."""
    if store is not None and not _is_store(store):
        raise ConfigurationError(
            "output_types_store takes a LangGraph store (langgraph.store.base.BaseStore), "
            f"e.g. InMemoryStore() or PostgresStore; got {type(store).__name__}."
        )
    keys = {
        identifier: tool_key(
            (item.metadata or {}).get("mcp_server"), item.name, input_schema(item)
        )
        for identifier, item in tools.items()
        if not is_informative(_script_facing_output(output_schema_for_tool(item)))
    }
    return OutputTypes(keys, learn=bool(learn), store=store)


def _is_store(value: Any) -> bool:
    from langgraph.store.base import BaseStore

    return isinstance(value, BaseStore)


def _positive(name: str, value: Any, *, integer: bool) -> None:
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
        raise ConfigurationError(
            f"{name} must be a positive {'integer' if integer else 'number'}, got {value!r}."
        )


class CodeModeToolkit:
    """Expose LangChain tools to a model as one typed TypeScript API and run its scripts.

    Model-facing failures (syntax, runtime errors, limits, failing tools) never raise: they
    come back as an :class:`ExecutionResult` with ``ok=False``. Developer mistakes (bad
    options, objects that are not tools, duplicate names) raise :class:`ConfigurationError`
    here, at construction.
    """

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        timeout: float = 30.0,
        memory_limit: int = 128 * 2**20,
        max_tool_calls: int = 1000,
        max_value_bytes: int = 2**20,
        max_log_bytes: int = 2**20,
        namespaces: Mapping[str, str] | None = None,
        declaration_budget: int = DEFAULT_DECLARATION_BUDGET,
        workspace: bool = False,
        typecheck: bool | Literal["auto"] = "auto",
        learn_output_types: bool = True,
        output_types_store: BaseStore | None = None,
    ) -> None:
        if isinstance(tools, (BaseTool, str, bytes)) or not isinstance(tools, Sequence):
            raise ConfigurationError(
                "CodeModeToolkit takes a list of tools, e.g. CodeModeToolkit([search, lookup])."
            )
        _positive("timeout", timeout, integer=False)
        _positive("memory_limit", memory_limit, integer=True)
        _positive("max_tool_calls", max_tool_calls, integer=True)
        _positive("max_value_bytes", max_value_bytes, integer=True)
        _positive("max_log_bytes", max_log_bytes, integer=True)
        _positive("declaration_budget", declaration_budget, integer=True)
        self.declaration_budget = declaration_budget
        self.workspace = bool(workspace)
        self.typecheck = _typecheck_option(typecheck)
        if memory_limit < 16 * 2**20:
            raise ConfigurationError(
                f"memory_limit must be at least 16 MiB (16 * 2**20); got {memory_limit}."
            )
        self.tools: list[BaseTool] = [_coerce_tool(t) for t in tools]
        spaces = _namespaces_per_tool(self.tools, namespaces or {})
        seen: set[tuple[str | None, str]] = set()
        for item, space in zip(self.tools, spaces, strict=True):
            if (space, item.name) in seen:
                raise ConfigurationError(
                    f"Two tools are named {item.name!r}"
                    + (f" in namespace {space!r}" if space else "")
                    + "; give each tool a unique name (tools from several MCP servers can be "
                    "kept apart with from_mcp(..., namespaces=True))."
                )
            seen.add((space, item.name))
        self.limits = Limits(
            timeout=float(timeout),
            memory_limit=memory_limit,
            max_tool_calls=max_tool_calls,
            max_value_bytes=max_value_bytes,
            max_log_bytes=max_log_bytes,
        )
        self.identifiers = _full_identifiers(self.tools, spaces)
        self._scopes: list[Callable[[], contextlib.AbstractAsyncContextManager[None]]] = []
        if any(isinstance(t, McpTool) for t in self.tools):
            self._scopes.append(session_scope)
        self._by_identifier = dict(zip(self.identifiers, self.tools, strict=True))
        self._tool_names = {ident: t.name for ident, t in self._by_identifier.items()}
        self._names = dict(self._tool_names)
        self._calls = ToolCalls(self._by_identifier)
        self._discovery: Discovery | None = None
        self._output_types = _output_types(
            self._by_identifier, learn=learn_output_types, store=output_types_store
        )
        self._rendered: tuple[int, Api] | None = None

    @classmethod
    async def from_mcp(
        cls, source: Any, *, namespaces: bool = False, **options: Any
    ) -> CodeModeToolkit:
        """A toolkit over every tool of the MCP servers of ``source``.

        ``source`` is a ``langchain_mcp_adapters`` ``MultiServerMCPClient`` or its connections
        mapping. With ``namespaces=True`` each server's tools are ``tools.<server>.<tool>``.
        Output schemas become declared return types; one session per server is shared by the
        calls of one execution and closed when it ends. ``options`` are the constructor's.
        """
        return cls(await load_mcp_tools(source, namespaces=namespaces), **options)

    # -- what the model sees --------------------------------------------------------------------
    @property
    def declarations(self) -> str:
        """TypeScript declarations of the whole API the script sees.

        When the full declarations would exceed ``declaration_budget`` (estimated tokens), a
        smaller layout is used (see :attr:`layout`): one line per tool with its arguments and
        result, or, when even that is too large, each tool's name and summary; both add
        ``tools.$search``/``tools.$describe`` for the script to look tools up at run time.
        Result types learned from results (``learn_output_types``) are included; the text
        changes only when one of them does.
        """
        # Outside a graph the given store is read once; inside one (a model node asking for
        # the prompt) the graph's store is read each time, as other servers may have learned.
        in_graph = graph_store(None) if self._output_types.store is None else None
        self._output_types.load(in_graph, once=in_graph is None)
        extra = f"\n\n{WORKSPACE_DECLARATION}" if self.workspace else ""
        return self._api.declarations + extra

    @property
    def _api(self) -> Api:
        """The layout with what is learned so far, chosen again only when that changed."""
        version = self._output_types.version
        if self._rendered is None or self._rendered[0] != version:
            self._rendered = (version, self._choose_api())
        return self._rendered[1]

    def _choose_api(self) -> Api:
        signatures = self._signatures()
        api = choose_api(signatures, self.declaration_budget)
        if api.layout != "full" and any(sig.learned_from is not None for sig in signatures):
            # Learned types must not cost the model every argument name: drop them first.
            plain = choose_api(self._signatures(with_learned=False), self.declaration_budget)
            if plain.layout == "full":
                api = plain
        self._discovery = api.discovery
        self._names = dict(self._tool_names)
        if api.discovery is not None:
            self._names.update({SEARCH: SEARCH, DESCRIBE: DESCRIBE})
        return api

    @property
    def layout(self) -> str:
        """``"full"``, ``"signatures"`` (no docs) or ``"names"``: how much the model reads."""
        return self._api.layout

    @functools.cached_property
    def _checker(self) -> TypeChecker:
        """Checks scripts against the full declarations, whatever layout the model sees.

        Results the toolkit cannot vouch for (unknown, JSON-or-text, learned) are open to any
        use, so what is learned later never changes what the checker accepts.
        """
        full = render_declarations(self._signatures(open_outputs=True))
        if self.uses_discovery:
            full = full.replace(_TOOLS_OPENING, _TOOLS_OPENING + _DISCOVERY_METHODS, 1)
        if self.workspace:
            full += f"\n{WORKSPACE_DECLARATION}\n"
        return TypeChecker(full)

    @property
    def uses_discovery(self) -> bool:
        """Whether the toolset is too large to declare in full (see :attr:`declarations`)."""
        return self._api.discovery is not None

    def _declarations_for_model(self) -> str:
        if self._api.intro:
            return f"{self._api.intro}\n\n{self.declarations}"
        return self.declarations

    def _signatures(
        self, *, open_outputs: bool = False, with_learned: bool = True
    ) -> list[ToolSignature]:
        signatures = []
        for identifier, item in self._by_identifier.items():
            namespace, _, member = identifier.rpartition(".")
            output = _script_facing_output(output_schema_for_tool(item))
            use_learned = with_learned and not open_outputs  # the checker reads them as open
            learned = self._output_types.learned(identifier) if use_learned else None
            if open_outputs and (
                output is _TEXT_OR_PARSED_JSON or (output or {}).get(OPEN_RESULT_KEY) is True
            ):
                output = None  # text or any JSON: open to any use
            arguments = input_schema(item)
            if open_outputs and _accepts_extra_arguments(item):
                # tool_call_schema drops pydantic's extra="allow"; the checker must not.
                arguments = {**arguments, "additionalProperties": True}
            signatures.append(
                ToolSignature(
                    identifier=member,
                    name=item.name,
                    description=item.description or "",
                    input_schema=arguments,
                    output_schema=learned[0] if learned else output,
                    namespace=namespace or None,
                    learned_from=learned[1] if learned else None,
                )
            )
        return signatures

    @property
    def learned_output_types(self) -> dict[str, int]:
        """Tools (by script identifier) whose declared result type was learned from results,
        with the number of results it was learned from. Such types may be incomplete: a
        checker must treat them as open, never reject a script for them."""
        return self._output_types.counts()

    @property
    def prompt(self) -> str:
        """Model-facing instructions: how to write a script, plus the declarations."""
        declarations = self._declarations_for_model()
        return PROMPT_TEMPLATE.format(
            timeout=self.limits.timeout,
            max_tool_calls=self.limits.max_tool_calls,
            declarations=declarations,
            learned_note=LEARNED_TYPES_PROMPT if self.learned_output_types else "",
        )

    def as_tool(self, *, include_declarations: bool = True) -> BaseTool:
        """The ``execute_code`` tool (one argument, ``code``) for binding to a chat model.

        By default its description teaches the script form and carries the declarations, so it
        works for models that read only tool descriptions. When :attr:`prompt` goes into the
        system message instead, pass ``include_declarations=False`` so the API is sent once.
        Its output is the script's result as JSON text (with any ``console`` notes); a failed
        script is an error ``ToolMessage`` carrying the model-facing error, and its run is
        traced as failed. Invoked with a ToolCall, the message's artifact is the full
        :class:`ExecutionResult` as a dict, for failed scripts too.
        """
        return self._execute_code_tool(hooks=None, include_declarations=include_declarations)

    def _execute_code_tool(
        self,
        *,
        hooks: HooksProvider | None,
        include_declarations: bool = True,
    ) -> BaseTool:
        """Build ``execute_code``; ``hooks()`` is asked at run time for a tool caller and an
        event sink (how :class:`~langchain_codemode.node.CodeModeNode` adds LangGraph's runtime).
        """
        toolkit = self

        async def execute_code(code: str, config: RunnableConfig) -> tuple[str, dict[str, Any]]:
            # LangChain hands the tool its caller's config; the child config whose callbacks
            # make nested tool runs children of this execute_code run is in the context.
            nested_config = var_child_runnable_config.get() or config
            script_hooks = hooks(nested_config) if hooks is not None else None
            result = await toolkit._execute(code, nested_config, hooks=script_hooks)
            if not result.ok:  # an error ToolMessage, the run record as its artifact
                raise script_failed(result, nested_config)
            return format_result(result), result.to_dict()

        def execute_code_sync(code: str, config: RunnableConfig) -> tuple[str, dict[str, Any]]:
            return run_sync(lambda: execute_code(code, config))

        return ScriptTool.from_function(
            func=execute_code_sync,
            coroutine=execute_code,
            name=EXECUTE_CODE,
            description=(
                EXECUTE_CODE_DESCRIPTION.format(declarations=self._declarations_for_model())
                if include_declarations
                else EXECUTE_CODE_SHORT_DESCRIPTION
            ),
            response_format="content_and_artifact",
            handle_tool_error=True,
        )

    # -- checking scripts ---------------------------------------------------------------------
    async def acheck(self, code: str) -> list[Diagnostic]:
        """The errors the type check finds in a script against this API, without running it.

        Empty when the script may run. Checks whatever the ``typecheck`` option says; raises
        :class:`ConfigurationError` when the checker is not installed.
        """
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {type(code).__name__}")
        if not checker_available():
            raise ConfigurationError(
                f"Checking scripts needs the TypeScript checker: {CHECKER_EXTRA}."
            )
        return await self._checker.acheck(code)

    def check(self, code: str) -> list[Diagnostic]:
        """Synchronous twin of :meth:`acheck`."""
        return run_sync(lambda: self.acheck(code))

    # -- running scripts ----------------------------------------------------------------------
    async def aexecute(self, code: str, config: RunnableConfig | None = None) -> ExecutionResult:
        """Run a script; cancelling the awaiting task stops it and its pending tool calls.

        Traced as one run (``execute_code``, or ``config["run_name"]``) with the nested tool
        calls as its children.
        """
        return await traced(code, config, lambda script_config: self._execute(code, script_config))

    def execute(self, code: str, config: RunnableConfig | None = None) -> ExecutionResult:
        """Synchronous twin of :meth:`aexecute`; safe with or without a running event loop."""
        return run_sync(lambda: self.aexecute(code, config))

    async def _execute(
        self,
        code: str,
        config: RunnableConfig | None,
        *,
        hooks: ScriptHooks | None = None,
    ) -> ExecutionResult:
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {type(code).__name__}")
        try:
            stripped = strip_types(code)
        except TypeScriptSyntaxError as exc:
            return syntax_failure(exc)
        hooks = hooks or ScriptHooks()
        caller = hooks.call_tool or call_tool
        journal = hooks.journal
        _ = self._api  # settles whether the discovery functions exist
        workspace = (dict(hooks.workspace or {})) if self.workspace else None
        session = (
            await journal.session(workspace) if journal is not None else Session.fresh(workspace)
        )

        async def invoke(identifier: str, args: dict[str, Any]) -> CallOutcome:
            outcome = await invoke_tool(identifier, args)
            if outcome.ok:
                self._output_types.observe(identifier, outcome.value)
            return outcome

        async def invoke_tool(identifier: str, args: dict[str, Any]) -> CallOutcome:
            if journal is None or identifier in (SEARCH, DESCRIBE):
                return await self._invoke(identifier, args, config, caller)

            index, when_idle = CALL_INDEX.get(), WHEN_IDLE.get()

            async def run(call_config: RunnableConfig) -> tuple[CallOutcome, list[Any]]:
                # Runs in the journal's task: carry this call's context over.
                CALL_INDEX.set(index)
                WHEN_IDLE.set(when_idle)
                captured: list[Any] = []
                token = CAPTURED_COMMANDS.set(captured)
                try:
                    outcome = await self._invoke(identifier, args, call_config, caller)
                finally:
                    CAPTURED_COMMANDS.reset(token)
                return outcome, captured

            outcome, commands = await journal.call(identifier, args, run)
            if commands and hooks.on_commands is not None:
                hooks.on_commands(commands)
            return outcome

        async with contextlib.AsyncExitStack() as resources:
            # Scripts of one graph step take turns and stop together (see durable).
            await resources.enter_async_context(one_script_at_a_time(config))
            # Checked in its turn, so checking never reorders the scripts of a step.
            if self.typecheck and (diagnostics := await self._checker.acheck(code)):
                return ExecutionResult(
                    ok=False, error=format_diagnostics(diagnostics), error_type="type"
                )
            for scope in self._scopes:  # e.g. one MCP session per server for this run
                await resources.enter_async_context(scope())
            await self._output_types.aload(config)
            resources.push_async_callback(self._output_types.asave, config)
            if journal is not None:
                # The records of the last calls are durable before the script's run ends,
                # however it ends (an interrupt raised in a tool included).
                resources.push_async_callback(journal.flush)
            return await run_script(
                stripped.js,
                is_async_arrow=stripped.is_async_arrow,
                names=self._names,
                invoker=invoke,
                limits=self.limits,
                on_event=hooks.on_event,
                session=session,
            )

    def _discover(self, identifier: str, args: dict[str, Any]) -> CallOutcome:
        discovery = self._discovery
        assert discovery is not None
        try:
            if identifier == SEARCH:
                return CallOutcome(
                    ok=True, value=discovery.search(args.get("query"), args.get("limit"))
                )
            return CallOutcome(ok=True, value=discovery.describe(args.get("name")))
        except LookupError as exc:
            return CallOutcome(ok=False, error=f"tools.{identifier}: {exc.args[0]}")

    async def _invoke(
        self,
        identifier: str,
        args: dict[str, Any],
        config: RunnableConfig | None,
        call_tool: ToolCaller,
    ) -> CallOutcome:
        if self._discovery is not None and identifier in (SEARCH, DESCRIBE):
            return self._discover(identifier, args)
        return await self._calls.invoke(identifier, args, config, call_tool)


def format_result(result: ExecutionResult) -> str:
    """The text a model reads after a run: the value as JSON, or the error, plus notes."""
    if result.ok:
        body = json.dumps(result.value, ensure_ascii=False)
    else:
        body = f"Error ({result.error_type}): {result.error}"
    if result.logs:
        body += "\n\nconsole output:\n" + "\n".join(result.logs)
    return body
