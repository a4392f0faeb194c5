"""A real webhook receiver on 127.0.0.1: http.server in a thread, recording what it is sent
and answering with the status it is told."""

import contextlib
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """What a receiver checks (the example in docs/api.md)."""
        parts = dict(item.split("=", 1) for item in self.headers["X-CRM-Signature"].split(","))
        signed = parts["t"].encode() + b"." + self.body
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # The statuses to answer with, one per request; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    # Seconds to wait before answering each request, one per request; none once they run out.
    delays: list[float] = field(default_factory=list)

    @property
    def events(self) -> list[tuple[str, int]]:
        """(event, record id) of each request received, in order."""
        return [(r.json["event"], r.json["record"]["id"]) for r in self.requests]


@contextlib.contextmanager
def running_receiver():
    received = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append(Received(dict(self.headers), body))
            status = received.answers.pop(0) if received.answers else 200
            if received.delays:
                time.sleep(received.delays.pop(0))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_port}/hooks/crm"
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
