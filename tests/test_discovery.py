"""Large toolsets: a compact API, and tools.$search / tools.$describe at run time."""

from __future__ import annotations

import sys
from pathlib import Path

from corpus_tools import CORPUS
from langchain_core.tools import BaseTool, StructuredTool
from tsc import require_tsc, run_tsc

from langchain_codemode import CodeModeToolkit
from langchain_codemode.discovery import (
    DEFAULT_DECLARATION_BUDGET,
    LAYOUTS,
    choose_api,
    estimate_tokens,
    render_api,
)

TOPICS = ["weather", "invoice", "calendar", "ticket", "shipment"]


def synthetic_tools(count: int) -> list[BaseTool]:
    tools: list[BaseTool] = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]

        def run(item_id: str, verbose: bool = False, _i: int = i, _topic: str = topic) -> dict:
            return {"tool": _i, "topic": _topic, "item_id": item_id, "verbose": verbose}

        tools.append(
            StructuredTool.from_function(
                func=run,
                name=f"{topic}_lookup_{i}",
                description=f"Look up one {topic} record number {i} by its id. Slow.",
            )
        )
    return tools


def test_small_toolsets_are_declared_in_full() -> None:
    toolkit = CodeModeToolkit(synthetic_tools(10))
    assert not toolkit.uses_discovery
    assert "$search" not in toolkit.declarations
    assert "weather_lookup_0(args: {" in toolkit.declarations


def test_toolsets_over_budget_keep_argument_names_and_types() -> None:
    # 100 tools: the full declarations are over the default budget, one line per tool is not.
    # (Before, such a toolset saw names and summaries only.)
    toolkit = CodeModeToolkit(synthetic_tools(100))
    assert toolkit.layout == "signatures"
    assert toolkit.uses_discovery
    declarations = toolkit.declarations
    assert (
        "  weather_lookup_0(args: { item_id: string; verbose?: boolean }): "
        "Promise<Record<string, unknown>>;\n"
    ) in declarations
    assert "Look up one" not in declarations  # no docs
    assert "[name: string]: any" not in declarations
    assert "$describe(name: string): Promise<string>;" in declarations
    assert "There are 100 tools, so the API below gives each one's arguments" in toolkit.prompt
    assert estimate_tokens(declarations) <= toolkit.declaration_budget
    full = CodeModeToolkit(synthetic_tools(100), declaration_budget=10**9)
    assert full.layout == "full"
    assert estimate_tokens(full.declarations) > toolkit.declaration_budget


def test_the_richest_layout_that_fits_the_budget_is_chosen() -> None:
    signatures = CodeModeToolkit(synthetic_tools(60))._signatures()
    sizes = {kind: estimate_tokens(render_api(signatures, kind).declarations) for kind in LAYOUTS}
    assert sizes["full"] > sizes["signatures"] > sizes["names"]
    for budget, layout in [
        (sizes["full"], "full"),
        (sizes["full"] - 1, "signatures"),
        (sizes["signatures"], "signatures"),
        (sizes["signatures"] - 1, "names"),
        (1, "names"),
    ]:
        assert choose_api(signatures, budget).layout == layout, budget
        assert CodeModeToolkit(synthetic_tools(60), declaration_budget=budget).layout == layout


def test_the_default_budget_is_inside_the_measured_range() -> None:
    # docs/benchmarks.md ("Prompt layouts for large toolsets") derives the budgets that pick
    # the measured-cheapest layout everywhere: at least the 100-tool signatures, below the
    # 42-tool corpus in full. A change to the layouts that moves these bounds past the
    # default must re-derive it (python benchmarks/prompt_tokens.py --layouts --write-docs).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from prompt_tokens import synthetic

    corpus = CodeModeToolkit(CORPUS)._signatures()
    hundred = CodeModeToolkit(synthetic(CORPUS, 100))._signatures()
    low = estimate_tokens(render_api(hundred, "signatures").declarations)
    high = estimate_tokens(render_api(corpus, "full").declarations)
    assert low <= DEFAULT_DECLARATION_BUDGET < high


async def test_a_script_calls_tools_and_describes_them_under_the_signatures_layout() -> None:
    toolkit = CodeModeToolkit(synthetic_tools(100))
    assert toolkit.layout == "signatures"
    result = await toolkit.aexecute(
        """
        const record = await tools.ticket_lookup_3({ item_id: "T-1" });
        const declaration = await tools.$describe("ticket_lookup_3");
        const [match] = await tools.$search("calendar 7", 1);
        return { record, declaration, match: match.name };
        """
    )
    assert result.ok, result.error
    assert result.value["record"]["item_id"] == "T-1"
    assert "/** Look up one ticket record number 3 by its id." in result.value["declaration"]
    assert result.value["match"] == "calendar_lookup_7"


def test_large_toolsets_list_names_and_summaries() -> None:
    toolkit = CodeModeToolkit(synthetic_tools(500))
    assert toolkit.uses_discovery
    assert toolkit.layout == "names"
    declarations = toolkit.declarations
    assert " * invoice_lookup_1: Look up one invoice record number 1 by its id." in declarations
    assert "$search(query: string, limit?: number): Promise<ToolMatch[]>;" in declarations
    assert "There are 500 tools" in toolkit.prompt
    full = CodeModeToolkit(synthetic_tools(500), declaration_budget=10**9).declarations
    assert len(declarations) < len(full) / 2


async def test_a_script_discovers_and_calls_tools_in_one_run() -> None:
    toolkit = CodeModeToolkit(synthetic_tools(500))
    result = await toolkit.aexecute(
        """
        const matches = await tools.$search("shipment lookup 42", 3);
        const declaration = await tools.$describe(matches[0].name);
        const record = await tools[matches[0].name]({ item_id: "A-7" });
        let missing = null;
        try { await tools.$describe("nope") } catch (e) { missing = e.message }
        return { first: matches[0], count: matches.length, declaration, record, missing };
        """
    )
    assert result.ok, result.error
    value = result.value
    assert value["first"]["name"].startswith("shipment_lookup_")
    assert value["count"] == 3
    assert "item_id: string;" in value["declaration"]
    assert value["record"]["item_id"] == "A-7"
    assert value["missing"].startswith("tools.$describe: no tool named 'nope'")
    assert [c.name for c in result.calls][:2] == ["$search", "$describe"]


def test_compact_and_described_declarations_compile(tmp_path: Path) -> None:
    require_tsc()
    toolkit = CodeModeToolkit(synthetic_tools(500))
    assert toolkit.uses_discovery
    described = toolkit._discovery.describe("ticket_lookup_3")  # type: ignore[union-attr]
    signatures = CodeModeToolkit(synthetic_tools(100))
    assert signatures.layout == "signatures"
    files = []
    for name, text in {
        "signatures.d.ts": signatures.declarations.replace(
            "declare const tools", "declare const typed"
        )
        .replace("interface ToolMatch", "interface ToolMatch2")
        .replace("ToolMatch[]", "ToolMatch2[]"),
        "signatures_usage.ts": (
            "export async function typedUse() {\n"
            "  const r = await typed.ticket_lookup_3({ item_id: 'x', verbose: true });\n"
            "  const [m] = await typed.$search('ticket', 1);\n"
            "  const d: string = await typed.$describe(m.name);\n"
            "  // @ts-expect-error: a misspelled argument\n"
            "  await typed.ticket_lookup_3({ item_idd: 'x' });\n"
            "  // @ts-expect-error: no such tool in this layout's API\n"
            "  await typed.no_such_tool({});\n"
            "  return [r, d];\n"
            "}\n"
        ),
        "compact.d.ts": toolkit.declarations,
        "described.d.ts": described.replace("declare const tools", "declare const described"),
        "usage.ts": (
            "export async function main() {\n"
            "  const found = await tools.$search('ticket');\n"
            "  const first: string = found[0].name;\n"
            "  const text: string = await tools.$describe(first);\n"
            "  const r = await described.ticket_lookup_3({ item_id: 'x' });\n"
            "  return [text, r, await tools.ticket_lookup_3({ item_id: 'x' })];\n"
            "}\n"
        ),
    }.items():
        path = tmp_path / name
        path.write_text(text)
        files.append(path)
    result = run_tsc(files)
    assert result.ok, result.output
