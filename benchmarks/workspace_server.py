"""The benchmark's MCP server: a document store and a CRM, over stdio.

    python benchmarks/workspace_server.py --state DIR

CRM writes are kept in ``DIR/crm.json`` so the benchmark can check, after a run, what was
actually stored (each stdio session is a new process).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench_data import DOCUMENTS, OPPORTUNITIES, transcript
from mcp.server.fastmcp import FastMCP
from typing_extensions import TypedDict

mcp = FastMCP("workspace", log_level="WARNING")
STATE = {"dir": Path(".")}


class DocumentInfo(TypedDict):
    document_id: str
    title: str


class DocumentList(TypedDict):
    documents: list[DocumentInfo]


class Document(TypedDict):
    document_id: str
    title: str
    text: str


class Opportunity(TypedDict):
    record_id: str
    account: str
    name: str
    stage: str


class OpportunityList(TypedDict):
    opportunities: list[Opportunity]


class UpdateResult(TypedDict):
    record_id: str
    updated: bool
    notes_chars: int


@mcp.tool()
def search_documents(query: str) -> DocumentList:
    """Search the shared drive; returns documents whose title contains every word of `query`."""
    words = query.lower().split()
    found = [DocumentInfo(document_id=d["document_id"], title=d["title"]) for d in DOCUMENTS
             if all(w in d["title"].lower() for w in words)]
    return DocumentList(documents=found)


@mcp.tool()
def get_document(document_id: str) -> Document:
    """The full text of a document of the shared drive."""
    doc = transcript()
    if document_id != doc["document_id"]:
        info = next((d for d in DOCUMENTS if d["document_id"] == document_id), None)
        if info is None:
            raise ValueError(f"no document {document_id}")
        return Document(document_id=document_id, title=info["title"], text="(slides)")
    return Document(document_id=doc["document_id"], title=doc["title"], text=doc["text"])


@mcp.tool()
def search_opportunities(account: str) -> OpportunityList:
    """CRM opportunities of an account (e.g. "Globex"), any stage."""
    found = [Opportunity(**o) for o in OPPORTUNITIES if o["account"].lower() == account.lower()]
    return OpportunityList(opportunities=found)


@mcp.tool()
def update_opportunity(record_id: str, notes: str) -> UpdateResult:
    """Replace the notes field of a CRM opportunity."""
    if record_id not in {o["record_id"] for o in OPPORTUNITIES}:
        raise ValueError(f"no opportunity {record_id}")
    path = STATE["dir"] / "crm.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    stored[record_id] = {"notes": notes}
    path.write_text(json.dumps(stored))
    return UpdateResult(record_id=record_id, updated=True, notes_chars=len(notes))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True, help="directory for the CRM's writes")
    STATE["dir"] = Path(parser.parse_args().state)
    mcp.run()
