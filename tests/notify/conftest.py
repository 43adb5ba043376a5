"""Fixtures for the outbox: a closed SMTP port, a local stand-in for the WhatsApp Cloud API."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import free_port


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    """Known retry settings; no task is enqueued on commit unless a test asks for it."""
    settings.NOTIFY_MAX_ATTEMPTS = 6
    settings.NOTIFY_BACKOFF_BASE_SECONDS = 60
    settings.NOTIFY_BACKOFF_MAX_SECONDS = 3600
    settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 900
    settings.NOTIFY_DISPATCH_ON_COMMIT = False
    settings.NOTIFY_MAILER = "default"
    settings.DEFAULT_FROM_EMAIL = "Layanan Kalbar <layanan@kalbarprov.go.id>"
    settings.WHATSAPP_ENABLED = False


@pytest.fixture
def smtp_down(settings):
    """Django's mailer pointed at a port where nothing listens (connection refused)."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    return port


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeWhatsAppAPI:
    """A local HTTP server answering like the Cloud API; ``reply`` sets the next answers."""

    base_url: str
    requests: list[RecordedRequest] = field(default_factory=list)
    status: int = 200
    payload: dict = field(
        default_factory=lambda: {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "6285812345678", "wa_id": "6285812345678"}],
            "messages": [{"id": "wamid.HBgNNjI4NTgxMjM0NTY3OBUCABEYEjA"}],
        }
    )

    def reply(self, status: int, payload: dict) -> None:
        self.status, self.payload = status, payload


@pytest.fixture
def whatsapp_api(settings):
    """WhatsApp switched on and pointed at a local server on 127.0.0.1 (no external network)."""
    api = FakeWhatsAppAPI(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            api.requests.append(
                RecordedRequest(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                )
            )
            body = json.dumps(api.payload).encode()
            self.send_response(api.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/v20.0"
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_TOKEN = "test-token-123"
    settings.WHATSAPP_PHONE_NUMBER_ID = "109876543210"
    settings.WHATSAPP_API_BASE = api.base_url
    settings.WHATSAPP_TIMEOUT = 5
    yield api
    server.shutdown()
    server.server_close()
