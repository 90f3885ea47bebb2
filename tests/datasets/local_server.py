"""A small HTTP server on 127.0.0.1 for the download tests: serves a table of files, counts requests, and can
cut a file short (closing the connection mid-body) or serve wrong bytes. Nothing else is ever contacted."""

from __future__ import annotations

import contextlib
import http.server
import pathlib
import threading

SHARED = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"
MAX_REQUESTS = 50  # a runaway client gets 429s, never an endless stream


class LocalServer:
    """``files`` maps a URL path (``"/mnist.npz"``) to a file path or bytes; ``cut`` maps a URL path to the
    number of body bytes sent before the connection is closed (the full length is still announced)."""

    def __init__(self, files: dict, cut: dict | None = None):
        self.files, self.cut, self.requests = dict(files), dict(cut or {}), []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = 10

            def do_GET(self):  # noqa: N802 (http.server's naming)
                owner.requests.append(self.path)
                if len(owner.requests) > MAX_REQUESTS:
                    self.send_error(429)
                    return
                source = owner.files.get(self.path)
                if source is None:
                    self.send_error(404)
                    return
                body = source if isinstance(source, bytes) else pathlib.Path(source).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                limit = owner.cut.get(self.path)
                self.wfile.write(body if limit is None else body[:limit])
                if limit is not None:
                    self.wfile.flush()
                    self.close_connection = True

            def log_message(self, *args):  # keep the test output clean
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def count(self, name: str) -> int:
        """How many requests asked for ``/name``."""
        return self.requests.count("/" + name)


@contextlib.contextmanager
def serve(files: dict, cut: dict | None = None):
    """A running ``LocalServer``, shut down after the block."""
    server = LocalServer(files, cut)
    server._thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()
        server._thread.join(timeout=5)
