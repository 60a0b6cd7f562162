"""The demo's local MCP server ("finance"): exchange rates, and sending a report.

Run by ``codemode demo`` over stdio (``python -m langchain_codemode.demo_server --outbox
FILE``); ``send_report`` appends each report it "sends" to the outbox file as a JSON line,
so the demo can show that an approved report went out exactly once.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from pydantic import BaseModel

RATES_TO_EUR = {"USD": 0.92, "GBP": 1.17, "EUR": 1.0, "CHF": 1.06, "JPY": 0.0061}

server = FastMCP("finance", log_level="WARNING")
OUTBOX: dict[str, Path | None] = {"path": None}


class Rate(BaseModel):
    currency: str
    eur: float


class Receipt(BaseModel):
    id: str
    to: str
    subject: str


@server.tool()
def eur_rate(currency: str) -> Rate:
    """How many euros one unit of `currency` (ISO 4217 code, e.g. "USD") is worth."""
    code = currency.upper()
    if code not in RATES_TO_EUR:
        raise ValueError(f"unknown currency {currency!r}; known: {', '.join(RATES_TO_EUR)}")
    return Rate(currency=code, eur=RATES_TO_EUR[code])


@server.tool()
def send_report(to: str, subject: str, body: str) -> Receipt:
    """Email a short report to `to` (a person or team address)."""
    path = OUTBOX["path"]
    sent = 0
    if path is not None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"to": to, "subject": subject, "body": body}) + "\n")
        sent = len(path.read_text(encoding="utf-8").splitlines())
    return Receipt(id=f"msg-{sent}", to=to, subject=subject)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outbox", type=Path, help="where sent reports are appended")
    args = parser.parse_args()
    OUTBOX["path"] = args.outbox
    server.run("stdio")


if __name__ == "__main__":
    main()
