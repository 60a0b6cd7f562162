"""The docs' Python code blocks and the examples run, so they cannot rot."""

from __future__ import annotations

import contextlib
import os
import re
import runpy
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _runnable_blocks(path: Path) -> list[str]:
    return BLOCK.findall(path.read_text("utf-8"))


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_doc_code_blocks_run(path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    blocks = _runnable_blocks(path)
    assert blocks, f"{path.name} has no python code block"
    for block in blocks:
        # dont_inherit: the blocks run as written, not under this file's __future__ imports.
        exec(compile(block, str(path), "exec", dont_inherit=True), namespace)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # capfd: examples that start stdio MCP servers hand them the real stderr descriptor.
    sys.path.insert(0, str(path.parent))
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.path.remove(str(path.parent))
    assert capfd.readouterr().out.strip()


def _demo(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    # capfd, not capsys: the demo's MCP server is a process that needs real descriptors.
    from langchain_codemode.cli import main

    code = main(["demo", *args])
    captured = capfd.readouterr()
    return code, captured.out, captured.err


def _thread_of(out: str) -> str:
    match = re.search(r"codemode demo --resume (\S+) --approve", out)
    assert match, out
    return match.group(1)


def test_demo_pauses_for_approval_then_resumes_without_repeating_calls(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite")
    code, out, _ = _demo(capfd, "--db", db)
    assert code == 0
    assert "declare const tools" in out and "send_report(args:" in out
    assert "→ [1] tools.get_order(" in out  # nested calls, live
    assert "=== Approval needed" in out
    thread = _thread_of(out)
    assert not (tmp_path / "demo-outbox.jsonl").exists()

    # A new "process": the same database, the thread resumed with a decision.
    code, out, _ = _demo(capfd, "--db", db, "--resume", thread, "--approve")
    assert code == 0
    assert out.count("from the journal, not run again") == 6  # everything before the pause
    assert "are worth 155.9 EUR; the report went to finance (msg-1)" in out
    assert re.search(r"Code Mode: 2 model calls, [\d,]+ tokens", out)
    assert re.search(r"ToolNode, same tool calls: 5 model calls", out)
    assert len((tmp_path / "demo-outbox.jsonl").read_text().splitlines()) == 1

    code, _, err = _demo(capfd, "--db", db, "--resume", thread, "--approve")
    assert code == 2 and "no paused demo thread" in err


def test_demo_reject_reaches_the_script(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite")
    _, out, _ = _demo(capfd, "--db", db, "--no-input")
    code, out, _ = _demo(capfd, "--db", db, "--resume", _thread_of(out), "--reject", "not today")
    assert code == 0
    assert "report not sent: tools.send_report failed: not today" in out
    assert "the report to finance was not sent" in out
    assert not (tmp_path / "demo-outbox.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approve"], "add --resume THREAD"),
        (["--resume", "demo-nope", "--approve"], "no paused demo thread 'demo-nope'"),
        (["--resume", "x", "--approve", "--reject"], "choose one of --approve and --reject"),
        (["--model", "nosuchprovider:model"], "--model nosuchprovider:model"),
        (["--model", "gpt-nope"], "use provider:name, e.g. --model openai:gpt-4.1"),
    ],
)
def test_demo_explains_wrong_input(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = _demo(capfd, "--db", str(tmp_path / "demo.sqlite"), *args)
    assert code == 2
    assert err.startswith("codemode: error: ") and message in err
    assert "Traceback" not in err


def test_example_two_mcp_servers_is_standalone(tmp_path: Path) -> None:
    example = ROOT / "examples" / "two_mcp_servers.py"
    assert "tests" not in example.read_text("utf-8")
    done = subprocess.run(
        [sys.executable, str(example)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the servers' request logs stay quiet
    for test_only in ("die(", "fail(", "slow(", "logo(", "whoami("):
        assert test_only not in done.stdout
    assert "get_product(args: { sku: string }): Promise<Product>;" in done.stdout
    assert "result: ['Product ab-1 costs 10', 'Product cd-22 costs 12.5'" in done.stdout


def test_demo_first_screen_and_a_pasted_resume_hint(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _demo(capfd, "--db", "state/demo.sqlite", "--no-input")  # relative, new dir
    assert code == 0
    first_screen = out.split("=== The API the model sees")[0]
    assert "Model: scripted." in first_screen and "the script is not generated" in first_screen
    assert "codemode demo --model openai:gpt-4.1" in first_screen
    assert "pip install langchain-openai and set OPENAI_API_KEY" in first_screen
    assert "Starting the demo's MCP server 'finance'" in first_screen
    assert "a new Python process that loads the MCP SDK, so it takes a few seconds" in first_screen
    assert re.search(r"ready in [\d.]+ s", first_screen)
    db = tmp_path / "state" / "demo.sqlite"
    hint = f"--approve --db {db}"
    assert hint in out and f"--reject 'not now' --db {db}" in out
    pasted = next(line for line in out.splitlines() if line.endswith(hint))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    from langchain_codemode.cli import main

    assert main(shlex.split(pasted)[1:]) == 0
    out = capfd.readouterr().out
    assert "Model: scripted." not in out  # a resumed run goes straight on
    assert "the report went to finance (msg-1)" in out


def test_demo_db_creates_only_the_files_own_directory(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "missing" / "dir" / "demo.sqlite"
    code, _, err = _demo(capfd, "--db", str(db))
    assert code == 2
    assert err == (
        f"codemode: error: --db {db}: the directory {tmp_path / 'missing'} does not exist "
        f"(the demo creates only the file's own directory, {db.parent})\n"
    )
    assert not (tmp_path / "missing").exists()
    code, _, err = _demo(capfd, "--db", str(tmp_path))
    assert code == 2 and "is a directory; name a file in it" in err


def _provider_installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize(
    ("model", "module", "package", "key"),
    [
        (
            "anthropic:claude-sonnet-4-5",
            "langchain_anthropic",
            "langchain-anthropic",
            "ANTHROPIC_API_KEY",
        ),
        ("openai:gpt-4.1", "langchain_openai", "langchain-openai", "OPENAI_API_KEY"),
        (
            "mistralai:mistral-large-latest",
            "langchain_mistralai",
            "langchain-mistralai",
            "MISTRAL_API_KEY",
        ),
    ],
)
def test_demo_model_error_names_the_providers_package_and_key(
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    model: str,
    module: str,
    package: str,
    key: str,
) -> None:
    if _provider_installed(module):
        pytest.skip(f"{package} is installed here")
    provider = model.split(":")[0]
    monkeypatch.delenv(key, raising=False)
    code, _, err = _demo(capfd, "--db", str(tmp_path / "d.sqlite"), "--model", model)
    assert code == 2
    assert err == (
        f"codemode: error: --model {model}: the {provider} provider needs its package "
        f"(pip install {package}) and its API key in {key}\n"
    )
    monkeypatch.setenv(key, "sk-test")
    code, _, err = _demo(capfd, "--db", str(tmp_path / "d.sqlite"), "--model", model)
    assert code == 2 and err.endswith(f"needs its package (pip install {package})\n")
    if provider != "openai":
        assert "langchain-openai" not in err


def _read_pty(fd: int, until: bytes | None, seconds: float) -> bytes:
    """What the terminal shows, until ``until`` appears or the other side closes."""
    import select

    seen = b""
    deadline = time.monotonic() + seconds
    while until is None or until not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


@contextlib.contextmanager
def _demo_at_a_terminal(db: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``codemode demo`` in its own session on a pseudo-terminal, waiting at the prompt."""
    import fcntl
    import pty
    import signal
    import termios

    controller, terminal = pty.openpty()

    def own_the_terminal() -> None:  # the pty becomes its controlling terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        # As in a person's shell: a test run started in the background (nohup, `&` without
        # job control) ignores SIGINT, and the demo would inherit that.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    demo = subprocess.Popen(
        [sys.executable, "-m", "langchain_codemode", "demo", "--db", str(db)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
        preexec_fn=own_the_terminal,
    )
    os.close(terminal)
    try:
        # Generous: the demo starts an MCP server on a machine that may be busy.
        shown = _read_pty(controller, b"Enter to pause here: ", 300)
        assert b"Enter to pause here: " in shown, shown.decode(errors="replace")
        yield demo, controller
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        os.close(controller)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_one_ctrl_c_at_the_approval_prompt_ends_the_demo_cleanly(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite"
    with _demo_at_a_terminal(db) as (demo, terminal):
        os.write(terminal, b"\x03")  # Ctrl-C: the terminal sends SIGINT to the demo
        text = _read_pty(terminal, None, 120).decode(errors="replace")
        code = demo.wait(timeout=60)
    assert code == 130, text
    assert "Traceback" not in text
    assert "Stopped. The run is paused and saved in" in text
    match = re.search(r"codemode demo --resume (\S+) --approve --db (\S+)", text)
    assert match and match.group(2) == str(db), text

    code, out, _ = _demo(capfd, "--db", str(db), "--resume", match.group(1), "--approve")
    assert code == 0 and "the report went to finance (msg-1)" in out


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.uname().machine != "x86_64",
    reason="tgkill(2) by its x86-64 number, /proc",
)
def test_ctrl_c_at_the_prompt_works_whichever_thread_takes_the_signal(tmp_path: Path) -> None:
    """The kernel may run the SIGINT handler on any thread of the process (V8's, the
    engine's): the prompt must hear of it all the same. Here it goes to another thread."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    with _demo_at_a_terminal(tmp_path / "demo.sqlite") as (demo, terminal):
        others = [int(t) for t in os.listdir(f"/proc/{demo.pid}/task") if int(t) != demo.pid]
        assert others  # V8 and the engine run threads of their own
        assert libc.syscall(234, demo.pid, others[-1], signal.SIGINT) == 0  # tgkill(2)
        text = _read_pty(terminal, None, 120).decode(errors="replace")
        code = demo.wait(timeout=60)
    assert code == 130, text
    assert "Stopped. The run is paused and saved in" in text and "Traceback" not in text


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_approving_at_the_terminal_finishes_the_run(tmp_path: Path) -> None:
    with _demo_at_a_terminal(tmp_path / "demo.sqlite") as (demo, terminal):
        os.write(terminal, b"y\r")
        text = _read_pty(terminal, None, 300).decode(errors="replace")
        code = demo.wait(timeout=60)
    assert code == 0, text
    assert text.count("from the journal, not run again") == 6
    assert "the report went to finance (msg-1)" in text and "Traceback" not in text


def test_readme_opens_with_the_two_commands_then_the_user_install() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    first = re.search(r"^```bash\n(.*?)^```", readme, re.S | re.M)
    assert first and readme[: first.start()].count("\n") < 12  # on the first screen
    commands = [line for line in first.group(1).splitlines() if line and not line.startswith("#")]
    assert commands == [
        'pip install -e ".[demo]" && codemode demo',
        'pip install -e ".[test]" && python -m pytest',
    ]
    assert "\npip install langchain-codemode " in readme
    assert "Python 3.10–3.13" in readme
    assert "[LICENSE](LICENSE)" in readme


def test_the_wheel_carries_the_mit_license(tmp_path: Path) -> None:
    import zipfile

    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n\nCopyright (c) ")
    assert "langchain-codemode authors" in (ROOT / "LICENSE").read_text("utf-8")
    pytest.importorskip("hatchling.build")
    built = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import hatchling.build as b; print(b.build_wheel({str(tmp_path)!r}))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(tmp_path / built.stdout.split()[-1]) as wheel:
        names = wheel.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{info}/METADATA").decode()
        assert f"{info}/licenses/LICENSE" in names
        assert wheel.read(f"{info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in metadata
