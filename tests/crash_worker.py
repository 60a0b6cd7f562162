"""Crash trials: kill the process running a script with SIGKILL, resume in a new process.

Run by ``tests/test_crash.py`` (and by hand)::

    python -m tests.crash_worker --kind sqlite --where /tmp/c.sqlite --trials 50 --out r.json

This process imports everything once and then forks, per trial, a *runner* that starts a
script making ``--charges`` sequential charges on a fresh thread, and SIGKILLs it at a kill
point: once the ledger shows the k-th charge (k cycles over 1..charges-1), after a further
random delay of 0-25 ms, so kills land inside tool calls, between them, and while results are
being saved. A second forked process (a *resumer*, the "new process" of a restart) reads how
many charges the checkpoint had journaled, resumes the thread from its checkpoint and runs it
to the end. The ledger then tells how often each charge really ran.

A charge that ran but whose result was not yet saved when the process died is *in flight*:
nothing durable says it happened, so the resumed script runs it again (at-least-once, as for
any tool that is not idempotent). A journaled charge that ran again would be a bug.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

from tests.checkpointers import async_checkpointer
from tests.durable_app import DELAY_ENV, LEDGER_ENV, build_graph, charges_script, script_call

RETURN_CHANNEL = "__return__"
RESULT_CHANNEL = "codemode:result"


def _config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


async def _run(kind: str, where: str, thread: str, charges: int, in_doubt: str) -> None:
    async with async_checkpointer(kind, where) as saver:
        app = build_graph(saver, in_doubt=in_doubt)
        await app.ainvoke(script_call(charges_script(charges)), _config(thread))


async def _resume(
    kind: str, where: str, thread: str, charges: int, in_doubt: str
) -> dict[str, Any]:
    async with async_checkpointer(kind, where) as saver:
        saved = await saver.aget_tuple(_config(thread))
        journaled = 0
        if saved is not None:
            # A call's record is LangGraph's task result, or the journal's own copy of it.
            journaled = len(
                {
                    _task if channel == RETURN_CHANNEL else value.get("task")
                    for _task, channel, value in saved.pending_writes or []
                    if (channel == RETURN_CHANNEL and isinstance(value, dict) and value.get("tool"))
                    or (channel == RESULT_CHANNEL and isinstance(value, dict))
                }
            )
        app = build_graph(saver, in_doubt=in_doubt)
        finished = False
        if saved is None:  # killed before the first checkpoint: start again, as a user would
            state = await app.ainvoke(script_call(charges_script(charges)), _config(thread))
        elif not (await app.aget_state(_config(thread))).next:  # it had finished
            finished = True
            state = (await app.aget_state(_config(thread))).values
        else:
            state = await app.ainvoke(None, _config(thread))
        return {
            "journaled": journaled,
            "finished": finished,
            "answer": state["messages"][-1].content,
        }


def _child(target: Any, result_path: Path | None) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        result = asyncio.run(target())
        if result_path is not None:
            result_path.write_text(json.dumps(result))
    except BaseException as exc:  # reported through the missing result
        print(f"child failed: {exc!r}", file=sys.stderr)
        code = 1
    finally:
        os._exit(code)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line] if path.exists() else []


def trial(index: int, args: argparse.Namespace, rng: random.Random, work: Path) -> dict[str, Any]:
    thread = f"crash-{os.getpid()}-{index}"
    ledger = work / f"ledger-{index}.txt"
    os.environ[LEDGER_ENV] = str(ledger)
    kill_after = 1 + index % (args.charges - 1)
    delay = rng.uniform(0.0, 0.025)

    pid = _child(lambda: _run(args.kind, args.where, thread, args.charges, args.in_doubt), None)
    deadline = time.monotonic() + 60
    while len(_lines(ledger)) < kill_after and time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            break
        time.sleep(0.0005)
    time.sleep(delay)
    killed = True
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        killed = False
    _, status = os.waitpid(pid, 0)
    killed = killed and os.WIFSIGNALED(status)
    before = _lines(ledger)

    result_path = work / f"resume-{index}.json"
    pid = _child(
        lambda: _resume(args.kind, args.where, thread, args.charges, args.in_doubt), result_path
    )
    _, status = os.waitpid(pid, 0)
    resumed = json.loads(result_path.read_text()) if result_path.exists() else None
    after = _lines(ledger)
    expected = [f"c{i}" for i in range(args.charges)]  # the charges the script makes
    repeated = len(after) - len(set(after))
    journaled = resumed["journaled"] if resumed else 0
    finished = bool(resumed and resumed["finished"])
    in_flight = 0 if finished else max(0, len(before) - journaled)
    answer = json.loads(resumed["answer"]) if resumed else None
    done = set((answer or {}).get("done", []))
    failed = set((answer or {}).get("failed", []))
    return {
        "trial": index,
        "killed": killed,
        "finished_before_kill": finished,
        "kill_after_charge": kill_after,
        "delay_ms": round(delay * 1000, 2),
        "charges_before_kill": len(before),
        "journaled_before_kill": journaled,
        "in_flight_at_kill": in_flight,
        "duplicates": repeated,
        "duplicates_of_journaled_calls": max(0, repeated - in_flight),
        "in_doubt_reported": len((answer or {}).get("failed", [])),
        # The script accounted for every charge: each one it reports done ran, and each one
        # that did not run is reported failed (in doubt), never silently lost.
        "accounted": (
            answer is not None
            and not done & failed
            and done <= set(after)
            and set(after) | failed == set(expected)
        ),
        "answer": answer,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--where", required=True, help="SQLite file or PostgreSQL URI")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--charges", type=int, default=5)
    parser.add_argument("--charge-delay", type=float, default=0.01, help="seconds per charge")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--in-doubt", choices=["fail", "rerun"], default="fail")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ[DELAY_ENV] = str(args.charge_delay)
    work = args.out.parent / f"{args.out.stem}-work"
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    trials = [trial(i, args, rng, work) for i in range(args.trials)]
    summary = {
        "kind": args.kind,
        "in_doubt": args.in_doubt,
        "trials": len(trials),
        "killed": sum(t["killed"] for t in trials),
        "finished_before_kill": sum(t["finished_before_kill"] for t in trials),
        "accounted": sum(t["accounted"] for t in trials),
        "duplicates": sum(t["duplicates"] for t in trials),
        "duplicates_of_journaled_calls": sum(t["duplicates_of_journaled_calls"] for t in trials),
        "in_flight_at_kill": sum(t["in_flight_at_kill"] for t in trials),
        "in_doubt_reported": sum(t["in_doubt_reported"] for t in trials),
        "results": trials,
    }
    args.out.write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
