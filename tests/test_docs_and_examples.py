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


def test_demo_prints_what_happened(capsys: pytest.CaptureFixture[str]) -> None:
    from langchain_codemode.cli import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "declare const tools" in out
    assert "tools.get_order" in out
    assert '"total_eur": 155.9' in out
