"""Finding and running a TypeScript compiler for the declaration tests.

Resolution order: ``$CODEMODE_TSC`` (path to a ``tsc`` executable), then
``<repo>/.ci/node/node_modules/.bin/tsc``; when neither exists, ``npm install --prefix
<repo>/.ci/node typescript@5`` runs once (under a file lock) and the result is cached there.
When no compiler can be had, tests using :func:`require_tsc` are skipped — unless
``CODEMODE_REQUIRE_TSC=1``, which makes that a failure.

Each compiler run costs a second or two, so callers batch many files into one :func:`run_tsc`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_PREFIX = REPO / ".ci" / "node"
LOCAL_TSC = NODE_PREFIX / "node_modules" / ".bin" / "tsc"
TSC_FLAGS = ("--strict", "--noEmit", "--target", "es2022", "--lib", "es2022", "--pretty", "false")


@dataclass(frozen=True)
class TscResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    with open(NODE_PREFIX / ".install.lock", "w") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, install may race
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def find_tsc() -> Path | str:
    """Path of a ``tsc`` executable, or a string saying why there is none."""
    configured = os.environ.get("CODEMODE_TSC")
    if configured:
        path = Path(configured)
        return path if path.is_file() else f"CODEMODE_TSC={configured} is not a file"
    if LOCAL_TSC.is_file():
        return LOCAL_TSC
    npm = shutil.which("npm")
    if npm is None:
        return "no TypeScript compiler: set CODEMODE_TSC or install Node.js/npm"
    with _install_lock():
        if not LOCAL_TSC.is_file():
            try:
                done = subprocess.run(
                    [
                        npm,
                        "install",
                        "--prefix",
                        str(NODE_PREFIX),
                        "--no-audit",
                        "--no-fund",
                        "typescript@5",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                return f"npm install typescript@5 failed: {exc}"
            if done.returncode != 0 or not LOCAL_TSC.is_file():
                return f"npm install typescript@5 failed: {done.stderr.strip()[-500:]}"
    return LOCAL_TSC


def require_tsc() -> Path:
    """The compiler, or skip the calling test (fail with ``CODEMODE_REQUIRE_TSC=1``)."""
    found = find_tsc()
    if isinstance(found, Path):
        return found
    if os.environ.get("CODEMODE_REQUIRE_TSC") == "1":
        pytest.fail(found)
    pytest.skip(found)


def run_tsc(files: Sequence[Path], *, extra_flags: Sequence[str] = ()) -> TscResult:
    """Type-check ``files`` together: ``tsc --strict --noEmit --target es2022 --lib es2022``.

    tsc runs in the first file's directory, so diagnostics name files relative to it.
    """
    tsc = require_tsc()
    cwd = Path(files[0]).resolve().parent if files else Path.cwd()
    names = [os.path.relpath(Path(f).resolve(), cwd) for f in files]
    done = subprocess.run(
        [str(tsc), *TSC_FLAGS, *extra_flags, *names],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return TscResult(done.returncode, (done.stdout + done.stderr).strip())
