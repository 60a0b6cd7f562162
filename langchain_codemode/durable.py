"""Durable scripts: nested tool calls journaled through LangGraph, approvals, the workspace.

When a script runs inside a graph that has a checkpointer, LangGraph re-runs the whole node
after an interrupt, a failure or a restart. Without a record, every tool call the script made
before that point would run again. :class:`Journal` makes each nested call a LangGraph task
(the functional API's ``@task`` mechanism): the task's result is saved with the thread's
pending writes as soon as the call completes, and when the node runs again the same task
returns the saved result without calling the tool.

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
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from typing import Annotated, Any, Literal, cast

from langchain_core.callbacks import AsyncCallbackManager
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool
from langgraph.errors import GraphBubbleUp
from langgraph.graph import MessagesState
from typing_extensions import TypedDict

from langchain_codemode.errors import ConfigurationError
from langchain_codemode.sandbox.runner import CallOutcome, EndRun, Session

__all__ = [
    "WORKSPACE_KEY",
    "ApprovalRequest",
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
_NS_SEP = "|"
# Marks kept beside the records (under ids of their own, which LangGraph ignores): a call has
# started; a started call was stopped in good order (an interrupt, a cancellation).
_STARTED = "codemode:started"
_RELEASED = "codemode:released"

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
    """The interrupt value when a script calls a tool that needs approval."""

    type: Literal["approval"]
    tool: str
    args: dict[str, Any]
    description: str
    tool_call_id: str
    """The nested call's id: ``<execute_code call id>:<n>``."""


Decision = tuple[Literal["approve", "edit", "reject"], Any]

DECISION_HELP = (
    'resume with {"type": "approve"}, {"type": "edit", "args": {...}} or '
    '{"type": "reject", "message": "..."}'
)


def approval_decision(value: Any) -> Decision:
    """Read a resume value: approve, edit (with the new arguments) or reject (with a message).

    Accepts ``{"type": "approve" | "edit" | "reject", ...}`` (the vocabulary of LangChain's
    human-in-the-loop middleware), ``True``/``"approve"`` and ``False``/``"reject"``.
    Anything else is refused as a rejection that says what the resume value should be.
    """
    if value is True or value == "approve":
        return "approve", None
    if value is False or value == "reject":
        return "reject", "rejected by a human"
    if isinstance(value, Mapping):
        kind = value.get("type")
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
            return "reject", str(message) if message else "rejected by a human"
    return "reject", f"unreadable approval response {value!r:.80}; {DECISION_HELP}"


def check_in_doubt(value: Any) -> InDoubt:
    """Validate an ``in_doubt=`` option."""
    if value not in ("fail", "rerun"):
        raise ConfigurationError(
            f'in_doubt must be "fail" or "rerun", got {value!r}: what a resumed script gets '
            "for a call that was running when its process died."
        )
    return cast(InDoubt, value)


def ask_approval(
    tool: BaseTool, args: dict[str, Any], call_id: str, config: RunnableConfig | None
) -> Decision:
    """Pause the graph for a decision on this call (``interrupt`` in the call's own task)."""
    from langgraph.types import interrupt

    request = ApprovalRequest(
        type="approval",
        tool=tool.name,
        args=args,
        description=(tool.description or "")[:300],
        tool_call_id=call_id,
    )
    token = var_child_runnable_config.set(config) if config is not None else None
    try:
        answer = interrupt(request)
    finally:
        if token is not None:
            var_child_runnable_config.reset(token)
    return approval_decision(answer)


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
    """

    def __init__(self, config: RunnableConfig, script_id: str, in_doubt: InDoubt = "fail") -> None:
        self._config = config
        self._script_id = script_id
        self._in_doubt_policy = in_doubt
        self._loop = asyncio.get_running_loop()
        self._index = 0
        self._sync = False
        self._in_doubt: set[str] = set()

    @classmethod
    def open(
        cls, config: RunnableConfig | None, script_id: str, in_doubt: InDoubt = "fail"
    ) -> Journal | None:
        if config is None or not journaling_available(config):
            return None
        return cls(config, script_id, in_doubt)

    async def session(self, workspace: Mapping[str, Any] | None) -> Session:
        """The execution's clock and seed: fresh the first time, the recorded ones on replay."""

        async def fresh(_config: RunnableConfig) -> dict[str, Any]:
            session = Session.fresh()
            return {"clock_ms": session.clock_ms, "seed": session.seed}

        record = await self._run(_SESSION_TASKS, fresh)
        if self._in_doubt_policy == "fail":  # "rerun" writes no marks and reads none
            self._in_doubt = await self._calls_in_doubt()
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
            ran.append(True)
            task_id = (task_config.get("configurable") or {}).get(_CONFIG_KEY_TASK_ID)
            if task_id in self._in_doubt and self._in_doubt_policy == "fail":
                outcome = CallOutcome(
                    ok=False, error=IN_DOUBT_MESSAGE.format(identifier=identifier)
                )
                commands: list[Any] = []
            else:
                if self._in_doubt_policy == "fail":  # only needed to recognise doubt later
                    await self._write(task_config, task_id, _STARTED, task_id)
                try:
                    outcome, commands = await run(self._tool_config(task_config))
                except BaseException:
                    # Stopped in good order (an interrupt, a cancellation): not in doubt.
                    if self._in_doubt_policy == "fail":
                        await asyncio.shield(self._write(task_config, task_id, _RELEASED, task_id))
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
            await self._write(task_config, task_id, _RETURN, record)
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

    async def _write(
        self, task_config: RunnableConfig, task_id: str | None, channel: str, value: Any
    ) -> None:
        """Save one write durably before going on.

        A result (``__return__``) is saved under the call's own task: LangGraph saves it too,
        but in the background, a few milliseconds later, and a crash in between would run a
        completed call again. It is the same write (same task, same slot), so whichever lands
        second changes nothing. Marks go under ids of their own, which LangGraph ignores.
        """
        target = self._target()
        if target is None or not task_id:
            return
        saver, config = target
        owner = task_id if channel == _RETURN else f"{task_id}|{channel}"
        writes = [(channel, value)]
        if self._sync:
            await asyncio.to_thread(saver.put_writes, config, writes, owner)
        else:
            await saver.aput_writes(config, writes, owner)

    async def _calls_in_doubt(self) -> set[str]:
        """Calls of this step that started, were not released, and saved no result."""
        target = self._target()
        if target is None:
            return set()
        saver, config = target
        if self._sync:
            saved = await asyncio.to_thread(saver.get_tuple, config)
        else:
            saved = await saver.aget_tuple(config)
        started: set[str] = set()
        settled: set[str] = set()
        for task_id, channel, value in (saved.pending_writes or []) if saved else []:
            if channel == _STARTED and isinstance(value, str):
                started.add(value)
            elif channel == _RELEASED and isinstance(value, str):
                settled.add(value)
            elif channel == _RETURN:
                settled.add(task_id)
        return started - settled

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
