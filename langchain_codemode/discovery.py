"""How much of a toolset's API the model reads, and ``tools.$search`` / ``tools.$describe``.

Three layouts, the richest whose estimated size fits the toolkit's ``declaration_budget``:

* ``"full"``: every tool with its documentation (``render_declarations``);
* ``"signatures"``: one line per tool with its argument names and types and its result type,
  no documentation;
* ``"names"``: each tool's name and one-line summary only; the API is ``[name: string]: any``.

Outside the full layout the script can look tools up at run time:
``await tools.$search("keywords")`` returns the best-matching tools and
``await tools.$describe("name")`` returns one tool's full TypeScript declaration. Both are
served in Python by this module; it knows tool signatures, not V8 or graphs.

The default budget and the measurements behind it are in ``docs/benchmarks.md`` ("Prompt
layouts for large toolsets").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_codemode.typescript.declarations import ToolSignature, render_declarations

__all__ = [
    "DEFAULT_DECLARATION_BUDGET",
    "DESCRIBE",
    "DISCOVERY_PROMPT",
    "LAYOUTS",
    "SEARCH",
    "SIGNATURES_PROMPT",
    "Api",
    "Discovery",
    "Layout",
    "choose_api",
    "estimate_tokens",
    "render_api",
]

SEARCH = "$search"
DESCRIBE = "$describe"

Layout = Literal["full", "signatures", "names"]
LAYOUTS: tuple[Layout, ...] = ("full", "signatures", "names")
"""Richest first."""

DEFAULT_DECLARATION_BUDGET = 4000
"""Estimated tokens the declarations may take before a smaller layout is used."""

DISCOVERY_PROMPT = """\
There are {count} tools, too many to declare in full here: the API below lists each one's \
name and a one-line summary. Before calling a tool, look it up in the same script: \
`await tools.$search("keywords")` returns matching tools (best first) and \
`await tools.$describe("name")` returns a tool's TypeScript declaration (arguments and result)."""

SIGNATURES_PROMPT = """\
There are {count} tools, so the API below gives each one's arguments and result on one line, \
without documentation. Where a tool's arguments need explaining, \
`await tools.$describe("name")` returns its full declaration with the docs, and \
`await tools.$search("keywords")` finds tools (best first)."""

_WORD = re.compile(r"[A-Za-z0-9]+")
_CHARS_PER_TOKEN = 4  # a conservative average for code-like English with BPE tokenizers
_SUMMARY_CHARS = 100

_DISCOVERY_MEMBERS = (
    "/** Find tools by keywords in their names and descriptions, best first. */",
    f"{SEARCH}(query: string, limit?: number): Promise<ToolMatch[]>;",
    "/** The full TypeScript declaration of one tool, by its name below. */",
    f"{DESCRIBE}(name: string): Promise<string>;",
)
_TOOL_MATCH = """\
interface ToolMatch {
  /** How to call it: tools.<name>(args). */
  name: string;
  summary: string;
}
"""


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate (chars / 4), good enough to choose a layout."""
    return math.ceil(len(text) / _CHARS_PER_TOKEN)


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD.findall(text.replace("_", " ")):
        # split camelCase as well
        words.extend(w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", word))
    return words


def summary_of(description: str) -> str:
    first = description.strip().split("\n\n", 1)[0].replace("\n", " ").strip()
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) > _SUMMARY_CHARS:
        sentence = sentence[: _SUMMARY_CHARS - 1].rstrip() + "…"
    return sentence


def _comment(text: str) -> str:
    return text.replace("*/", "*\\/")


@dataclass(frozen=True)
class Api:
    """The API a model reads: which layout, its declarations, and the text to put before
    them (empty for the full layout); ``discovery`` serves ``$search``/``$describe``."""

    layout: Layout
    declarations: str
    intro: str
    discovery: Discovery | None


def choose_api(signatures: Sequence[ToolSignature], budget: int) -> Api:
    """The richest layout of ``signatures`` whose estimated tokens fit ``budget``."""
    for layout in LAYOUTS[:-1]:
        api = render_api(signatures, layout)
        if estimate_tokens(api.declarations) <= budget:
            return api
    return render_api(signatures, "names")


def render_api(signatures: Sequence[ToolSignature], layout: Layout) -> Api:
    """``signatures`` in ``layout``, whatever its size."""
    if layout == "full":
        return Api("full", render_declarations(signatures), "", None)
    discovery = Discovery(signatures)
    if layout == "signatures":
        intro = SIGNATURES_PROMPT.format(count=len(signatures))
        return Api("signatures", discovery.signature_declarations(), intro, discovery)
    intro = DISCOVERY_PROMPT.format(count=len(signatures))
    return Api("names", discovery.declarations(), intro, discovery)


class Discovery:
    """The compact API and the two discovery functions for one toolkit."""

    def __init__(self, signatures: Sequence[ToolSignature]) -> None:
        self._by_path: dict[str, ToolSignature] = {}
        self._aliases: dict[str, str] = {}
        for sig in signatures:
            path = f"{sig.namespace}.{sig.identifier}" if sig.namespace else sig.identifier
            self._by_path[path] = sig
            for alias in (path, f"tools.{path}", sig.name):
                self._aliases.setdefault(alias, path)
        self._index = {
            path: (set(_words(path + " " + sig.name)), _words(sig.description))
            for path, sig in self._by_path.items()
        }

    def signature_declarations(self) -> str:
        """Every tool on one line (arguments, result, summary), plus the two functions."""
        compact = render_declarations(
            list(self._by_path.values()), compact=True, extra_members=_DISCOVERY_MEMBERS
        )
        return f"{_TOOL_MATCH}\n{compact}"

    def declarations(self) -> str:
        """Names and one-line summaries, plus the two discovery functions."""
        lines = [
            _TOOL_MATCH,
            "declare const tools: {",
            *(f"  {member}" for member in _DISCOVERY_MEMBERS),
            "  /** Every tool below; $describe one to learn its arguments and result. */",
            "  [name: string]: any;",
            "};",
            "",
            "/* Tools (name: summary):",
        ]
        for path, sig in self._by_path.items():
            lines.append(f" * {path}: {_comment(summary_of(sig.description))}")
        lines.append(" */")
        return "\n".join(lines) + "\n"

    def search(self, query: Any, limit: Any = None) -> list[dict[str, str]]:
        terms = _words(str(query or ""))
        count = limit if isinstance(limit, int) and not isinstance(limit, bool) else 10
        count = max(1, min(count, 50))
        scored: list[tuple[float, int, str]] = []
        for order, (path, (name_words, description_words)) in enumerate(self._index.items()):
            score = 0.0
            for term in terms:
                if term in name_words:
                    score += 3
                elif any(word.startswith(term) for word in name_words):
                    score += 2
                score += min(description_words.count(term), 3) * 0.5
            if score > 0:
                scored.append((-score, order, path))
        scored.sort()
        return [
            {"name": path, "summary": summary_of(self._by_path[path].description)}
            for _, _, path in scored[:count]
        ]

    def describe(self, name: Any) -> str:
        path = self._aliases.get(str(name or "").strip())
        if path is None:
            raise LookupError(f"no tool named {name!r}; find names with tools.$search(...)")
        sig = self._by_path[path]
        return render_declarations([sig])
