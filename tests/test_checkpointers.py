"""The test PostgreSQL cluster (tests/checkpointers.py) never outlives the test run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psutil
import pytest

from tests.checkpointers import _postgres_bindir

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import time
from tests.checkpointers import postgres_server

with postgres_server() as uri:
    print(uri, flush=True)
    time.sleep(3600)
"""


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return bool(condition())  # type: ignore[operator]


def test_a_killed_test_run_stops_its_postgres_cluster() -> None:
    if _postgres_bindir() is None:
        pytest.skip("PostgreSQL is not installed")
    env = {k: v for k, v in os.environ.items() if k != "CODEMODE_POSTGRES_URI"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        uri = child.stdout.readline().strip()
        assert uri.startswith("postgresql://"), "the child did not start a cluster"
        root = Path(parse_qs(urlparse(uri).query)["host"][0]).parent
        postmaster = int((root / "data" / "postmaster.pid").read_text().split()[0])
        assert psutil.pid_exists(postmaster)
    finally:
        child.kill()  # SIGKILL: no finally block, no atexit, nothing of the child runs
        child.wait()

    def stopped() -> bool:
        try:
            return psutil.Process(postmaster).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    # Generous: stopping a cluster on a busy machine takes a moment; what matters is that it ends.
    assert _wait_for(stopped, 120), f"the PostgreSQL server {postmaster} outlived the test run"
    assert _wait_for(lambda: not root.exists(), 60), f"{root} was left behind"
