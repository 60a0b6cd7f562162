"""CLI start-up: ``codemode --help``, ``codemode types`` and ``codemode run``, each against
``python -c "import langchain_core"`` measured in the same run (and beside what the tools
module itself costs to import: ``from langchain_core.tools import tool``).

Run on demand (not part of the test suite), ideally pinned to one CPU:

    taskset -c 0 python benchmarks/cli_startup.py [--repeat 7]

Each command runs as a fresh process (as a user types it); the figure is the median wall
time over ``--repeat`` runs, after one warm-up run of each to fill the OS file cache. The
tools module and the script are written to a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOLS_MODULE = '''
from langchain_core.tools import tool


@tool
def double(n: int) -> int:
    """Doubles a number."""
    return n * 2


TOOLS = [double]
'''

SCRIPT = "return await tools.double({ n: 21 });\n"


def _commands(where: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        'python -c "import langchain_core"': [py, "-c", "import langchain_core"],
        # What a tools module pays before the CLI does anything: a second reference.
        "python -c (a tools module's own imports)": [
            py,
            "-c",
            "from langchain_core.tools import tool",
        ],
        "codemode --help": [py, "-m", "langchain_codemode", "--help"],
        "codemode types tools:TOOLS": [py, "-m", "langchain_codemode", "types", "tools:TOOLS"],
        "codemode run job.js --tools tools:TOOLS": [
            py,
            "-m",
            "langchain_codemode",
            "run",
            str(where / "job.js"),
            "--tools",
            "tools:TOOLS",
        ],
    }


def _seconds(command: list[str], where: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=where, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (median)")
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="codemode-cli-") as tmp:
        where = Path(tmp)
        (where / "tools.py").write_text(TOOLS_MODULE)
        (where / "job.js").write_text(SCRIPT)
        commands = _commands(where)
        for command in commands.values():  # warm-up: the file cache, .pyc files
            _seconds(command, where)
        # Interleaved, so a burst of load elsewhere hits every command alike.
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                samples[name].append(_seconds(command, where))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    baseline_name = next(iter(medians))
    baseline = medians[baseline_name]
    print(f"median of {repeat} runs each; baseline: {baseline_name}")
    print(f"{'command':<44} {'seconds':>8} {'× baseline':>11}")
    for name, value in medians.items():
        print(f"{name:<44} {value:8.3f} {value / baseline:10.1f}×")


if __name__ == "__main__":
    main()
