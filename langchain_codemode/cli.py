"""The ``codemode`` command line.

* ``codemode demo`` runs the demo graph (offline by default), pausing for approval;
  ``codemode demo --resume THREAD --approve`` continues a paused run;
* ``codemode types TOOLS`` prints the TypeScript declarations for a set of tools;
* ``codemode run SCRIPT --tools TOOLS`` executes a JS/TS file against them (type-checking it
  first when the checker is installed; ``--no-typecheck`` skips that);
* ``codemode check SCRIPT --tools TOOLS`` only type-checks a file against them.

``TOOLS`` is ``module:attribute`` (``mytools:TOOLS``), ``path/to/file.py:attribute``, or an MCP
configuration file: JSON with an ``mcpServers`` (or ``servers``) object, as MCP clients use.
The attribute is a list of tools, one tool, or a function without arguments returning either.

Argument parsing, loading and printing only. Each subcommand is one ``_cmd_*`` function that
imports what it needs when it runs, so ``codemode --help`` loads neither LangChain nor V8.
A user's mistake (bad flags, a wrong ``TOOLS``, a module that fails to import) ends with a
one-line ``codemode: error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

TOOLS_FORMS = "module:attribute (e.g. mytools:TOOLS), path/to/file.py:attribute, or an MCP .json"
TOOLS_MUST_BE = "a list of tools, one tool, or a function without arguments returning either"


class CliError(Exception):
    """A user mistake: printed as ``codemode: error: <message>``, exit status 2."""


# --- arguments ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codemode", description="Code Mode for LangChain and LangGraph."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _add_demo(commands)
    _add_types(commands)
    _add_run(commands)
    _add_check(commands)
    return parser


Commands = Any  # argparse's private _SubParsersAction


def _add_demo(commands: Commands) -> None:
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
    demo.set_defaults(handler=_cmd_demo)


def _add_types(commands: Commands) -> None:
    types = commands.add_parser("types", help="print the TypeScript declarations for tools")
    types.add_argument("tools", metavar="TOOLS", help=TOOLS_FORMS)
    types.set_defaults(handler=_cmd_types)


def _add_run(commands: Commands) -> None:
    run = commands.add_parser("run", help="execute a JavaScript/TypeScript file against tools")
    run.add_argument("script", metavar="SCRIPT", help="the .js/.ts file to run ('-' for stdin)")
    run.add_argument("--tools", required=True, metavar="TOOLS", help=TOOLS_FORMS)
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
    run.set_defaults(handler=_cmd_run)


def _add_check(commands: Commands) -> None:
    check = commands.add_parser(
        "check", help="type-check a JavaScript/TypeScript file against tools, without running it"
    )
    check.add_argument("script", metavar="SCRIPT", help="the .js/.ts file ('-' for stdin)")
    check.add_argument("--tools", required=True, metavar="TOOLS", help=TOOLS_FORMS)
    check.set_defaults(handler=_cmd_check)


# --- TOOLS: a module's attribute or an MCP configuration ------------------------------------


def _innermost(exc: BaseException) -> BaseException:
    while getattr(exc, "exceptions", None):  # an exception group (anyio, Python 3.11+)
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    return exc


def _reason(exc: BaseException) -> str:
    """The message of the innermost exception of a group, on one line."""
    exc = _innermost(exc)
    return " ".join(str(exc).split()) or type(exc).__name__


def _one_line(exc: BaseException) -> str:
    """``Type: message`` of the innermost exception of a group, on one line."""
    exc = _innermost(exc)
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _where_it_failed(exc: BaseException) -> str:
    """`` (file.py, line N)``: the deepest frame outside the import machinery."""
    import traceback

    if isinstance(exc, SyntaxError):  # its message already names the file and line
        return ""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith("<") and Path(f.filename).resolve() != Path(__file__)
    ]
    return f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})" if frames else ""


def _split_spec(spec: str) -> tuple[str, str]:
    target, sep, attribute = spec.rpartition(":")
    if not sep or not target or not attribute or attribute.startswith(("/", "\\")):
        if spec.endswith(".py"):
            raise CliError(f"{spec!r}: add the attribute that holds the tools, e.g. {spec}:TOOLS")
        raise CliError(f"{spec!r}: expected {TOOLS_FORMS}")
    return target, attribute


def _is_path(target: str) -> bool:
    return target.endswith(".py") or "/" in target or "\\" in target


def _import_file(target: str, attribute: str) -> Any:
    import importlib.util

    path = Path(target)
    if not path.is_file():
        hint = (
            f"; to import a module instead, drop '.py': {path.stem}:{attribute}"
            if target.endswith(".py") and not _is_path(target[:-3])
            else f"; TOOLS is {TOOLS_FORMS}"
        )
        raise CliError(f"no such file {target!r}{hint}")
    name = path.stem
    existing = sys.modules.get(name)
    if existing is not None and getattr(existing, "__file__", None) != str(path.resolve()):
        name = f"_codemode_tools_{name}"  # do not shadow an installed module of that name
    spec = importlib.util.spec_from_file_location(name, path.resolve())
    if spec is None or spec.loader is None:
        raise CliError(f"cannot import {target!r}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic and dataclasses look their module up here
    sys.path.insert(0, str(path.resolve().parent))  # the file's own sibling imports
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise CliError(
            f"cannot import {target!r}: {_one_line(exc)}{_where_it_failed(exc)}"
        ) from exc
    finally:
        sys.path.remove(str(path.resolve().parent))
    return module


def _import_module(target: str) -> Any:
    import importlib

    sys.path.insert(0, str(Path.cwd()))
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):  # the module itself, not one it imports
            raise CliError(
                f"cannot import {target!r}: no module named {exc.name!r} in the current"
                f" directory or on sys.path; TOOLS is {TOOLS_FORMS}"
            ) from exc
        raise CliError(f"cannot import {target!r}: {_one_line(exc)}") from exc
    except Exception as exc:  # the module itself failed: a syntax error, a raise at import
        raise CliError(
            f"cannot import {target!r}: {_one_line(exc)}{_where_it_failed(exc)}"
        ) from exc
    finally:
        sys.path.pop(0)


def _is_tool(value: Any) -> bool:
    from langchain_core.tools import BaseTool

    return isinstance(value, BaseTool) or (callable(value) and not isinstance(value, type))


def _describe(value: Any) -> str:
    if isinstance(value, type):
        from pydantic import BaseModel

        kind = ", a pydantic model" if issubclass(value, BaseModel) else ""
        return f"the class {value.__name__}{kind}"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"


def _takes_no_arguments(function: Callable[..., Any]) -> bool:
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in signature.parameters.values()
    )


def _as_tool_list(value: Any, where: str) -> list[Any]:
    """The tools ``value`` holds, or a CliError saying what ``where`` must be."""
    from langchain_core.tools import BaseTool

    if isinstance(value, BaseTool):
        return [value]
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not _is_tool(item):
                raise CliError(
                    f"{where}[{index}] is {_describe(item)}, not a tool: "
                    "each item must be a LangChain tool or a function"
                )
        return list(value)
    if _is_tool(value):
        return [value]
    raise CliError(f"{where} is {_describe(value)}, not tools: it must be {TOOLS_MUST_BE}")


async def _module_tools(spec: str) -> list[Any]:
    import inspect

    from langchain_core.tools import BaseTool

    target, attribute = _split_spec(spec)
    module = _import_file(target, attribute) if _is_path(target) else _import_module(target)
    try:
        value = getattr(module, attribute)
    except AttributeError as exc:
        public = sorted(n for n in vars(module) if n.isupper() and not n.startswith("_"))
        hint = f" (it has: {', '.join(public[:8])})" if public else ""
        raise CliError(f"{target!r} has no attribute {attribute!r}{hint}") from exc
    if isinstance(value, type):
        raise CliError(f"{spec} is {_describe(value)}, not tools: it must be {TOOLS_MUST_BE}")
    is_factory = callable(value) and not isinstance(value, BaseTool) and _takes_no_arguments(value)
    if not is_factory:  # a list, one tool, or a function with arguments: itself a tool
        return _as_tool_list(value, spec)
    try:
        made = value()
        if inspect.isawaitable(made):
            made = await made
    except Exception as exc:
        raise CliError(f"{spec}() raised {_one_line(exc)}") from exc
    if callable(made) and not isinstance(made, BaseTool):
        raise CliError(f"{spec}() returned {_describe(made)}; it must return tools")
    return _as_tool_list(made, f"{spec}()")


def _mcp_connections(path: Path) -> dict[str, Any]:
    import json

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
    from langchain_codemode.errors import ConfigurationError
    from langchain_codemode.toolkit import CodeModeToolkit

    if connections is not None:
        try:
            return await CodeModeToolkit.from_mcp(connections, namespaces=True, **options)
        except ConfigurationError as exc:
            raise CliError(str(exc)) from exc
        except Exception as exc:  # unreachable server, crashed process, protocol error
            raise CliError(f"cannot load tools from the MCP servers: {_reason(exc)}") from exc
    tools = await _module_tools(spec)
    try:
        return CodeModeToolkit(tools, **options)
    except ConfigurationError as exc:
        raise CliError(str(exc)) from exc
    except Exception as exc:  # a tool whose schema cannot be read, say
        raise CliError(f"cannot build the API for {spec}: {_one_line(exc)}") from exc


# --- subcommands ----------------------------------------------------------------------------


def _cmd_types(args: argparse.Namespace) -> int:
    import asyncio

    async def types() -> int:
        toolkit = await _toolkit(args.tools, _connections_or_none(args.tools))
        print(toolkit.declarations, end="")
        return 0

    return asyncio.run(types())


def _read_script(script: str) -> str:
    try:
        return sys.stdin.read() if script == "-" else Path(script).read_text("utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {script!r}: {exc.strerror or exc}") from exc


def _cmd_check(args: argparse.Namespace) -> int:
    import asyncio

    code = _read_script(args.script)

    async def check() -> int:
        toolkit = await _toolkit(args.tools, _connections_or_none(args.tools), typecheck=True)
        diagnostics = await toolkit.acheck(code)
        for diagnostic in diagnostics:
            print(diagnostic)
        if diagnostics:
            print(f"{len(diagnostics)} type error(s)", file=sys.stderr)
            return 1
        print("ok: no type errors against the tools API")
        return 0

    return asyncio.run(check())


def _cmd_run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    code = _read_script(args.script)

    async def run() -> int:
        toolkit = await _toolkit(
            args.tools,
            _connections_or_none(args.tools),
            timeout=args.timeout,
            typecheck=args.typecheck,
        )
        result = await toolkit.aexecute(code)
        if args.json:
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

    return asyncio.run(run())


def _cmd_demo(args: argparse.Namespace) -> int:
    """Run the demo; at the approval step, ask at the terminal outside the event loop, so
    one Ctrl-C (or end of input) leaves the thread paused and says how to continue it."""
    import asyncio

    from langchain_codemode.demo import DemoError, resume_commands, run_demo

    if args.approve and args.reject is not None:
        raise CliError("choose one of --approve and --reject")
    if (args.approve or args.reject is not None) and not args.resume:
        raise CliError("--approve and --reject answer a paused run: add --resume THREAD")
    decision: dict[str, Any] | None = None
    if args.approve:
        decision = {"type": "approve"}
    elif args.reject is not None:
        decision = {"type": "reject", "message": args.reject or "rejected from the command line"}
    interactive = sys.stdin.isatty() and not args.no_input
    thread = args.resume
    while True:
        try:
            outcome = asyncio.run(
                run_demo(args.model, resume=thread, decision=decision, db=args.db)
            )
        except DemoError as exc:
            raise CliError(str(exc)) from exc
        if outcome["status"] != "paused":
            return 0
        thread = outcome["thread"]
        hint = resume_commands(thread, args.db)
        decision = None
        if interactive:
            try:
                decision = _ask_on_terminal(outcome["pending"])
            except (KeyboardInterrupt, EOFError):
                print(f"\n\nStopped. {hint}")
                return 130
        if decision is None:
            print(f"\n{hint}")
            return 0


def _ask_on_terminal(request: dict[str, Any]) -> dict[str, Any] | None:
    """Approve (y), reject (n, with a reason) or leave paused (Enter) at the terminal."""
    answer = _read_line("Approve this call? [y]es / [n]o / Enter to pause here: ").strip().lower()
    if answer in ("y", "yes"):
        return {"type": "approve"}
    if answer in ("n", "no"):
        reason = _read_line("Reason (sent to the script): ").strip()
        return {"type": "reject", "message": reason or "rejected at the terminal"}
    return None


def _read_line(prompt: str) -> str:
    """``input(prompt)`` that a Ctrl-C always interrupts.

    The process has other threads by now (V8's, the engine's, the checker's), and the kernel
    may run the SIGINT handler on any of them; ``input()`` blocked in the main thread then
    never hears of it and the Ctrl-C is lost. Waiting for the line in short selects lets the
    main thread see the pending signal within a moment, whichever thread took it.
    """
    if sys.platform == "win32":  # pragma: no cover - select() cannot wait on a console
        return input(prompt)
    import select

    print(prompt, end="", flush=True)
    while not select.select([sys.stdin], [], [], 0.1)[0]:
        pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"codemode: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ncodemode: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
