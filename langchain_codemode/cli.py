"""The ``codemode`` command line.

* ``codemode demo`` runs the demo graph (offline by default), pausing for approval;
  ``codemode demo --resume THREAD --approve`` continues a paused run;
* ``codemode types TOOLS`` prints the TypeScript declarations for a set of tools;
* ``codemode run SCRIPT --tools TOOLS`` executes a JS/TS file against them (type-checking it
  first when the checker is installed; ``--no-typecheck`` skips that);
* ``codemode check SCRIPT --tools TOOLS`` only type-checks a file against them.

``TOOLS`` is either ``package.module:attribute`` (a list of tools, one tool, or a callable
returning either) or an MCP configuration file: JSON with an ``mcpServers`` (or ``servers``)
object, as MCP clients use. Argument parsing, loading and printing only; bad input ends with
a one-line message and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]


class CliError(Exception):
    """A user mistake: printed as ``codemode: error: <message>``, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemode", description="Code Mode for LangChain and LangGraph."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="run an agent graph whose tools node executes one TypeScript script"
    )
    demo.add_argument(
        "--resume",
        metavar="THREAD",
        help="continue a run that paused for approval (with --approve or --reject)",
    )
    demo.add_argument("--approve", action="store_true", help="approve the paused call")
    demo.add_argument(
        "--reject",
        nargs="?",
        const="",
        metavar="REASON",
        help="reject the paused call (the script gets the reason)",
    )
    demo.add_argument(
        "--db",
        type=Path,
        help="the SQLite file the demo's threads are kept in "
        "(default: $XDG_STATE_HOME/codemode/demo.sqlite)",
    )
    demo.add_argument(
        "--no-input", action="store_true", help="never prompt; pause at the approval step"
    )
    demo.add_argument(
        "--model",
        metavar="PROVIDER:NAME",
        help="use a real chat model (e.g. openai:gpt-4.1) instead of the offline scripted one",
    )
    tools_help = "package.module:attribute, or an MCP configuration file (.json)"
    types = commands.add_parser("types", help="print the TypeScript declarations for tools")
    types.add_argument("tools", metavar="TOOLS", help=tools_help)
    run = commands.add_parser("run", help="execute a JavaScript/TypeScript file against tools")
    run.add_argument("script", metavar="SCRIPT", help="the .js/.ts file to run ('-' for stdin)")
    run.add_argument("--tools", required=True, metavar="TOOLS", help=tools_help)
    run.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    run.add_argument("--json", action="store_true", help="print the whole result as JSON")
    run.add_argument(
        "--no-typecheck",
        dest="typecheck",
        action="store_const",
        const=False,
        default="auto",
        help="run without type-checking the script against the tools first",
    )
    check = commands.add_parser(
        "check", help="type-check a JavaScript/TypeScript file against tools, without running it"
    )
    check.add_argument("script", metavar="SCRIPT", help="the .js/.ts file ('-' for stdin)")
    check.add_argument("--tools", required=True, metavar="TOOLS", help=tools_help)
    return parser


def _load_module_tools(spec: str) -> list[Any]:
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise CliError(f"{spec!r}: expected package.module:attribute or a .json MCP config")
    sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CliError(f"cannot import {module_name!r}: {exc}") from exc
    finally:
        sys.path.pop(0)
    try:
        value = getattr(module, attribute)
    except AttributeError as exc:
        raise CliError(f"{module_name!r} has no attribute {attribute!r}") from exc
    from langchain_core.tools import BaseTool

    if callable(value) and not isinstance(value, BaseTool):
        value = value()
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _mcp_connections(path: Path) -> dict[str, Any]:
    try:
        config = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read MCP configuration {str(path)!r}: {exc}") from exc
    servers = config.get("mcpServers", config.get("servers")) if isinstance(config, dict) else None
    if not isinstance(servers, dict) or not servers:
        raise CliError(f"{str(path)!r}: expected an 'mcpServers' object naming each server")
    connections: dict[str, Any] = {}
    for name, server in servers.items():
        if not isinstance(server, dict):
            raise CliError(f"{str(path)!r}: server {name!r} must be an object")
        if "url" in server:
            transport = str(server.get("transport", server.get("type", "streamable_http")))
            transport = {"http": "streamable_http", "streamable-http": "streamable_http"}.get(
                transport, transport
            )
            connections[name] = {**server, "transport": transport}
            connections[name].pop("type", None)
        elif "command" in server:
            connections[name] = {
                "transport": "stdio",
                "command": server["command"],
                "args": list(server.get("args", [])),
                **({"env": server["env"]} if "env" in server else {}),
            }
        else:
            raise CliError(f"{str(path)!r}: server {name!r} needs a 'command' or a 'url'")
    return connections


def _connections_or_none(spec: str) -> dict[str, Any] | None:
    """The MCP connections when ``spec`` names a configuration file (read before any loop)."""
    if not spec.endswith(".json"):
        return None
    path = Path(spec)
    if not path.is_file():
        raise CliError(f"no such MCP configuration file: {spec!r}")
    return _mcp_connections(path)


async def _toolkit(spec: str, connections: dict[str, Any] | None, **options: Any) -> Any:
    from langchain_codemode import CodeModeToolkit
    from langchain_codemode.errors import ConfigurationError

    try:
        if connections is not None:
            try:
                return await CodeModeToolkit.from_mcp(connections, namespaces=True, **options)
            except CliError:
                raise
            except Exception as exc:  # unreachable server, crashed process, protocol error
                raise CliError(f"cannot load tools from the MCP servers: {_reason(exc)}") from exc
        return CodeModeToolkit(_load_module_tools(spec), **options)
    except ConfigurationError as exc:
        raise CliError(str(exc)) from exc


def _reason(exc: BaseException) -> str:
    """The innermost message of an exception group or chain, on one line."""
    while getattr(exc, "exceptions", None):  # an exception group (anyio, Python 3.11+)
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    return " ".join(str(exc).split()) or type(exc).__name__


async def _types(spec: str) -> int:
    toolkit = await _toolkit(spec, _connections_or_none(spec))
    print(toolkit.declarations, end="")
    return 0


def _read_script(script: str) -> str:
    try:
        return sys.stdin.read() if script == "-" else Path(script).read_text("utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {script!r}: {exc.strerror or exc}") from exc


async def _check(code: str, spec: str) -> int:
    toolkit = await _toolkit(spec, _connections_or_none(spec), typecheck=True)
    diagnostics = await toolkit.acheck(code)
    for diagnostic in diagnostics:
        print(diagnostic)
    if diagnostics:
        print(f"{len(diagnostics)} type error(s)", file=sys.stderr)
        return 1
    print("ok: no type errors against the tools API")
    return 0


async def _run(
    code: str, spec: str, timeout: float, as_json: bool, typecheck: bool | str = "auto"
) -> int:
    toolkit = await _toolkit(spec, _connections_or_none(spec), timeout=timeout, typecheck=typecheck)
    result = await toolkit.aexecute(code)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0 if result.ok else 1
    for call in result.calls:
        shown = call.output if call.ok else call.error
        print(
            f"{'ok ' if call.ok else 'ERR'} {call.name}({json.dumps(call.args)}) → "
            f"{json.dumps(shown, ensure_ascii=False)}"
        )
    for line in result.logs:
        print(f"console: {line}")
    if result.ok:
        print(json.dumps(result.value, ensure_ascii=False, indent=2))
        return 0
    print(f"error ({result.error_type}): {result.error}", file=sys.stderr)
    return 1


def _demo(args: argparse.Namespace) -> int:
    from langchain_codemode.demo import DemoError, run_demo

    if args.approve and args.reject is not None:
        raise CliError("choose one of --approve and --reject")
    if (args.approve or args.reject is not None) and not args.resume:
        raise CliError("--approve and --reject answer a paused run: add --resume THREAD")
    decision: dict[str, Any] | None = None
    if args.approve:
        decision = {"type": "approve"}
    elif args.reject is not None:
        decision = {"type": "reject", "message": args.reject or "rejected from the command line"}
    ask = _ask_on_terminal if sys.stdin.isatty() and not args.no_input else None
    try:
        asyncio.run(
            run_demo(args.model, resume=args.resume, decision=decision, db=args.db, ask=ask)
        )
    except DemoError as exc:
        raise CliError(str(exc)) from exc
    return 0


def _ask_on_terminal(request: dict[str, Any]) -> dict[str, Any] | None:
    """Approve (y), reject (n, with a reason) or leave paused (Enter) at the terminal."""
    answer = input("Approve this call? [y]es / [n]o / Enter to pause here: ").strip().lower()
    if answer in ("y", "yes"):
        return {"type": "approve"}
    if answer in ("n", "no"):
        reason = input("Reason (sent to the script): ").strip()
        return {"type": "reject", "message": reason or "rejected at the terminal"}
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "types":
            return asyncio.run(_types(args.tools))
        code = _read_script(args.script)
        if args.command == "check":
            return asyncio.run(_check(code, args.tools))
        return asyncio.run(_run(code, args.tools, args.timeout, args.json, args.typecheck))
    except CliError as exc:
        print(f"codemode: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
