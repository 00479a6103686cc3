"""Test helpers: a real SMTP server on the loopback interface that keeps what it receives."""

import re
import socket
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class Collector:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []
        self.refuse = {}  # recipient address -> the SMTP reply refusing it, e.g. "550 No such user"
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if reply := self.refuse.get(address.lower()):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def received(self):
        with self._lock:
            return list(self.envelopes)


class LoopbackController(Controller):
    """Listens on a socket bound here to 127.0.0.1:0, so the port is free without a bind-close-rebind race."""

    def __init__(self, handler, port: int = 0, **kwargs):
        """`port` 0 picks a free one; a given port restarts a server where a stopped one was."""
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.listen()
        super().__init__(handler, hostname="127.0.0.1", port=self._sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


def close_response(response) -> None:
    """Close a (file-streaming) response without the request_finished signal, which would close the
    test's database connection, as Django's own test client avoids doing."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# Browser tests: Debian's Chromium driven by Playwright (fixtures `browser` and `page` in conftest).

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw-for-tests-only"  # conftest's `seat` gives every person this password


def sign_in(page, user):
    """Through the real sign-in page; a person of one network lands on it."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/n/kenya/$"))  # a user of one network lands on it
