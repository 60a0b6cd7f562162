"""SIGKILL crash trials: a killed process's script resumes in a new process without repeating
a charge (``tests/crash_worker.py`` runs the trials; see its docstring for the kill points).

The trial counts are set by ``CODEMODE_CRASH_TRIALS`` (default 50 for SQLite, a fifth of that
for the other runs); each test prints its summary, so ``pytest -s`` shows the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.checkpointers import require_postgres

ROOT = Path(__file__).resolve().parent.parent
TRIALS = int(os.environ.get("CODEMODE_CRASH_TRIALS", "50"))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the trials fork")


def _trials(tmp_path: Path, kind: str, where: str, trials: int, in_doubt: str) -> dict[str, Any]:
    out = tmp_path / f"crash-{kind}-{in_doubt}.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.crash_worker",
            "--kind",
            kind,
            "--where",
            where,
            "--trials",
            str(trials),
            "--in-doubt",
            in_doubt,
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(out.read_text())
    print({k: v for k, v in summary.items() if k != "results"})
    return summary


def _check(summary: dict[str, Any]) -> None:
    results = summary["results"]
    # A kill can land just after a runner finished its last charge (the trial still counts:
    # nothing may repeat); most land mid-script.
    mid_script = [r for r in results if r["killed"] and not r["finished_before_kill"]]
    assert len(mid_script) >= 0.8 * summary["trials"], summary
    # Kills landed before, during and after the first charge's record was saved.
    assert {r["kill_after_charge"] for r in results} >= {1, 2}
    assert summary["duplicates_of_journaled_calls"] == 0
    unaccounted = [r for r in results if not r["accounted"]]
    assert not unaccounted, unaccounted[:3]


def test_sqlite_crash_trials_repeat_no_charge(tmp_path: Path) -> None:
    summary = _trials(tmp_path, "sqlite", str(tmp_path / "c.sqlite"), TRIALS, "fail")
    _check(summary)
    assert summary["duplicates"] == 0


def test_sqlite_crash_trials_with_rerun_repeat_only_calls_in_flight(tmp_path: Path) -> None:
    summary = _trials(tmp_path, "sqlite", str(tmp_path / "c.sqlite"), max(TRIALS // 5, 4), "rerun")
    _check(summary)
    # At-least-once: a charge that ran but had not been saved when the process died runs again.
    assert summary["duplicates"] == summary["in_flight_at_kill"]


def test_postgres_crash_trials_repeat_no_charge(tmp_path: Path, postgres_uri: str | None) -> None:
    where = require_postgres(postgres_uri)
    summary = _trials(tmp_path, "postgres", where, max(TRIALS // 5, 4), "fail")
    _check(summary)
    assert summary["duplicates"] == 0
