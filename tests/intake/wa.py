"""WhatsApp test parts: webhook payloads in the Cloud API's documented shape, signed with a
test secret, and a local stand-in for the Graph API (media and message endpoints) on
127.0.0.1 that the production client (``layanan.notify.whatsapp``) talks to over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP_SECRET = "uji-rahasia-aplikasi"
VERIFY_TOKEN = "uji-token-verifikasi"
TOKEN = "uji-token-graph"
GLOBAL_NUMBER_ID = "100000000000001"
KESRA_NUMBER_ID = "100000000000002"
CITIZEN = "6285812345678"  # wa_id: E.164 digits without "+"
WEBHOOK = "/masuk/whatsapp/webhook/"

_ids = itertools.count(1)


def wamid() -> str:
    return f"wamid.HBgNNjI4NTgxMjM0NTY3OBUCABIYFDNB{next(_ids):08d}"


def envelope(phone_number_id: str, *, messages=(), statuses=(), name="Siti Aminah", sender=CITIZEN):
    """One delivery: ``entry[].changes[].value`` with ``metadata``, ``contacts``, and the
    ``messages`` or ``statuses``."""
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281150000000", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": sender}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def message(kind: str, content: dict, *, at: int, sender=CITIZEN, id=None, context=None) -> dict:
    item = {"from": sender, "id": id or wamid(), "timestamp": str(at), "type": kind, kind: content}
    if context:
        item["context"] = context
    return item


def text(body: str, **kw) -> dict:
    return message("text", {"body": body}, **kw)


def status(provider_id: str, state: str, *, at: int, errors=None) -> dict:
    item = {
        "id": provider_id,
        "status": state,
        "timestamp": str(at),
        "recipient_id": CITIZEN,
        "conversation": {"id": "CONVERSATION_ID", "origin": {"type": "service"}},
        "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
    }
    if errors:
        item["errors"] = errors
    return item


def encode(payload: dict) -> bytes:
    """As Meta sends it: UTF-8 bytes (emoji and accents as they are)."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body: bytes, signature: str | None = "sign", *, commit: bool = True):
    """POST a delivery to the webhook; with ``commit`` the callbacks registered for after the
    request's commit run (the test's own transaction never commits)."""
    from django.test import TestCase

    if commit:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return post(client, body, signature, commit=False)
    headers = {}
    if signature == "sign":
        signature = sign(body)
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.post(WEBHOOK, data=body, content_type="application/json", **headers)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class GraphAPI:
    """The Graph API on loopback: ``GET /v20.0/{media-id}`` (the file's URL, type, size,
    SHA-256), ``GET /files/{media-id}`` (the bytes, bearer token required) and ``POST
    /v20.0/{phone-number-id}/messages`` (answers a new message id)."""

    root: str = ""
    requests: list[Request] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_status: dict[str, int] = field(default_factory=dict)
    sent_ids: list[str] = field(default_factory=list)
    send_status: int = 200
    send_error: dict | None = None

    @property
    def base_url(self) -> str:
        return f"{self.root}/v20.0"

    def add_media(self, data: bytes, mime: str) -> str:
        media_id = str(900000000000000 + next(_ids))
        self.media[media_id] = (data, mime)
        return media_id

    def sent(self) -> list[dict]:
        return [r.json() for r in self.requests if r.method == "POST"]

    def downloads(self) -> list[Request]:
        return [r for r in self.requests if r.path.startswith("/files/")]


def start_graph_api() -> tuple[GraphAPI, ThreadingHTTPServer]:
    api = GraphAPI()

    class Handler(BaseHTTPRequestHandler):
        def _record(self, body=b""):
            api.requests.append(
                Request(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )

        def _answer(self, status: int, body: bytes, ctype="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                return True
            self._answer(401, b'{"error": {"message": "Invalid OAuth access token", "code": 190}}')
            return False

        def do_GET(self):
            self._record()
            if not self._authorised():
                return
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts[0] == "files" and parts[1] in api.media:
                data, mime = api.media[parts[1]]
                return self._answer(200, data, mime)
            if parts[0] == "v20.0" and len(parts) == 2 and parts[1] in api.media:
                status = api.media_status.get(parts[1], 200)
                if status != 200:
                    return self._answer(
                        status, json.dumps({"error": {"message": "gone", "code": 100}}).encode()
                    )
                data, mime = api.media[parts[1]]
                info = {
                    "messaging_product": "whatsapp",
                    "url": f"{api.root}/files/{parts[1]}",
                    "mime_type": mime,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "file_size": str(len(data)),
                    "id": parts[1],
                }
                return self._answer(200, json.dumps(info).encode())
            self._answer(404, b'{"error": {"message": "Unknown path", "code": 100}}')

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self._record(self.rfile.read(length))
            if not self._authorised():
                return
            if api.send_status != 200:
                return self._answer(api.send_status, json.dumps(api.send_error or {}).encode())
            provider_id = wamid().replace("wamid.", "wamid.OUT")
            api.sent_ids.append(provider_id)
            answer = {
                "messaging_product": "whatsapp",
                "contacts": [{"input": CITIZEN, "wa_id": CITIZEN}],
                "messages": [{"id": provider_id}],
            }
            self._answer(200, json.dumps(answer).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.root = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return api, server
