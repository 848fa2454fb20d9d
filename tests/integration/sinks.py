"""Far sides that count what they receive: an SMTP server and a group-chat robot.

The fault test checks at-least-once and at-most-twice per reminder on the far side,
where duplicates land, so both keep a Counter keyed by the message's recipient and text.
"""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self._say("354 go ahead")
                self.server.record(recipients, self._data())  # type: ignore[attr-defined]
                recipients = []
                self._say("250 queued")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self._say("250 ok")
            elif verb == b"QUIT":
                self._say("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RSET, NOOP
                self._say("250 ok")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Smtp)
        self.port = self.server_address[1]
        self.received: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def record(self, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        text = f"{message['Subject']}\n{message.get_body().get_content()}"  # type: ignore[union-attr]
        with self._lock:
            for recipient in recipients:
                self.received[(recipient, text)] += 1


class _Robot(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        payload: dict[str, Any] = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = payload["text"]
        self.server.record((",".join(text.get("mentioned_mobile_list", [])), text["content"]))  # type: ignore[attr-defined]
        body = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class RobotSink(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Robot)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/cgi-bin/webhook/send?key=fault-test"
        self.received: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def record(self, key: tuple[str, str]) -> None:
        with self._lock:
            self.received[key] += 1
