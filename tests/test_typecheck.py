"""The type check before a script runs: real tsgo, real tools, real MCP servers.

Two corpora prove the check's promise: correct scripts (the benchmark's, the docs', the
stripper tests', and plainly model-written JavaScript) are never rejected, and wrong ones (each
kind of misuse of the declared API) are rejected with a diagnostic on the right line before any
tool runs. Skipped when the checker is not installed, unless ``CODEMODE_REQUIRE_TSGO=1``.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import test_strip
from corpus_tools import CORPUS
from langchain_core.tools import tool
from typecheck_corpus import CORPUS_CORRECT, CORPUS_WRONG, MCP_CORRECT, MCP_WRONG, Wrong

from langchain_codemode import CodeModeMiddleware, CodeModeNode, CodeModeToolkit
from langchain_codemode.errors import ConfigurationError
from langchain_codemode.typescript import check as check_module
from langchain_codemode.typescript.check import (
    MAX_SHOWN,
    TypeChecker,
    checker_available,
    open_declarations,
)

REPO = Path(__file__).resolve().parent.parent
SERVERS = Path(__file__).resolve().parent / "servers"

if not checker_available():
    if os.environ.get("CODEMODE_REQUIRE_TSGO") == "1":
        raise RuntimeError('The TypeScript checker is missing: pip install -e ".[typecheck]"')
    pytest.skip("the typecheck extra is not installed", allow_module_level=True)


def stdio(script: str) -> dict[str, Any]:
    return {"transport": "stdio", "command": sys.executable, "args": [str(SERVERS / script)]}


@pytest.fixture(scope="module")
def corpus_toolkit() -> CodeModeToolkit:
    return CodeModeToolkit(CORPUS)


@pytest.fixture(scope="module")
def mcp_toolkit() -> CodeModeToolkit:
    return asyncio.run(
        CodeModeToolkit.from_mcp(
            {"shop": stdio("shop.py"), "notes": stdio("notes.py")}, namespaces=True
        )
    )


def rejected(diagnostics: list[Any]) -> str:
    return "; ".join(str(d) for d in diagnostics)


# --- the correct corpus: 0 rejected ------------------------------------------------------------


def benchmark_tasks() -> list[Any]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from tasks import TASKS
    finally:
        sys.path.pop(0)
    return list(TASKS)


def docs_typescript_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in sorted((REPO / "docs").glob("*.md")):
        for number, match in enumerate(
            re.finditer(r"```typescript\n(.*?)```", path.read_text("utf-8"), re.DOTALL)
        ):
            blocks.append((f"{path.stem}-{number}", match.group(1)))
    return blocks


@pytest.mark.parametrize("name,script", CORPUS_CORRECT, ids=[n for n, _ in CORPUS_CORRECT])
def test_model_style_scripts_pass(corpus_toolkit: CodeModeToolkit, name: str, script: str) -> None:
    assert corpus_toolkit.check(script) == [], name


@pytest.mark.parametrize("name,script", MCP_CORRECT, ids=[n for n, _ in MCP_CORRECT])
async def test_model_style_scripts_over_mcp_pass(
    mcp_toolkit: CodeModeToolkit, name: str, script: str
) -> None:
    assert await mcp_toolkit.acheck(script) == [], name


def test_stripper_test_scripts_pass(corpus_toolkit: CodeModeToolkit) -> None:
    scripts = [entry[1] for entry in test_strip.SCRIPTS] + list(test_strip.PLAIN_JS)
    assert len(scripts) >= 60
    failures = {s[:60]: rejected(d) for s in scripts if (d := corpus_toolkit.check(s))}
    assert failures == {}


async def test_benchmark_scripts_pass(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from harness import task_tools
    finally:
        sys.path.pop(0)
    tasks = benchmark_tasks()
    docs = dict(docs_typescript_blocks())
    assert len(tasks) >= 8 and len(docs) >= 8
    checked = 0
    for task in tasks:
        async with task_tools(task, "code_mode", str(tmp_path), 0.0) as tools:
            toolkit = CodeModeToolkit(tools)
            assert await toolkit.acheck(task.script) == [], task.name
            # The docs show each task's script; check the docs' copy against the same API.
            for name, block in docs.items():
                if block.strip() == task.script.strip():
                    continue
                used = set(re.findall(r"tools\.(\w+)\(", block))
                if used and used <= set(toolkit.identifiers):
                    assert await toolkit.acheck(block) == [], name
            checked += 1
    assert checked == len(tasks)


def test_the_correct_corpus_is_large_enough() -> None:
    count = len(CORPUS_CORRECT) + len(MCP_CORRECT)
    count += len(test_strip.SCRIPTS) + len(test_strip.PLAIN_JS) + len(benchmark_tasks())
    assert count >= 60


# --- the wrong corpus: each rejected on the right line, no tool run ---------------------------


def assert_rejected_on_line(result: Any, wrong: Wrong) -> None:
    assert result.ok is False, wrong.name
    assert result.error_type == "type", (wrong.name, result.error)
    assert result.calls == [], wrong.name
    first = result.error.splitlines()[1]
    assert first.startswith(f"line {wrong.line}, col "), (wrong.name, result.error)


@pytest.mark.parametrize("wrong", CORPUS_WRONG, ids=[w.name for w in CORPUS_WRONG])
async def test_wrong_scripts_are_rejected(corpus_toolkit: CodeModeToolkit, wrong: Wrong) -> None:
    assert_rejected_on_line(await corpus_toolkit.aexecute(wrong.script), wrong)


@pytest.mark.parametrize("wrong", MCP_WRONG, ids=[w.name for w in MCP_WRONG])
async def test_wrong_scripts_over_mcp_are_rejected(
    mcp_toolkit: CodeModeToolkit, wrong: Wrong
) -> None:
    assert_rejected_on_line(await mcp_toolkit.aexecute(wrong.script), wrong)


def test_the_wrong_corpus_covers_every_kind() -> None:
    wrong = CORPUS_WRONG + MCP_WRONG
    assert len(wrong) >= 30
    kinds = {"tool", "property", "missing", "argument", "count", "result", "await"}
    assert {w.kind for w in CORPUS_WRONG} == kinds
    assert {w.kind for w in MCP_WRONG} >= {"tool", "argument", "result", "await"}


async def test_no_tool_runs_before_a_later_type_error() -> None:
    ran: list[str] = []

    @tool
    def charge(amount: float) -> dict[str, Any]:
        """Charge the card."""
        ran.append("charge")
        return {"charged": amount}

    @tool
    def send_receipt(email: str) -> bool:
        """Mail the receipt."""
        ran.append("send_receipt")
        return True

    toolkit = CodeModeToolkit([charge, send_receipt], typecheck=True)
    script = (
        "const c = await tools.charge({ amount: 10 });\n"
        "await tools.send_receipt({ emial: 'a@example.com' });\n"
        "return c;"
    )
    result = await toolkit.aexecute(script)
    assert result.error_type == "type" and result.calls == [] and ran == []
    assert "line 2, col 28:" in result.error and "Did you mean to write 'email'?" in result.error
    fixed = await toolkit.aexecute(script.replace("emial", "email"))
    assert fixed.ok and ran == ["charge", "send_receipt"]


# --- positions, messages, options -------------------------------------------------------------


@tool
def lookup(query: str, limit: int = 5) -> list[dict[str, Any]]:
    """Look things up."""
    return [{"query": query, "limit": limit}]


def test_positions_on_the_first_line_and_after_wide_characters() -> None:
    toolkit = CodeModeToolkit([lookup])
    [first] = toolkit.check("return tools.lookup({ query: 'x', limt: 1 });")
    assert (first.line, first.column) == (1, 35)
    # Columns count UTF-16 code units, as V8's do.
    line = "const s = '😀😀'; return tools.lookup({ query: s, limt: 1 });"
    [wide] = toolkit.check("let n = 1;\n" + line)
    before = line[: line.index("limt")]
    assert (wide.line, wide.column) == (2, len(before.encode("utf-16-le")) // 2 + 1)


def test_the_error_lists_five_diagnostics_and_counts_the_rest() -> None:
    toolkit = CodeModeToolkit([lookup])
    script = "\n".join(f"await tools.lookup({{ query: 'q', bad{i}: 1 }});" for i in range(8))
    result = toolkit.execute(script)
    lines = result.error.splitlines()
    assert result.error_type == "type"
    assert len(lines) == 1 + MAX_SHOWN + 1 and lines[-1] == "(3 more)"
    assert [line.split(",")[0] for line in lines[1:-1]] == [f"line {i}" for i in range(1, 6)]
    assert "Traceback" not in result.error


def test_async_arrow_scripts_are_checked() -> None:
    toolkit = CodeModeToolkit([lookup])
    [d] = toolkit.check("async () => {\n  return await tools.lookup({ query: 1 });\n}")
    assert d.line == 2


def test_typecheck_false_runs_unchecked() -> None:
    toolkit = CodeModeToolkit([lookup], typecheck=False)
    result = toolkit.execute("return await tools.lookup({ query: 'x', limt: 1 });")
    # Not stopped before the run: the bridge's own validation rejects the call.
    assert result.error_type == "runtime" and [c.name for c in result.calls] == ["lookup"]


def test_typecheck_option_is_validated() -> None:
    assert CodeModeToolkit([lookup]).typecheck is True
    with pytest.raises(ConfigurationError, match="typecheck must be"):
        CodeModeToolkit([lookup], typecheck="yes")  # type: ignore[arg-type]


def test_typecheck_true_without_the_checker_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check_module, "_bundled_tsgo", lambda: None)
    with pytest.raises(ConfigurationError, match=r"langchain-codemode\[typecheck\]"):
        CodeModeToolkit([lookup], typecheck=True)
    assert CodeModeToolkit([lookup]).typecheck is False  # "auto" is off


def test_node_and_middleware_take_the_option() -> None:
    assert CodeModeNode([lookup], typecheck=False).toolkit.typecheck is False
    middleware = CodeModeMiddleware([lookup], typecheck=True)
    assert middleware.toolkit.typecheck is True


def test_the_discovery_layout_is_checked_against_the_full_api() -> None:
    toolkit = CodeModeToolkit([lookup], declaration_budget=1)
    assert toolkit.uses_discovery and "lookup(args" not in toolkit.declarations
    [d] = toolkit.check(
        "const m = await tools.$search('x');\nreturn tools.lookup({ query: 'x', limt: 1 });"
    )
    assert d.line == 2 and "limit" in d.message
    assert toolkit.check("const d = await tools.$describe('lookup');\nreturn d.length;") == []


def test_workspace_is_declared_for_the_check() -> None:
    toolkit = CodeModeToolkit([lookup], workspace=True)
    script = "const seen = workspace.get('seen') || [];\nworkspace.set('seen', [...seen, 1]);\nreturn seen.length;"
    assert toolkit.check(script) == []
    [d] = toolkit.check("workspace.put('x', 1);")
    assert d.line == 1


def test_unknown_is_read_as_any_outside_comments_and_strings() -> None:
    text = 'interface A { /** unknown */ x: unknown; y: "unknown" }\ntype B = Record<string, unknown>[];'
    assert open_declarations(text) == (
        'interface A { /** unknown */ x: any; y: "unknown" }\ntype B = Record<string, any>[];'
    )


def test_a_broken_checker_never_blocks_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Any:
        raise check_module.CheckerError("crashed")

    monkeypatch.setattr(check_module, "_server", broken)
    assert TypeChecker("declare const tools: {};").check("tools.nope();") == []


# --- the command line -------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent


def test_codemode_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from langchain_codemode.cli import main

    monkeypatch.chdir(TESTS)
    good, bad = tmp_path / "good.ts", tmp_path / "bad.ts"
    good.write_text("const x: number = await tools.double({ n: 21 });\nreturn x;\n")
    bad.write_text(
        "const x = await tools.double({ n: 21 });\nreturn await tools.double({ m: x });\n"
    )
    assert main(["check", str(good), "--tools", "cli_tools:TOOLS"]) == 0
    assert "no type errors" in capsys.readouterr().out
    assert main(["check", str(bad), "--tools", "cli_tools:TOOLS"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("line 2, col 29: Object literal may only specify known properties")


def test_codemode_run_checks_first_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from langchain_codemode.cli import main

    monkeypatch.chdir(TESTS)
    script = tmp_path / "job.js"
    script.write_text("return await tools.double({ n: '21' });\n")
    assert main(["run", str(script), "--tools", "cli_tools:TOOLS"]) == 1
    captured = capsys.readouterr()
    assert "error (type):" in captured.err and "double(" not in captured.out
    # Unchecked, the call reaches the tool (pydantic coerces '21' to 21).
    assert main(["run", str(script), "--tools", "cli_tools:TOOLS", "--no-typecheck"]) == 0
    assert "42" in capsys.readouterr().out


def test_codemode_check_without_the_checker_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from langchain_codemode.cli import main

    monkeypatch.chdir(TESTS)
    monkeypatch.setattr(check_module, "_bundled_tsgo", lambda: None)
    script = tmp_path / "job.js"
    script.write_text("return 1;\n")
    assert main(["check", str(script), "--tools", "cli_tools:TOOLS"]) == 2
    assert 'pip install "langchain-codemode[typecheck]"' in capsys.readouterr().err


# --- the checker process ----------------------------------------------------------------------


def test_results_marked_open_are_read_as_any() -> None:
    learned = {
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "required": ["id"],
        check_module.OPEN_RESULT_KEY: True,
    }

    @tool
    def fetch_record(key: str) -> dict[str, Any]:
        """Fetch a record."""
        return {"id": key}

    fetch_record.metadata = {"output_schema": learned}
    toolkit = CodeModeToolkit([fetch_record])
    assert "id: string" in toolkit.declarations  # the model still sees the shape
    script = "const r = await tools.fetch_record({ key: 'a' });\nreturn r.owner.name + r.id;"
    assert toolkit.check(script) == []
    assert toolkit.check("return tools.fetch_record({ kee: 'a' });") != []  # arguments still count


async def test_concurrent_checks_from_many_tasks_and_threads() -> None:
    toolkit = CodeModeToolkit([lookup])
    good = "return await tools.lookup({ query: 'q' });"
    bad = "return await tools.lookup({ query: 1 });"
    scripts = [good if i % 3 else bad for i in range(24)]
    results = await asyncio.gather(*(toolkit.acheck(s) for s in scripts))
    threaded = await asyncio.gather(*(asyncio.to_thread(toolkit.check, s) for s in scripts))
    for script, found, again in zip(scripts, results, threaded, strict=True):
        assert bool(found) == (script is bad) == bool(again)


def test_a_killed_checker_is_restarted() -> None:
    toolkit = CodeModeToolkit([lookup])
    bad = "return await tools.lookup({ query: 1 });"
    assert toolkit.check(bad) != []
    server = check_module._server()
    server._process.kill()
    server._process.wait()
    assert toolkit.check(bad) != []
    assert check_module._server() is not server


async def test_the_benchmark_script_is_30_lines_that_pass_and_run() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import typecheck as bench
    finally:
        sys.path.pop(0)
    assert bench.SCRIPT.count("\n") == 30
    toolkit = CodeModeToolkit(CORPUS, typecheck=True)
    assert await toolkit.acheck(bench.SCRIPT) == []
    assert [d.line for d in await toolkit.acheck(bench.WRONG)] == [2, 16]
    result = await toolkit.aexecute(bench.SCRIPT)
    assert result.ok, result.error


def test_arguments_a_schema_lets_through_pass_the_check() -> None:
    from pydantic import BaseModel, ConfigDict

    class OpenArgs(BaseModel):
        model_config = ConfigDict(extra="allow")
        customer: str

    @tool(args_schema=OpenArgs)
    def list_invoices(**kwargs: Any) -> dict[str, Any]:
        """Invoices."""
        return kwargs

    toolkit = CodeModeToolkit([list_invoices], typecheck=True)
    result = toolkit.execute('return await tools.list_invoices({ customer: "a", color: "red" })')
    assert result.ok, result.error
    assert toolkit.check('return await tools.list_invoices({ color: "red" })') != []


_CHECK_THEN_EXIT = """
import os, sys
from langchain_core.tools import tool
from langchain_codemode import CodeModeToolkit

@tool
def lookup(query: str) -> list[str]:
    '''Look things up.'''
    return [query]

assert CodeModeToolkit([lookup]).check("return await tools.lookup({ query: 'x' })") == []
print(os.getpid(), flush=True)
if sys.argv[1] == "hard":
    os._exit(0)  # no atexit: what a killed process or a forked child leaves behind
"""


def test_checker_directories_of_dead_processes_are_removed(tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "TMPDIR": str(tmp_path)}  # this test's own temporary directory

    def run(how: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _CHECK_THEN_EXIT, how],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return int(done.stdout.split()[-1])

    def roots() -> set[int]:
        return {int(p.name.split("-")[2]) for p in tmp_path.glob("codemode-check-*")}

    clean = run("clean")
    assert clean not in roots()  # an ordinary exit removes its own directory
    hard = run("hard")
    assert roots() == {hard}  # os._exit skips that
    after = run("clean")
    assert roots() == set() and after != hard  # the next server removed the dead one's
