"""A stand-in for Google's Fact Check Tools API on 127.0.0.1, speaking its documented JSON:
GET /v1alpha1/claims:search with query, languageCode, pageSize, pageToken and key; replies
`{"claims": [...], "nextPageToken": "..."}`, and errors as `{"error": {"code", "message",
"status"}}` (400 INVALID_ARGUMENT for a bad key, 429 RESOURCE_EXHAUSTED for the quota)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KEY = "test-key-123"
PATH = "/v1alpha1/claims:search"


def claim(number: int, language: str = "en") -> dict[str, Any]:
    return {
        "text": f"Vaccine claim number {number} about microchips",
        "claimant": "Social media posts",
        "claimDate": "2021-02-01T00:00:00Z",
        "claimReview": [
            {
                "publisher": {"name": f"Checker {number % 3}", "site": f"checker{number % 3}.test"},
                "url": f"https://checker{number % 3}.test/check/{number}",
                "title": f"Check {number}",
                "reviewDate": "2021-02-03T00:00:00Z",
                "textualRating": "False" if language == "en" else "Falso",
                "languageCode": language,
            }
        ],
    }


CORPUS = [claim(n) for n in range(1, 26)] + [claim(n, "es") for n in range(26, 31)]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, code: int, status: str, message: str) -> None:
        self._reply(code, {"error": {"code": code, "message": message, "status": status}})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.server.requests.append(params)
        if url.path != PATH:
            self._error(404, "NOT_FOUND", "not found")
            return
        if params.get("key") != KEY:
            self._error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
            return
        query = params.get("query", "")
        if "quota" in query:
            self._error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric")
            return
        if "broken" in query:
            body = b"<html>oops</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        language = params.get("languageCode")
        hits = [
            c
            for c in CORPUS
            if all(w in c["text"].lower() for w in query.lower().split())
            and (language is None or c["claimReview"][0]["languageCode"] == language)
        ]
        size = int(params.get("pageSize", "10"))
        start = int(params.get("pageToken", "0") or 0)
        page: dict[str, Any] = {"claims": hits[start : start + size]} if hits else {}
        if start + size < len(hits):
            page["nextPageToken"] = str(start + size)
        self._reply(200, page)


class _Server(ThreadingHTTPServer):
    requests: list[dict[str, str]]


class FactCheckApi:
    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{PATH}"

    @property
    def requests(self) -> list[dict[str, str]]:
        return self.httpd.requests

    def start(self) -> FactCheckApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
