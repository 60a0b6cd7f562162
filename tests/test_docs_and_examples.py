"""The docs' Python code blocks and the examples run, so they cannot rot."""

from __future__ import annotations

import re
import runpy
import sys
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
    ],
)
def test_demo_explains_wrong_input(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = _demo(capfd, "--db", str(tmp_path / "demo.sqlite"), *args)
    assert code == 2
    assert err.startswith("codemode: error: ") and message in err
    assert "Traceback" not in err
