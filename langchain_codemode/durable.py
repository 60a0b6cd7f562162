"""Durable scripts: nested tool calls journaled through LangGraph, approvals, the workspace.

When a script runs inside a graph that has a checkpointer, LangGraph re-runs the whole node
after an interrupt, a failure or a restart. Without a record, every tool call the script made
before that point would run again. :class:`Journal` makes each nested call a LangGraph task
(the functional API's ``@task`` mechanism): the task's result is saved with the thread's
pending writes (before the next tool runs and before the script's run ends), and when the
node runs again the same task returns the saved result without calling the tool.

* Tasks are matched by position: the n-th call of a run is task n. The script sees the same
  clock and random numbers on every replay (the :class:`~langchain_codemode.sandbox.runner.
  Session` is journaled too), so an honest script issues the same calls in the same order. A
  record also keeps the tool and arguments it answered; a replay whose call differs ends the
  run with ``error_type="replay"`` rather than hand one call another's result.
* Each call task has its own scratchpad, so ``interrupt()`` inside a tool (or an approval)
  counts its resume values per call: a replayed call consumes none, and several interrupts in
  one script each get their own resume value, in order.
* A call is marked as started (durably) before its tool runs. If the process dies while it
  runs, the replay finds the mark without a result: the call is *in doubt*, because its side
  effect may have happened. By default (``in_doubt="fail"``) the replay does not run it again
  but rejects it with a message saying so, which the script can handle; ``in_doubt="rerun"``
  runs it again (at-least-once, for idempotent tools). Interrupts and cancellations release
  the mark, so calls stopped in good order simply run again.
* Journaling needs a checkpointer: without one nothing can resume, and tools run directly.

Approvals (:class:`Approvals`): a call to a tool named in ``approve=`` waits until the script
can make no other progress, so that every such call pending at that moment is asked about in
one pause: one call keeps the single-call :class:`ApprovalRequest`; several get LangChain's
human-in-the-loop shape (:class:`BatchApprovalRequest`, resumed with ``{"decisions": [...]}``).
The interrupt is raised in the call task of the batch's first call; the decisions are journaled
as soon as they arrive, so a call decided once is never asked about again, and an approved
call counts as started (in doubt after a crash) only once its decision is known.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast

from langchain_core.callbacks import AsyncCallbackManager
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool
from langgraph.errors import GraphBubbleUp
from langgraph.graph import MessagesState
from pydantic import (
    BaseModel,
    Discriminator,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
    model_validator,
)
from typing_extensions import TypedDict

from langchain_codemode.errors import ConfigurationError
from langchain_codemode.sandbox.runner import CALL_INDEX, WHEN_IDLE, CallOutcome, EndRun, Session

__all__ = [
    "WORKSPACE_KEY",
    "ApprovalRequest",
    "Approvals",
    "BatchApprovalRequest",
    "CodeModeState",
    "InDoubt",
    "Journal",
    "approval_decision",
    "merge_workspace",
]

WORKSPACE_KEY = "codemode_workspace"
"""The graph state key that holds a thread's workspace (see :func:`merge_workspace`)."""

# LangGraph's configurable keys for the running task's ``call`` implementation and checkpointer,
# the running task's id and the checkpoint it belongs to, and the channel of a task's result.
_CONFIG_KEY_CALL = "__pregel_call"
_CONFIG_KEY_CHECKPOINTER = "__pregel_checkpointer"
_CONFIG_KEY_TASK_ID = "__pregel_task_id"
_CONFIG_KEY_CHECKPOINT_MAP = "checkpoint_map"
_RETURN = "__return__"
_INTERRUPT = "__interrupt__"
_NS_SEP = "|"
# Marks kept beside the records (under ids of their own, which LangGraph ignores): a call has
# started; a started call was stopped in good order (an interrupt, a cancellation). Each run of
# a call (attempt) has its own pair: a checkpointer keeps the first write under an id, so an
# earlier attempt's release must not speak for a later attempt's start.
_STARTED = "codemode:started"
_RELEASED = "codemode:released"
# The decisions on a batch of approvals, saved under the batch's first call.
_DECIDED = "codemode:decided"
# A call's record, saved by the journal before anything can depend on it (see Journal._defer).
# LangGraph saves the same record as the call task's result, in the background; this copy
# shares writes with other marks and records, and answers the replay when a crash beat
# LangGraph's copy.
_RESULT = "codemode:result"

InDoubt = Literal["fail", "rerun"]
IN_DOUBT_MESSAGE = (
    "tools.{identifier} was still running when the process running this script stopped, so it "
    "may or may not have taken effect. Check before calling it again."
)

REPLAY_MESSAGE = (
    "The script was resumed after a pause and replayed, but its tool call #{index} is now "
    "{now} where the first run made {before}. Scripts must issue the same calls on every run "
    "(do not branch on anything but tool results); run it again as a new script."
)


def merge_workspace(
    current: Mapping[str, Any] | None, update: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The reducer for the workspace state key: ``update`` sets keys, ``None`` deletes them."""
    merged = dict(current or {})
    for key, value in (update or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


class ApprovalRequest(TypedDict):
    """The interrupt value when one call that needs approval is pending."""

    type: Literal["approval"]
    tool: str
    args: dict[str, Any]
    description: str
    tool_call_id: str
    """The nested call's id: ``<execute_code call id>:<n>``."""


class ActionRequest(TypedDict):
    """One call of a :class:`BatchApprovalRequest`: LangChain's ``ActionRequest``, plus the
    nested call's id."""

    name: str
    args: dict[str, Any]
    description: str
    tool_call_id: str


class ReviewConfig(TypedDict):
    """What a reviewer may decide for the action request at the same position."""

    action_name: str
    allowed_decisions: list[Literal["approve", "edit", "reject"]]


class BatchApprovalRequest(TypedDict):
    """The interrupt value when several calls that need approval are pending together: the
    ``HITLRequest`` of LangChain's ``HumanInTheLoopMiddleware``. Resume with
    ``{"decisions": [...]}``, one decision per action request, in order."""

    action_requests: list[ActionRequest]
    review_configs: list[ReviewConfig]


Decision = tuple[Literal["approve", "edit", "reject"], Any]
ALLOWED_DECISIONS: list[Literal["approve", "edit", "reject"]] = ["approve", "edit", "reject"]
REJECTED = "rejected by a human"

DECISION_HELP = (
    'resume with {"type": "approve"}, {"type": "edit", "args": {...}} or '
    '{"type": "reject", "message": "..."}'
)
BATCH_HELP = (
    "{count} calls are waiting for a decision: resume with "
    '{{"decisions": [...]}} holding {count} decisions, one per action request and in order, '
    'each {{"type": "approve"}}, {{"type": "edit", "edited_action": {{"name": ..., '
    '"args": {{...}}}}}} or {{"type": "reject", "message": "..."}}'
)
BATCH_REPLAY_MESSAGE = (
    "The script was resumed after a pause for approval, but the calls now waiting for approval "
    "({now}) are not the ones the pause asked about ({before}). Scripts must issue the same "
    "calls on every run; run it again as a new script."
)


def approval_decision(value: Any) -> Decision:
    """Read the resume value of a single-call approval: approve, edit (with the new arguments)
    or reject (with a message).

    Accepts ``{"type": "approve" | "edit" | "reject", ...}`` (the vocabulary of LangChain's
    human-in-the-loop middleware), ``True``/``"approve"``, ``False``/``"reject"``, and the
    batch form with one decision (``{"decisions": [decision]}``). Anything else is refused as
    a rejection that says what the resume value should be.
    """
    if value is True or value == "approve":
        return "approve", None
    if value is False or value == "reject":
        return "reject", REJECTED
    if isinstance(value, Mapping):
        kind = value.get("type")
        decisions = value.get("decisions")
        if kind is None and isinstance(decisions, list) and len(decisions) == 1:
            return approval_decision(decisions[0])
        if kind == "approve":
            return "approve", None
        if kind == "edit":
            args = value.get("args")
            if args is None and isinstance(value.get("edited_action"), Mapping):
                args = value["edited_action"].get("args")
            if isinstance(args, Mapping):
                return "edit", dict(args)
            return "reject", f"an edit decision needs new arguments; {DECISION_HELP}"
        if kind == "reject":
            message = value.get("message")
            return "reject", str(message) if message else REJECTED
    return "reject", f"unreadable approval response {value!r:.80}; {DECISION_HELP}"


def check_in_doubt(value: Any) -> InDoubt:
    """Validate an ``in_doubt=`` option."""
    if value not in ("fail", "rerun"):
        raise ConfigurationError(
            f'in_doubt must be "fail" or "rerun", got {value!r}: what a resumed script gets '
            "for a call that was running when its process died."
        )
    return cast(InDoubt, value)


def _as_sent(value: Any, check: ValidatorFunctionWrapHandler) -> Any:
    """Check edited arguments against the tool's schema, but pass them on as sent: the tool
    validates (and coerces) them itself when it runs."""
    check(value)
    return value


def _edit_args_type(tool: BaseTool) -> Any:
    schema = tool.tool_call_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return Annotated[schema, WrapValidator(_as_sent)]
    return dict[str, Any]


class _Approve(BaseModel):
    type: Literal["approve"]


class _Reject(BaseModel):
    type: Literal["reject"]
    message: str | None = None


def _batch_response_schema(tools: list[BaseTool]) -> Any:
    """The type a batch's resume value must have: ``{"decisions": [...]}`` with one decision
    per call, in order; an edit keeps the call's tool and matches its argument schema.

    LangGraph validates the resume value against it before saving it, so a value that does
    not fit raises ``pydantic.ValidationError`` from the graph run and the same pause can be
    answered again; nothing runs meanwhile.
    """
    count = len(tools)
    decisions: list[Any] = []
    for tool in tools:
        action = create_model(
            "EditedAction",
            name=(Literal[tool.name], tool.name),
            args=(_edit_args_type(tool), ...),
        )
        edit = create_model("Edit", type=(Literal["edit"], ...), edited_action=(action, ...))
        decisions.append(Annotated[_Approve | edit | _Reject, Discriminator("type")])

    def shape(value: Any) -> Any:
        items = value.get("decisions") if isinstance(value, Mapping) else None
        if not isinstance(items, list) or len(items) != count:
            got = f"{len(items)} decisions" if isinstance(items, list) else f"{value!r:.80}"
            raise ValueError(f"{BATCH_HELP.format(count=count)}; got {got}")
        # The single-call shorthand for an edit ({"type": "edit", "args": ...}) is fine here too.
        return {
            "decisions": [
                {"type": "edit", "edited_action": {"args": item["args"]}}
                if isinstance(item, Mapping)
                and item.get("type") == "edit"
                and "edited_action" not in item
                and "args" in item
                else item
                for item in items
            ]
        }

    return create_model(
        "ApprovalDecisions",
        decisions=(tuple[tuple(decisions)], ...),  # type: ignore[misc]
        __validators__={"shape": model_validator(mode="before")(shape)},  # type: ignore[dict-item]
    )


def _read_batch(answer: Any) -> list[Decision]:
    """The validated resume value of a batch, as one decision per call."""
    decisions: list[Decision] = []
    for item in answer.decisions:
        if item.type == "approve":
            decisions.append(("approve", None))
        elif item.type == "edit":
            decisions.append(("edit", dict(item.edited_action.args)))
        else:
            decisions.append(("reject", item.message or REJECTED))
    return decisions


def _interrupt_as(config: RunnableConfig | None, value: Any, response_schema: Any = None) -> Any:
    """``interrupt(value)`` in the task that ``config`` belongs to (its own resume values)."""
    from langgraph.types import interrupt

    token = var_child_runnable_config.set(config) if config is not None else None
    try:
        return interrupt(value, response_schema=response_schema)
    finally:
        if token is not None:
            var_child_runnable_config.reset(token)


def _task_id(config: RunnableConfig | None) -> str | None:
    task_id = ((config or {}).get("configurable") or {}).get(_CONFIG_KEY_TASK_ID)
    return str(task_id) if task_id else None


@dataclass(eq=False)
class _Waiting:
    """A call waiting for a decision."""

    index: int
    tool: BaseTool
    args: dict[str, Any]
    call_id: str
    config: RunnableConfig | None
    idle: asyncio.Future[None] | None
    decision: asyncio.Future[Decision]
    batch: list[_Waiting] | None = None

    @property
    def task_id(self) -> str | None:
        return _task_id(self.config)


class Approvals:
    """The approvals of one execution's calls (see the module docstring).

    :meth:`decide` is called for each call to a tool that needs approval, in the call's own
    task, and returns the decision on it. Decisions journaled by an earlier run are returned
    at once. Otherwise the call waits until the script is idle (every pending call waits for
    something only a person can give); the calls released together form a batch, and the
    batch's first call asks about all of them in one interrupt.
    """

    def __init__(self, journal: Journal | None = None) -> None:
        self._journal = journal
        self._waiting: list[_Waiting] = []

    async def decide(
        self,
        tool: BaseTool,
        args: dict[str, Any],
        call_id: str,
        config: RunnableConfig | None,
    ) -> Decision:
        journal = self._journal
        task_id = _task_id(config)
        recorded = journal.decision(task_id) if journal is not None else None
        if recorded is None:
            recorded = await self._wait_for_decision(tool, args, call_id, config)
        if journal is not None and recorded[0] != "reject":
            await journal.mark_started(task_id)
        return recorded

    async def _wait_for_decision(
        self,
        tool: BaseTool,
        args: dict[str, Any],
        call_id: str,
        config: RunnableConfig | None,
    ) -> Decision:
        when_idle = WHEN_IDLE.get()
        loop = asyncio.get_running_loop()
        waiting = _Waiting(
            index=CALL_INDEX.get(),
            tool=tool,
            args=args,
            call_id=call_id,
            config=config,
            idle=when_idle() if when_idle is not None else None,
            decision=loop.create_future(),
        )
        self._waiting.append(waiting)
        try:
            if waiting.idle is not None:
                await waiting.idle
            if waiting.batch is None:
                # The first call of those released together to wake up groups them, in the
                # order the script issued them (not the order they began to wait).
                batch = sorted(
                    (w for w in self._waiting if w.idle is None or w.idle.done()),
                    key=lambda w: w.index,
                )
                for member in batch:
                    member.batch = batch
                    self._waiting.remove(member)
            assert waiting.batch is not None
            if waiting.batch[0] is waiting:
                await self._ask(waiting.batch)
            return await waiting.decision
        finally:
            if waiting in self._waiting:
                self._waiting.remove(waiting)

    async def _ask(self, batch: list[_Waiting]) -> None:
        """Pause for the batch (or read its answer on resume) and hand out the decisions."""
        first = batch[0]
        journal = self._journal
        if journal is not None:
            asked = journal.asked(first.task_id)
            now = [member.call_id for member in batch]
            if asked is not None and asked != now:
                raise EndRun(
                    BATCH_REPLAY_MESSAGE.format(now=", ".join(now), before=", ".join(asked)),
                    "replay",
                )
        if len(batch) == 1:
            request = ApprovalRequest(
                type="approval",
                tool=first.tool.name,
                args=first.args,
                description=_describe_tool(first.tool),
                tool_call_id=first.call_id,
            )
            decisions = [approval_decision(_interrupt_as(first.config, request))]
        else:
            batch_request = BatchApprovalRequest(
                action_requests=[
                    ActionRequest(
                        name=member.tool.name,
                        args=member.args,
                        description=_describe_tool(member.tool),
                        tool_call_id=member.call_id,
                    )
                    for member in batch
                ],
                review_configs=[
                    ReviewConfig(action_name=member.tool.name, allowed_decisions=ALLOWED_DECISIONS)
                    for member in batch
                ],
            )
            schema = _batch_response_schema([member.tool for member in batch])
            decisions = _read_batch(_interrupt_as(first.config, batch_request, schema))
        decided = list(zip(batch, decisions, strict=True))
        if journal is not None:
            await journal.record_decisions(
                first.task_id, [(member.task_id, decision) for member, decision in decided]
            )
        for member, decision in decided:
            if not member.decision.done():
                member.decision.set_result(decision)


def _describe_tool(tool: BaseTool) -> str:
    return (tool.description or "")[:300]


def _asked_call_ids(value: Any) -> list[str] | None:
    """The nested call ids an approval interrupt asked about, if ``value`` is one."""
    if not isinstance(value, Mapping):
        return None
    if value.get("type") == "approval" and isinstance(value.get("tool_call_id"), str):
        return [value["tool_call_id"]]
    requests = value.get("action_requests")
    if isinstance(requests, list) and all(
        isinstance(item, Mapping) and isinstance(item.get("tool_call_id"), str) for item in requests
    ):
        return [item["tool_call_id"] for item in requests]
    return None


def workspace_of(state: Any) -> dict[str, Any]:
    """The workspace held by a graph state (a dict or an object), or an empty one."""
    if isinstance(state, Mapping):
        value = state.get(WORKSPACE_KEY)
    else:
        value = getattr(state, WORKSPACE_KEY, None)
    return dict(value) if isinstance(value, Mapping) else {}


class _StepScripts:
    """The scripts answering calls of one graph task (one ``ToolNode`` step), in one loop."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.tasks: set[asyncio.Task[Any]] = set()


_STEP_SCRIPTS: dict[tuple[str, int], _StepScripts] = {}


@contextlib.asynccontextmanager
async def one_script_at_a_time(config: RunnableConfig | None) -> AsyncIterator[None]:
    """Scripts answering calls of the same graph task run one after another, and stop
    together when one is interrupted.

    Journal records are matched by position among the task's calls, so two scripts whose
    calls interleave differently on a replay would trade records. Under a checkpointer the
    scripts of one step therefore take turns, in the order the step started them.

    ``ToolNode`` gathers a step's calls, which leaves the others running when one raises. A
    script left running after its graph run paused would go on calling tools outside any
    run (and, in the same process, run again after the resume). So when a script raises
    LangGraph's control flow (an interrupt), the step's other scripts are cancelled.
    """
    node_task = ((config or {}).get("configurable") or {}).get(_CONFIG_KEY_TASK_ID)
    current = asyncio.current_task()
    if not node_task or current is None:
        yield
        return
    key = (str(node_task), id(current.get_loop()))
    step = _STEP_SCRIPTS.setdefault(key, _StepScripts())
    step.tasks.add(current)
    try:
        if journaling_available(config):
            async with step.lock:
                yield
        else:
            yield
    except GraphBubbleUp:
        for other in step.tasks - {current}:
            other.cancel()
        raise
    finally:
        step.tasks.discard(current)
        if not step.tasks:
            _STEP_SCRIPTS.pop(key, None)


def journaling_available(config: RunnableConfig | None) -> bool:
    """Whether tool calls can be journaled: inside a graph task that has a checkpointer."""
    configurable = (config or {}).get("configurable") or {}
    return (
        configurable.get(_CONFIG_KEY_CALL) is not None
        and configurable.get(_CONFIG_KEY_CHECKPOINTER) is not None
    )


Job = Callable[[RunnableConfig], Coroutine[Any, Any, Any]]


def _task_functions(name: str) -> tuple[Any, Any]:
    """An async task (for async graphs) and a sync twin (sync graphs refuse async tasks)."""
    from langgraph.config import get_config
    from langgraph.func import task

    async def run_job(job: Job) -> Any:
        return await job(get_config())

    def run_job_sync(job: Callable[[RunnableConfig], Any]) -> Any:
        return job(get_config())

    return task(name=name)(run_job), task(name=name)(run_job_sync)  # type: ignore[arg-type]


_SESSION_TASKS = _task_functions("codemode_session")
_CALL_TASKS = _task_functions("codemode_tool_call")
_SYNC_ONLY = "In an sync context async tasks cannot be called"


class Journal:
    """The journal of one execution's nested calls (see the module docstring).

    ``config`` is the config the script runs under (inside the graph task answering the
    ``execute_code`` call); ``script_id`` is that call's id, kept in every record.
    ``gated`` names the identifiers of tools whose calls wait for approval: they are marked
    as started by :meth:`mark_started` once approved, not when they begin to wait.
    """

    def __init__(
        self,
        config: RunnableConfig,
        script_id: str,
        in_doubt: InDoubt = "fail",
        gated: frozenset[str] = frozenset(),
    ) -> None:
        self._config = config
        self._script_id = script_id
        self._in_doubt_policy = in_doubt
        self._gated = gated
        self._loop = asyncio.get_running_loop()
        self._index = 0
        self._sync = False
        self._in_doubt: set[str] = set()
        self._attempts: dict[str, int] = {}
        self._decided: dict[str, Decision] = {}
        self._asked: dict[str, list[str]] = {}
        self._started_now: set[str] = set()
        self._recorded: dict[str, dict[str, Any]] = {}
        self._queued: list[tuple[str, str, Any, asyncio.Future[None]]] = []
        self._deferred: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None

    @classmethod
    def open(
        cls,
        config: RunnableConfig | None,
        script_id: str,
        in_doubt: InDoubt = "fail",
        gated: frozenset[str] = frozenset(),
    ) -> Journal | None:
        if config is None or not journaling_available(config):
            return None
        return cls(config, script_id, in_doubt, gated)

    async def session(self, workspace: Mapping[str, Any] | None) -> Session:
        """The execution's clock and seed: fresh the first time, the recorded ones on replay."""

        async def fresh(_config: RunnableConfig) -> dict[str, Any]:
            session = Session.fresh()
            return {"clock_ms": session.clock_ms, "seed": session.seed}

        record = await self._run(_SESSION_TASKS, fresh)
        await self._read_marks()
        return Session(clock_ms=record["clock_ms"], seed=record["seed"], workspace=workspace)

    async def call(
        self,
        identifier: str,
        args: dict[str, Any],
        run: Callable[[RunnableConfig], Awaitable[tuple[CallOutcome, list[Any]]]],
    ) -> tuple[CallOutcome, list[Any]]:
        """The outcome (and graph updates) of call n: the recorded ones, or ``run``'s."""
        index = self._index
        self._index += 1
        ran: list[bool] = []

        async def live(task_config: RunnableConfig) -> dict[str, Any]:
            task_id = (task_config.get("configurable") or {}).get(_CONFIG_KEY_TASK_ID)
            if task_id in self._recorded:  # saved by us; LangGraph's own copy was lost
                return self._recorded[task_id]
            ran.append(True)
            if task_id in self._in_doubt and self._in_doubt_policy == "fail":
                outcome = CallOutcome(
                    ok=False, error=IN_DOUBT_MESSAGE.format(identifier=identifier)
                )
                commands: list[Any] = []
            else:
                if identifier not in self._gated:  # gated calls are marked once approved
                    await self.mark_started(task_id)
                # The records of earlier calls are durable before this tool runs (a start mark
                # carries them; without one, they are written now).
                await self.flush()
                try:
                    outcome, commands = await run(self._tool_config(task_config))
                except BaseException:
                    # Stopped in good order (an interrupt, a cancellation): not in doubt.
                    if task_id in self._started_now:
                        await asyncio.shield(self._mark(task_id, _RELEASED))
                    raise
            record = {
                "script": self._script_id,
                "tool": identifier,
                "args": args,
                "ok": outcome.ok,
                "value": outcome.value,
                "error": outcome.error,
                "commands": commands,
            }
            if task_id:
                self._defer(f"{task_id}|{_RESULT}", _RESULT, {"task": task_id, "record": record})
            return record

        record = await self._run(_CALL_TASKS, live)
        if (
            record.get("script") != self._script_id
            or record.get("tool") != identifier
            or record.get("args") != args
        ):
            raise EndRun(
                REPLAY_MESSAGE.format(
                    index=index + 1,
                    now=_describe_call(identifier, args),
                    before=_describe_call(record.get("tool"), record.get("args")),
                ),
                "replay",
            )
        outcome = CallOutcome(
            ok=record["ok"], value=record["value"], error=record["error"], replayed=not ran
        )
        return outcome, list(record.get("commands") or [])

    def _tool_config(self, task_config: RunnableConfig) -> RunnableConfig:
        """The script's config, with LangGraph's per-task keys of the call's own task.

        Callbacks stay the script's, so the tool is traced as a child of ``execute_code``;
        the scratchpad, send and checkpoint namespace are the task's, so ``interrupt()`` and
        state writes inside the tool belong to this call.
        """
        configurable = {
            **(self._config.get("configurable") or {}),
            **(task_config.get("configurable") or {}),
        }
        return {**self._config, "configurable": configurable}

    def _target(self) -> tuple[Any, RunnableConfig] | None:
        """The checkpointer, and the config addressing the checkpoint this step belongs to.

        The script runs in a node task whose namespace is ``<graph namespace>|<node>:<id>``;
        the graph's pending writes live under the graph's namespace and current checkpoint.
        """
        configurable = self._config.get("configurable") or {}
        saver = configurable.get(_CONFIG_KEY_CHECKPOINTER)
        checkpoints = configurable.get(_CONFIG_KEY_CHECKPOINT_MAP) or {}
        thread_id = configurable.get("thread_id")
        namespace = str(configurable.get("checkpoint_ns") or "").rpartition(_NS_SEP)[0]
        checkpoint_id = checkpoints.get(namespace)
        if saver is None or checkpoint_id is None or thread_id is None:
            return None
        target: RunnableConfig = {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": namespace,
                "checkpoint_id": checkpoint_id,
            }
        }
        return saver, target

    async def _save(self, owner: str, channel: str, value: Any) -> None:
        """Save a mark durably before going on, with the writes queued meanwhile.

        A call's start mark must be saved before its tool runs. Calls issued or settled
        together (``Promise.all``) have theirs written together: one checkpointer write per
        batch, under the first one's id (marks and records go under ids of their own, which
        LangGraph ignores; they are read back by their channel).
        """
        waiter = self._enqueue(owner, channel, value)
        self._start_flusher()
        await waiter

    def _defer(self, owner: str, channel: str, value: Any) -> None:
        """Queue a call's record, to be saved with the next write or by :meth:`flush`.

        LangGraph saves the record too, as the call task's result, but in the background: a
        crash before that write would lose a completed call. This copy is durable before
        anything can depend on the script having seen it: before the next tool runs (the
        next call's start mark carries it, so a sequential call costs one write, not two),
        before an approval's decisions are saved, and before the script's run ends. A crash
        in between, while only the script's own JavaScript runs, leaves the call in doubt,
        as a crash during the call would.
        """
        self._deferred.append(self._enqueue(owner, channel, value))

    async def flush(self) -> None:
        """Save every queued record before going on; raises what the write raised."""
        deferred, self._deferred = self._deferred, []
        pending = [waiter for waiter in deferred if not waiter.done()]
        if pending:
            self._start_flusher()
        for waiter in deferred:
            await waiter

    def _enqueue(self, owner: str, channel: str, value: Any) -> asyncio.Future[None]:
        waiter: asyncio.Future[None] = self._loop.create_future()
        self._queued.append((owner, channel, value, waiter))
        return waiter

    def _start_flusher(self) -> None:
        if self._flusher is None:
            # An empty context: the writer belongs to no call's trace.
            self._flusher = contextvars.Context().run(self._loop.create_task, self._flush())

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # calls issued together join the first write
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await self._write(batch[0][0], [(c, v) for _, c, v, _ in batch])
                except BaseException as exc:
                    for *_, waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(exc)
                            waiter.exception()  # its caller may be gone
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                else:
                    for *_, waiter in batch:
                        if not waiter.done():
                            waiter.set_result(None)
        finally:
            self._flusher = None
            for *_, waiter in self._queued:  # stopped with writes still queued
                if not waiter.done():
                    waiter.set_exception(RuntimeError("the journal stopped before saving"))
                    waiter.exception()
            self._queued = []

    async def _write(self, owner: str | None, writes: list[tuple[str, Any]]) -> None:
        """Save ``writes`` durably under ``owner`` before going on."""
        target = self._target()
        if target is None or not owner:
            return
        saver, config = target
        if self._sync:
            await asyncio.to_thread(saver.put_writes, config, writes, owner)
        else:
            await saver.aput_writes(config, writes, owner)

    # -- marks and decisions ---------------------------------------------------------------------
    def decision(self, task_id: str | None) -> Decision | None:
        """The decision an earlier run received for this call, if any."""
        return self._decided.get(task_id) if task_id else None

    def asked(self, task_id: str | None) -> list[str] | None:
        """The call ids an approval pause raised in this call's task asked about, if any."""
        return self._asked.get(task_id) if task_id else None

    async def record_decisions(
        self, task_id: str | None, decisions: list[tuple[str | None, Decision]]
    ) -> None:
        """Save the decisions on a batch (under its first call) before any of them is acted on."""
        entries = [[member, kind, detail] for member, (kind, detail) in decisions if member]
        for member, kind, detail in entries:
            self._decided[member] = (kind, detail)
        if task_id and entries:
            # With the records still queued: the decisions never outlive the calls before them.
            await self._save(f"{task_id}|{_DECIDED}", _DECIDED, {"decisions": entries})

    async def mark_started(self, task_id: str | None) -> None:
        """Mark (durably) that this call's tool is about to run: after a crash it is in doubt."""
        if self._in_doubt_policy == "fail" and task_id and task_id not in self._started_now:
            self._started_now.add(task_id)
            await self._mark(task_id, _STARTED)

    async def _mark(self, task_id: str, channel: str) -> None:
        attempt = self._attempts.get(task_id, 0)
        await self._save(f"{task_id}|{channel}|{attempt}", channel, [task_id, attempt])

    async def _read_marks(self) -> None:
        """Read this step's marks: calls in doubt (started in an attempt that neither saved a
        result nor was released), how many attempts each call had, decisions, approval pauses."""
        target = self._target()
        if target is None:
            return
        saver, config = target
        if self._sync:
            saved = await asyncio.to_thread(saver.get_tuple, config)
        else:
            saved = await saver.aget_tuple(config)
        started: set[tuple[str, int]] = set()
        released: set[tuple[str, int]] = set()
        returned: set[str] = set()
        for task_id, channel, value in (saved.pending_writes or []) if saved else []:
            if channel in (_STARTED, _RELEASED) and isinstance(value, list) and len(value) == 2:
                mark = (str(value[0]), int(value[1]))
                (started if channel == _STARTED else released).add(mark)
            elif channel == _RETURN:
                returned.add(task_id)
            elif channel == _RESULT and isinstance(value, Mapping):
                recorded, record = value.get("task"), value.get("record")
                if isinstance(recorded, str) and isinstance(record, dict):
                    self._recorded[recorded] = record
                    returned.add(recorded)
            elif channel == _DECIDED and isinstance(value, Mapping):
                for member, kind, detail in value.get("decisions") or []:
                    self._decided[str(member)] = (kind, detail)
            elif channel == _INTERRUPT and isinstance(value, (list, tuple)):
                for item in value:
                    asked = _asked_call_ids(getattr(item, "value", None))
                    if asked is not None:
                        self._asked[task_id] = asked
        for task_id, attempt in started:
            self._attempts[task_id] = max(self._attempts.get(task_id, 0), attempt + 1)
        self._in_doubt = {
            task_id for task_id, attempt in started - released if task_id not in returned
        }

    async def _run(self, task_fns: tuple[Any, Any], job: Job) -> Any:
        loop = self._loop

        def blocking(task_config: RunnableConfig) -> Any:
            # A sync graph runs the task in a worker thread; the work itself runs on our loop.
            return asyncio.run_coroutine_threadsafe(job(task_config), loop).result()

        # The task itself is not traced: the tool's own run is (under execute_code).
        quiet: RunnableConfig = {**self._config, "callbacks": AsyncCallbackManager(handlers=[])}
        token = var_child_runnable_config.set(quiet)
        try:
            if not self._sync:
                try:
                    future = task_fns[0](job)
                except RuntimeError as exc:
                    if _SYNC_ONLY not in str(exc):
                        raise
                    self._sync = True
            if self._sync:
                future = task_fns[1](blocking)
        finally:
            var_child_runnable_config.reset(token)
        if isinstance(future, concurrent.futures.Future) and not asyncio.isfuture(future):
            return await asyncio.wrap_future(future)
        return await future


def _describe_call(identifier: Any, args: Any) -> str:
    try:
        text = json.dumps(args, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = "{...}"
    if len(text) > 120:
        text = text[:117] + "..."
    return f"tools.{identifier}({text})"


class CodeModeState(MessagesState):
    """``MessagesState`` plus the thread's workspace, for ``CodeModeNode(workspace=True)``."""

    codemode_workspace: Annotated[dict[str, Any], merge_workspace]
