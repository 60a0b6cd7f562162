"""strip_types against the real TypeScript compiler: both outputs must behave the same in V8.

Every model-style script of ``test_strip.SCRIPTS`` is wrapped as ``async function __main() {…}``
and compiled by ``tsc`` in a single run (type errors do not block emit); each emitted file and the
stripped script then run in their own fresh V8 isolate, and their awaited results must be equal.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from py_mini_racer import JSEvalException, MiniRacer

from langchain_codemode.typescript.strip import strip_types

try:
    from tests.test_strip import SCRIPTS
    from tests.tsc import require_tsc
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from test_strip import SCRIPTS  # type: ignore[no-redef]
    from tsc import require_tsc  # type: ignore[no-redef]

WRAPPER_HEAD = "async function __main() {\n"
WRAPPER_TAIL = "\n}\n"

# A stand-in for the tool namespace, defined the same way before both versions run.
TOOLS_PRELUDE = "globalThis.tools = { echo: async (args) => args };"

RUN_MAIN = (
    "var __out; __main().then("
    "v => { __out = JSON.stringify(v === undefined ? null : v) },"
    " e => { __out = 'ERR:' + e })"
)

# Emit JavaScript for every file whatever tsc thinks of the types; keep enums (no
# --erasableSyntaxOnly) and inline const enums the way a whole-program build does.
EMIT_FLAGS = (
    "--target",
    "es2022",
    "--module",
    "es2022",
    "--noEmitOnError",
    "false",
    "--strict",
    "false",
    "--removeComments",
    "false",
    "--isolatedModules",
    "false",
    "--skipLibCheck",
    "--newLine",
    "lf",
    "--pretty",
    "false",
)


def tsc_supports_no_check(tsc: Path) -> bool:
    """``--noCheck`` exists from TypeScript 5.5 on."""
    done = subprocess.run(
        [str(tsc), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    found = re.search(r"(\d+)\.(\d+)", done.stdout)
    return found is not None and (int(found[1]), int(found[2])) >= (5, 5)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Script name -> the JavaScript tsc emitted for it, from one compiler run over all files."""
    tsc = require_tsc()
    src = tmp_path_factory.mktemp("strip_tsc_src")
    out = tmp_path_factory.mktemp("strip_tsc_out")
    files = {}
    for index, (name, source, _) in enumerate(SCRIPTS):
        path = src / f"{index:02d}_{name}.ts"
        path.write_text(WRAPPER_HEAD + source + WRAPPER_TAIL, encoding="utf-8")
        files[name] = path
    flags = [*EMIT_FLAGS, "--outDir", str(out), "--rootDir", str(src)]
    if tsc_supports_no_check(tsc):
        flags.append("--noCheck")
    done = subprocess.run(
        [str(tsc), *flags, *(path.name for path in files.values())],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    emitted = {}
    for name, path in files.items():
        js = out / (path.stem + ".js")
        if js.is_file():
            emitted[name] = js.read_text(encoding="utf-8")
    assert emitted, f"tsc emitted nothing:\n{done.stdout}{done.stderr}"
    return emitted


def run_main(js: str) -> str:
    """Run ``js`` (which defines ``__main``) in a fresh isolate: ``JSON.stringify`` of the
    awaited result, or ``'ERR:'`` and the error when it throws, rejects or does not compile."""
    racer = MiniRacer()
    try:
        racer.eval(TOOLS_PRELUDE)
        try:
            racer.eval(js)
        except JSEvalException as exc:
            return f"ERR:{str(exc).strip().splitlines()[0]} (while evaluating the script)"
        racer.eval(RUN_MAIN)  # microtasks run to completion between evals
        out = racer.eval("__out")
        return out if isinstance(out, str) else f"ERR:did not settle ({out!r})"
    finally:
        racer.close()


# Not valid TypeScript as a function body (tsc reports TS1232/TS1184 and emits the lines
# unchanged, which V8 rejects); the stripper blanks them on purpose, so there is no tsc
# behaviour to match.
NOT_FUNCTION_BODY_TYPESCRIPT = {"import_type_statement", "export_keywords_and_type_exports"}
COMPARABLE = [entry for entry in SCRIPTS if entry[0] not in NOT_FUNCTION_BODY_TYPESCRIPT]


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [pytest.param(name, source, expected, id=name) for name, source, expected in COMPARABLE],
)
def test_stripped_script_behaves_like_tsc_output(
    compiled: dict[str, str], name: str, source: str, expected: Any
) -> None:
    assert name in compiled, f"tsc emitted no JavaScript for {name}"
    tsc_js = compiled[name]
    stripped_js = WRAPPER_HEAD + strip_types(source).js + WRAPPER_TAIL
    from_tsc = run_main(tsc_js)
    from_strip = run_main(stripped_js)
    assert from_strip == from_tsc, (
        f"{name}: tsc output gives {from_tsc!r}, stripped gives {from_strip!r}\n"
        f"--- tsc ---\n{tsc_js}\n--- stripped ---\n{stripped_js}"
    )
    # Both failing the same way would make the comparison say nothing.
    assert not from_tsc.startswith("ERR:"), f"{name} fails in V8: {from_tsc}"
    assert json.loads(from_tsc) == expected


def test_at_least_forty_scripts_are_compared(compiled: dict[str, str]) -> None:
    assert len(COMPARABLE) >= 40
    assert sorted(compiled) == sorted(name for name, _, _ in SCRIPTS)
