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


MYTOOLS = '''
from langchain_core.tools import tool
from pydantic import BaseModel


class Invoice(BaseModel):
    id: str
    total: float


@tool
def get_invoice(id: str) -> Invoice:
    """Get an invoice."""
    return Invoice(id=id, total=1.0)


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


def make_tools():
    return [get_invoice, add]


def broken_factory():
    raise RuntimeError("no database")


LIMIT = 3
TOOLS = [get_invoice, add]
'''


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new user's project: mytools.py (and a module that fails to import) in the cwd."""
    (tmp_path / "mytools.py").write_text(MYTOOLS)
    (tmp_path / "broken.py").write_text("RATE = 1 / 0\n")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    for name in ("mytools", "broken", "_codemode_tools_mytools", "_codemode_tools_broken"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize(
    "spec", ["./mytools.py:TOOLS", "mytools.py:TOOLS", "mytools:TOOLS", "mytools:make_tools"]
)
def test_tools_from_a_file_path_or_a_module(
    user_dir: Path, spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["types", spec]) == 0
    out = capsys.readouterr().out
    assert "get_invoice(args: { id: string }): Promise<Invoice>;" in out
    assert "add(args: { a: number; b: number }): Promise<number>;" in out


def test_a_function_with_arguments_is_one_tool(
    user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["types", "mytools:add"]) == 0
    assert "add(args: { a: number; b: number })" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "mytools:Invoice",
            "mytools:Invoice is the class Invoice, a pydantic model, not tools: it must be a "
            "list of tools, one tool, or a function without arguments returning either",
        ),
        ("mytools:LIMIT", "mytools:LIMIT is an int, not tools: it must be a list of tools"),
        ("mytools:broken_factory", "mytools:broken_factory() raised RuntimeError: no database"),
        ("mytools:NOPE", "'mytools' has no attribute 'NOPE' (it has: LIMIT, TOOLS)"),
        (
            "nope.py:TOOLS",
            "no such file 'nope.py'; to import a module instead, drop '.py': nope:TOOLS",
        ),
        (
            "./lib/nope.py:TOOLS",
            "no such file './lib/nope.py'; TOOLS is module:attribute (e.g. mytools:TOOLS)",
        ),
        (
            "mytools.py",
            "'mytools.py': add the attribute that holds the tools, e.g. mytools.py:TOOLS",
        ),
        (
            "broken:RATE",
            "cannot import 'broken': ZeroDivisionError: division by zero (broken.py, line 1)",
        ),
        (
            "./broken.py:RATE",
            "cannot import './broken.py': ZeroDivisionError: division by zero (broken.py, line 1)",
        ),
        (
            "nosuch:TOOLS",
            "cannot import 'nosuch': no module named 'nosuch' in the current directory",
        ),
    ],
)
def test_a_new_users_tools_mistakes_get_one_line_and_a_fix(
    user_dir: Path, spec: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["types", spec]) == 2
    err = capsys.readouterr().err
    assert err == f"codemode: error: {err.removeprefix('codemode: error: ')}"
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_cli_as_a_process_prints_no_traceback(user_dir: Path) -> None:
    import subprocess

    for spec in ("./mytools.py:TOOLS", "mytools:Invoice", "mytools.py"):
        done = subprocess.run(
            [sys.executable, "-m", "langchain_codemode", "types", spec],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == (0 if spec.endswith(":TOOLS") else 2), done.stderr


HEAVY = (
    "langchain_core",
    "langchain",
    "langgraph",
    "py_mini_racer",
    "mcp",
    "pydantic",
    "jsonschema",
    "tree_sitter",
)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["types", "--help"], ["run", "--help"], ["check", "--help"], ["demo", "--help"]],
)
def test_help_loads_no_heavy_module(argv: list[str]) -> None:
    import subprocess

    probe = (
        "import sys\n"
        "from langchain_codemode.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "usage: codemode" in done.stdout
    assert done.stdout.strip().endswith("LOADED []"), done.stdout


def test_importing_the_package_is_lazy_and_complete() -> None:
    import subprocess

    probe = (
        "import sys, langchain_codemode as m\n"
        "print('core' , 'langchain_core' in sys.modules)\n"
        "print(m.CodeModeToolkit.__name__, m.ConfigurationError.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert done.stdout.split() == ["core", "False", "CodeModeToolkit", "ConfigurationError"], (
        done.stderr
    )


def test_ctrl_c_during_a_run_is_one_line(tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    (tmp_path / "marking.py").write_text(
        "from pathlib import Path\n\n\n"
        "def mark(path: str) -> str:\n"
        '    """Leaves a file behind."""\n'
        "    Path(path).write_text('running')\n"
        "    return 'ok'\n"
    )
    marker = tmp_path / "running"
    (tmp_path / "job.js").write_text(
        f"await tools.mark({{ path: {json.dumps(str(marker))} }});\nwhile (true) {{}}\n"
    )
    run = subprocess.Popen(
        [sys.executable, "-m", "langchain_codemode", "run", "job.js", "--tools", "marking:mark"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As at a terminal: SIGINT not ignored, whatever the test runner's own setting.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), run.stderr.read() if run.poll() is not None else "no call"
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 130
    assert err == "\ncodemode: interrupted\n"
