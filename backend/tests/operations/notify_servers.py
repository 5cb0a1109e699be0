"""Local receivers for the notification tests, on 127.0.0.1 and a free port: a small SMTP
server (enough of RFC 5321 for :mod:`smtplib`) and a chat webhook (http.server). Each can be
told to refuse its next ``fail_next`` messages."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["SmtpReceiver", "WebhookReceiver"]


class _Server:
    def __init__(self, server):
        self.server = server
        self.server.owner = self
        self.fail_next = 0
        self.received: list = []
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def take_failure(self) -> bool:
        if self.fail_next > 0:
            self.fail_next -= 1
            return True
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        owner = self.server.owner
        self._reply("220 localhost test SMTP")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif verb == "MAIL":
                self._reply("451 try again later" if owner.take_failure() else "250 OK")
            elif verb in ("RCPT", "RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                owner.received.append(self._message())
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")

    def _message(self) -> EmailMessage:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines), policy=email.policy.default)

    def _reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())


class SmtpReceiver(_Server):
    """``received``: the e-mails (``EmailMessage``: ``get_content()`` is the text)."""

    def __init__(self):
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        super().__init__(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler))


class _WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        owner = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if owner.take_failure():
            self.send_response(500)
            self.end_headers()
            return
        owner.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


class WebhookReceiver(_Server):
    """``received``: the JSON bodies posted (``{"text": ...}``)."""

    def __init__(self):
        super().__init__(ThreadingHTTPServer(("127.0.0.1", 0), _WebhookHandler))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/qlf"
