"""A child process for the restart tests: learns result types into a real store, or shows them.

    python tests/learned_worker.py learn|show sqlite|postgres WHERE

``learn`` runs one script through a toolkit on the store; ``show`` builds a fresh toolkit on
the same store (a restarted process) and prints its declarations without running anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from langchain_core.tools import tool

from langchain_codemode import CodeModeToolkit
from langchain_codemode.output_types_store import NAMESPACE


@tool
def get_invoice(invoice_id: str) -> dict:  # type: ignore[type-arg]
    """An invoice."""
    return {"id": invoice_id, "amount": 12.5, "paid": invoice_id.endswith("1"), "lines": [{"sku": "a"}]}


@contextlib.contextmanager
def open_store(kind: str, where: str) -> Iterator[Any]:
    if kind == "sqlite":
        from langgraph.store.sqlite import SqliteStore

        with SqliteStore.from_conn_string(where) as store:
            store.setup()
            yield store
    else:
        from langgraph.store.postgres import PostgresStore

        with PostgresStore.from_conn_string(where) as store:
            store.setup()
            yield store


def main() -> None:
    phase, kind, where = sys.argv[1:4]
    with open_store(kind, where) as store:
        toolkit = CodeModeToolkit([get_invoice], output_types_store=store)
        if phase == "learn":
            for key in toolkit._output_types.keys.values():  # a clean slate for this test
                store.delete(NAMESPACE, key)
            result = asyncio.run(toolkit.aexecute(
                'await tools.get_invoice({ invoice_id: "i-1" }); '
                'return await tools.get_invoice({ invoice_id: "i-2" });'
            ))
            assert result.ok, result.error
        print(toolkit.declarations)


if __name__ == "__main__":
    main()
