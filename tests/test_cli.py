"""The codemode command line, used as a new user would, wrong input included."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from langchain_codemode.cli import main

TESTS = Path(__file__).parent


@pytest.fixture(autouse=True)
def in_tests_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TESTS)


def test_types_for_a_tools_module(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types", "cli_tools:TOOLS"]) == 0
    assert "double(args: { n: number }): Promise<number>;" in capsys.readouterr().out


def test_types_for_an_mcp_config(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # capfd, not capsys: the stdio transport hands the server a real stderr file descriptor.
    config = tmp_path / "mcp.json"
    config.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "notes": {"command": sys.executable, "args": [str(TESTS / "servers/notes.py")]}
                }
            }
        )
    )
    assert main(["types", str(config)]) == 0
    out = capfd.readouterr().out
    assert "notes: {" in out and "add_note(args: { text: string })" in out


def test_run_a_typescript_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "job.ts"
    script.write_text(
        "const x: number = await tools.double({ n: 21 });\nconsole.log('x', x);\nreturn { x };\n"
    )
    assert main(["run", str(script), "--tools", "cli_tools:TOOLS"]) == 0
    out = capsys.readouterr().out
    assert 'ok  double({"n": 21}) → 42' in out
    assert "console: x 42" in out
    assert '"x": 42' in out
    assert main(["run", str(script), "--tools", "cli_tools:TOOLS", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True and result["value"] == {"x": 42}


def test_a_failing_script_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "bad.js"
    script.write_text("throw new Error('nope')")
    assert main(["run", str(script), "--tools", "cli_tools:TOOLS"]) == 1
    assert "error (runtime): Error: nope (line 1)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["types", "no_such_module:TOOLS"], "cannot import 'no_such_module'"),
        (["types", "cli_tools:MISSING"], "has no attribute 'MISSING'"),
        (["types", "cli_tools"], "expected module:attribute (e.g. mytools:TOOLS)"),
        (["types", "missing.json"], "no such MCP configuration file"),
        (["run", "missing.ts", "--tools", "cli_tools:TOOLS"], "cannot read 'missing.ts'"),
    ],
)
def test_wrong_input_gets_a_clear_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("codemode: error: ")
    assert message in err
    assert "Traceback" not in err


def test_bad_and_unreachable_mcp_configs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"servers": []}')
    assert main(["types", str(bad)]) == 2
    assert "expected an 'mcpServers' object" in capsys.readouterr().err
    dead = tmp_path / "dead.json"
    dead.write_text(json.dumps({"mcpServers": {"gone": {"url": "http://127.0.0.1:9/mcp"}}}))
    assert main(["types", str(dead)]) == 2
    assert "cannot load tools from the MCP servers" in capsys.readouterr().err
