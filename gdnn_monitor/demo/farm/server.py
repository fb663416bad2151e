"""One threaded HTTP server per farm site, bound to its own 127.0.0.x address, recording every request."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    headers: dict[str, str]


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:  # a client hanging up early is not a test failure
        pass


def make_handler(site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self._answer({})

        def do_POST(self) -> None:
            """A form posted back (ASP.NET pagers): its fields reach the site's route like query parameters."""
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qsl(self.rfile.read(length).decode("utf-8", "replace"), keep_blank_values=True)
            self._answer(dict(form))

        def _answer(self, form: dict[str, str]) -> None:
            site.hits.append(Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True)) | form
            try:
                reply = site.route(parts.path, query, self.headers)
            except Exception as exc:  # a bug in a farm page shows as a 500 with the reason, like a real site
                reply = Reply(500, f"farm error: {exc!r}", "text/plain")
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class SiteServer:
    """Serves `site` on (ip, a free port) in a daemon thread until stop()."""

    def __init__(self, site, ip: str) -> None:
        self.site = site
        self.server = QuietServer((ip, 0), make_handler(site))
        self.port = self.server.server_address[1]
        site.base = f"http://{ip}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"farm-{ip}", daemon=True)

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def gzipped(data: str) -> bytes:
    return gzip.compress(data.encode("utf-8"))
