"""A small LangSmith endpoint for the tests: a stdlib HTTP server on 127.0.0.1 that records
the runs the real ``langsmith`` client posts, so tests see what users see in LangSmith.

It answers ``/info`` saying the multipart endpoint is off, so the client sends plain JSON
(``POST /runs/batch``, ``POST /runs``, ``PATCH /runs/<id>``); each run's creates and updates
are merged by id, as LangSmith does.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.tracers.langchain import LangChainTracer
from langsmith import Client

__all__ = ["Recorder", "langsmith_endpoint"]


class Recorder:
    """The runs received so far, merged by id."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._runs: dict[str, dict[str, Any]] = {}
        self.client = Client(api_url=url, api_key="test-key")
        self.tracer = LangChainTracer(client=self.client, project_name="codemode-tests")

    def receive(self, run: dict[str, Any]) -> None:
        with self._lock:
            merged = self._runs.setdefault(str(run.get("id")), {})
            merged.update({k: v for k, v in run.items() if v is not None or k not in merged})

    def runs(self) -> list[dict[str, Any]]:
        """Every run posted, in start order, after the client has sent all it holds."""
        self.tracer.wait_for_futures()
        self.client.flush()
        with self._lock:
            runs = [dict(run) for run in self._runs.values()]
        return sorted(runs, key=lambda run: str(run.get("dotted_order") or run.get("start_time")))

    def clear(self) -> None:
        self.runs()
        with self._lock:
            self._runs.clear()


_BATCH_CONFIG = {
    "use_multipart_endpoint": False,
    "scale_up_qsize_trigger": 1000,
    "scale_up_nthreads_limit": 1,
    "scale_down_nempty_trigger": 4,
    "size_limit": 100,
    "size_limit_bytes": 20_971_520,
}


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _body(self) -> Any:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
            return json.loads(data) if data else None

        def _reply(self, payload: Any, status: int = 200) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith("/info"):
                self._reply({"version": "0.0.0", "batch_ingest_config": _BATCH_CONFIG})
            else:
                self._reply({})

        def do_POST(self) -> None:
            body = self._body()
            if self.path.startswith("/runs/batch"):
                for run in [*(body.get("post") or []), *(body.get("patch") or [])]:
                    recorder.receive(run)
            elif self.path.rstrip("/").endswith("/runs"):
                recorder.receive(body)
            self._reply({})

        def do_PATCH(self) -> None:
            body = self._body() or {}
            if self.path.startswith("/runs/"):
                body.setdefault("id", self.path.rsplit("/", 1)[-1])
                recorder.receive(body)
            self._reply({})

    return Handler


@contextmanager
def langsmith_endpoint() -> Iterator[Recorder]:
    """A running endpoint and a ``Recorder`` whose ``client``/``tracer`` post to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(None))  # type: ignore[arg-type]
    recorder = Recorder(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(recorder)
    thread = threading.Thread(target=server.serve_forever, name="langsmith-endpoint", daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.runs()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
