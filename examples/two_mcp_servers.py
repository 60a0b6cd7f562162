"""One script calling tools on two MCP servers, typed from their schemas.

Starts the two small servers next to this file (``mcp_servers/shop.py`` and
``mcp_servers/notes.py``) over stdio.

    python examples/two_mcp_servers.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from langchain_codemode import CodeModeToolkit

SERVERS = Path(__file__).resolve().parent / "mcp_servers"

SCRIPT = """
const skus = ["ab-1", "cd-22", "efg-333"];
const products = await Promise.all(skus.map((sku) => tools.shop.get_product({ sku })));
for (const p of products.filter((p) => p.price > 6)) {
  await tools.notes.add_note({ text: `${p.name} costs ${p.price}` });
}
return (await tools.notes.list_notes()).result;
"""


async def main() -> None:
    connections = {
        name: {"transport": "stdio", "command": sys.executable, "args": [str(SERVERS / file)]}
        for name, file in (("shop", "shop.py"), ("notes", "notes.py"))
    }
    toolkit = await CodeModeToolkit.from_mcp(connections, namespaces=True)
    print(toolkit.declarations)
    result = await toolkit.aexecute(SCRIPT)
    print("calls:", [call.name for call in result.calls])
    print("result:", result.value if result.ok else result.error)


if __name__ == "__main__":
    asyncio.run(main())
