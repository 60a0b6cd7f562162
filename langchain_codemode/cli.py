"""The ``codemode`` command line: ``codemode demo`` runs the demo graph.

Argument parsing and printing only; the work lives in the modules it calls.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemode", description="Code Mode for LangChain and LangGraph."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="run an agent graph whose tools node executes one TypeScript script"
    )
    demo.add_argument(
        "--model",
        metavar="PROVIDER:NAME",
        help="use a real chat model (e.g. openai:gpt-4.1) instead of the offline scripted one",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from langchain_codemode.demo import run_demo

        asyncio.run(run_demo(args.model))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
