"""Toolsets too large for one prompt: a compact API plus ``tools.$search`` / ``tools.$describe``.

When the full declarations would cost more than the toolkit's token budget, the model sees
each tool's name and a one-line summary only, and its script discovers the rest at run time:
``await tools.$search("keywords")`` returns the best-matching tools and
``await tools.$describe("name")`` returns one tool's full TypeScript declaration. Both are
served in Python by this module; it knows tool signatures, not V8 or graphs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from langchain_codemode.typescript.declarations import ToolSignature, render_declarations

__all__ = [
    "DESCRIBE",
    "DISCOVERY_PROMPT",
    "SEARCH",
    "Discovery",
    "estimate_tokens",
]

SEARCH = "$search"
DESCRIBE = "$describe"

DISCOVERY_PROMPT = """\
There are {count} tools, too many to declare in full here: the API below lists each one's \
name and a one-line summary. Before calling a tool, look it up in the same script: \
`await tools.$search("keywords")` returns matching tools (best first) and \
`await tools.$describe("name")` returns a tool's TypeScript declaration (arguments and result)."""

_WORD = re.compile(r"[A-Za-z0-9]+")
_CHARS_PER_TOKEN = 4  # a conservative average for code-like English with BPE tokenizers
_SUMMARY_CHARS = 100


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

    def declarations(self) -> str:
        """Names and one-line summaries, plus the two discovery functions."""
        lines = [
            "interface ToolMatch {",
            "  /** How to call it: tools.<name>(args). */",
            "  name: string;",
            "  summary: string;",
            "}",
            "",
            "declare const tools: {",
            "  /** Find tools by keywords in their names and descriptions, best first. */",
            f"  {SEARCH}(query: string, limit?: number): Promise<ToolMatch[]>;",
            "  /** The full TypeScript declaration of one tool, by its name below. */",
            f"  {DESCRIBE}(name: string): Promise<string>;",
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
