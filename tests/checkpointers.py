"""Real checkpointers for the durability tests: in-memory, SQLite and PostgreSQL.

PostgreSQL comes from ``CODEMODE_POSTGRES_URI`` when set; otherwise a throwaway cluster is
started from the local PostgreSQL binaries (``initdb``/``pg_ctl``, as Debian's ``postgresql``
package installs them) in a temporary directory, on a Unix socket, and stopped at the end.
With neither, the PostgreSQL cases are skipped, unless ``CODEMODE_REQUIRE_POSTGRES=1`` (as in
CI, whose ``.ci/run`` installs the server) makes that a failure.

A throwaway cluster is stopped even when the test run itself dies (SIGKILL, a crash): a tiny
watchdog process, in a session of its own, holds the read end of a pipe whose write end only
the test process holds; when that end closes, by a normal exit or by the process dying, the
watchdog stops the cluster and removes its directory.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

POSTGRES_USER = "postgres"

# argv: pg_ctl, data dir, cluster root, then the command prefix that runs pg_ctl.
_WATCHDOG = """
import os, shutil, subprocess, sys
pg_ctl, data, root, prefix = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.stdin.buffer.read()  # until the test process closes the pipe: on exit, or by dying
if os.path.exists(os.path.join(data, "postmaster.pid")):
    subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
shutil.rmtree(root, ignore_errors=True)
"""


def _start_watchdog(
    pg_ctl: Path, data: Path, root: Path, prefix: list[str]
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(pg_ctl), str(data), str(root), *prefix],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C or a kill of the test's process group spares it
    )


def _postgres_bindir() -> Path | None:
    candidates = [os.environ.get("CODEMODE_POSTGRES_BINDIR", "")]
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).resolve().parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    """PostgreSQL refuses to run as root: run its commands as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        entry = pwd.getpwnam(POSTGRES_USER)
    except KeyError:
        pytest.fail("running as root needs a 'postgres' user to start PostgreSQL")
    return ["runuser", "-u", POSTGRES_USER, "--"], entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def postgres_server() -> Iterator[str | None]:
    """Yields a connection URI, or None when PostgreSQL is unavailable here."""
    if uri := os.environ.get("CODEMODE_POSTGRES_URI"):
        yield uri
        return
    bindir = _postgres_bindir()
    if bindir is None:
        yield None
        return
    prefix, uid, gid = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="codemode-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if uid is not None:
        for path in (root, sockets):
            os.chown(path, uid, gid or -1)
    run = lambda *args: subprocess.run(  # noqa: E731
        [*prefix, *args], check=True, capture_output=True, text=True
    )
    watchdog = _start_watchdog(bindir / "pg_ctl", data, root, prefix)
    try:
        yield from _running_cluster(bindir, root, data, sockets, run)
    finally:
        assert watchdog.stdin is not None
        watchdog.stdin.close()  # the cluster is already stopped: the watchdog just exits
        watchdog.wait()


def _running_cluster(
    bindir: Path, root: Path, data: Path, sockets: Path, run: Any
) -> Iterator[str | None]:
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-t",
            "60",
            "-l",
            str(root / "log"),
            "-o",
            f"-k {sockets} -c listen_addresses='' -c fsync=off",
            "start",
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc.stdout}")
    try:
        yield f"postgresql://postgres@/postgres?host={sockets}"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def require_postgres(uri: str | None) -> str:
    if uri is not None:
        return uri
    if os.environ.get("CODEMODE_REQUIRE_POSTGRES") == "1":
        pytest.fail("PostgreSQL is required (CODEMODE_REQUIRE_POSTGRES=1) but not installed")
    pytest.skip("PostgreSQL is not installed (set CODEMODE_POSTGRES_URI or install postgresql)")


@contextlib.asynccontextmanager
async def async_checkpointer(kind: str, where: Any) -> AsyncIterator[Any]:
    """An async saver of ``kind``: ``where`` is a SQLite file path or a PostgreSQL URI."""
    if kind == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        async with AsyncSqliteSaver.from_conn_string(str(where)) as saver:
            yield saver
    elif kind == "postgres":
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        async with AsyncPostgresSaver.from_conn_string(where) as saver:
            await saver.setup()
            yield saver
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)


@contextlib.contextmanager
def sync_checkpointer(kind: str, where: Any) -> Iterator[Any]:
    """The sync twin of :func:`async_checkpointer`."""
    if kind == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite import SqliteSaver

        with SqliteSaver.from_conn_string(str(where)) as saver:
            yield saver
    elif kind == "postgres":
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(where) as saver:
            saver.setup()
            yield saver
    else:  # pragma: no cover
        raise ValueError(kind)
