"""A deliberately badly behaved HTTP/1.1 server on 127.0.0.1, for the fetcher's tests.

It runs its own asyncio loop in a thread, writes raw bytes (so it can lie about lengths, reset
connections and trickle), and closes every connection after one response. Each route is one
misbehaviour; `requests` records every path asked for, so a test can prove no request was made.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import socket
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from functools import cache
from urllib.parse import parse_qs, urlsplit

import brotli

Handler = Callable[[asyncio.StreamWriter, str], Awaitable[None]]

BOMB_SIZE = 100 * 1024 * 1024  # decoded size of the compression bombs


@cache
def gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [packer.compress(zeros) for _ in range(BOMB_SIZE >> 20)]
    return b"".join([*parts, packer.flush()])


@cache
def nested_gzip_bomb() -> bytes:
    return gzip.compress(gzip_bomb(), 9)  # about 300 bytes


@cache
def brotli_bomb() -> bytes:
    packer = brotli.Compressor(quality=5)
    zeros = bytes(1 << 20)
    parts = [packer.process(zeros) for _ in range(BOMB_SIZE >> 20)]
    return b"".join([*parts, packer.finish()])


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "A test document"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


META_CHARSET_PAGE = (
    '<html><head><meta charset="windows-1251"><title>Новости</title></head>'
    "<body><p>Министр заявил, что безработица упала.</p></body></html>"
).encode("windows-1251")

HUGE_TITLE_PAGE = (
    b"<html><head><title>" + b"Breaking " * 250_000 + b"</title></head><body>x</body></html>"
)

SCRIPT_ONLY_PAGE = (
    b"<html><head><style>body{color:red}</style><script>var a = 1;</script></head>"
    b"<body><script>document.write('hi')</script></body></html>"
)


def response_head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class HostileServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        self.hits: Counter[str] = Counter()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._routes: dict[str, Handler] = {
            "/ok": self.ok,
            "/slow-first-byte": self.slow_first_byte,
            "/trickle": self.trickle,
            "/endless": self.endless,
            "/big-length": self.big_length,
            "/gzip-bomb": self.gzip_bomb,
            "/gzip-bomb-nested": self.gzip_bomb_nested,
            "/brotli-bomb": self.brotli_bomb,
            "/nested-ok": self.nested_ok,
            "/deflate-raw": self.deflate_raw,
            "/encoding-tower": self.encoding_tower,
            "/bad-gzip": self.bad_gzip,
            "/loop-a": self.loop_a,
            "/loop-b": self.loop_b,
            "/redirect": self.redirect,
            "/status": self.status,
            "/retry": self.retry,
            "/reset-mid-body": self.reset_mid_body,
            "/short-body": self.short_body,
            "/meta-charset": self.meta_charset,
            "/png-as-html": self.png_as_html,
            "/pdf": self.pdf,
            "/huge-title": self.huge_title,
            "/script-only": self.script_only,
            "/cookie": self.cookie,
        }

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop

            async def main() -> None:
                server = await asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=128)
                self.port = server.sockets[0].getsockname()[1]
                ready.set()
                async with server:
                    await server.serve_forever()

            try:
                loop.run_until_complete(main())
            except asyncio.CancelledError:
                pass
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="hostile-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the hostile server did not start")

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return

        def cancel_all() -> None:
            for task in asyncio.all_tasks(loop):
                task.cancel()

        loop.call_soon_threadsafe(cancel_all)
        self._thread.join(10)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    # -- plumbing -----------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request_line = await reader.readline()
            headers: dict[str, str] = {}
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            parts = request_line.decode("latin-1").split()
            if len(parts) < 2:
                return
            target = parts[1]
            path = urlsplit(target).path
            self.requests.append(target)
            self.request_headers.append(headers)
            route = "/" + path.strip("/").split("/")[0]
            self.hits[path] += 1
            handler = self._routes.get(route, self.not_found)
            await handler(writer, target)
            await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def send(
        self, writer: asyncio.StreamWriter, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        writer.write(response_head(status, [*headers, ("Content-Length", str(len(body)))]) + body)
        await writer.drain()

    # -- routes -------------------------------------------------------------------------------

    async def not_found(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "404 Not Found", [("Content-Type", "text/plain")], b"no")

    async def ok(self, writer: asyncio.StreamWriter, target: str) -> None:
        body = b"<html><head><title>Fine</title></head><body>hello</body></html>"
        await self.send(writer, "200 OK", [("Content-Type", "text/html; charset=utf-8")], body)

    async def slow_first_byte(self, writer: asyncio.StreamWriter, target: str) -> None:
        await asyncio.sleep(30)
        await self.ok(writer, target)

    async def trickle(self, writer: asyncio.StreamWriter, target: str) -> None:
        writer.write(response_head("200 OK", [("Transfer-Encoding", "chunked")]))
        while True:  # one byte every 50 ms: each read is quick, the body never ends
            writer.write(b"1\r\na\r\n")
            await writer.drain()
            await asyncio.sleep(0.05)

    async def endless(self, writer: asyncio.StreamWriter, target: str) -> None:
        writer.write(response_head("200 OK", [("Transfer-Encoding", "chunked")]))
        block = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
        while True:
            writer.write(block)
            await writer.drain()

    async def big_length(self, writer: asyncio.StreamWriter, target: str) -> None:
        writer.write(response_head("200 OK", [("Content-Length", str(1 << 40))]))
        while True:
            writer.write(b"y" * 65536)
            await writer.drain()

    async def gzip_bomb(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Encoding", "gzip")], gzip_bomb())

    async def gzip_bomb_nested(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Encoding", "gzip, gzip")], nested_gzip_bomb())

    async def brotli_bomb(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Encoding", "br")], brotli_bomb())

    async def nested_ok(self, writer: asyncio.StreamWriter, target: str) -> None:
        body = brotli.compress(gzip.compress(b"<p>twice compressed</p>" * 1000))
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip, br")]
        await self.send(writer, "200 OK", headers, body)

    async def deflate_raw(self, writer: asyncio.StreamWriter, target: str) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = packer.compress(b"raw deflate " * 100) + packer.flush()
        await self.send(writer, "200 OK", [("Content-Encoding", "deflate")], body)

    async def encoding_tower(self, writer: asyncio.StreamWriter, target: str) -> None:
        body = b"hi"
        for _ in range(4):
            body = gzip.compress(body)
        await self.send(writer, "200 OK", [("Content-Encoding", "gzip, gzip, gzip, gzip")], body)

    async def bad_gzip(self, writer: asyncio.StreamWriter, target: str) -> None:
        body = b"\x1f\x8b\x08\x00not really gzip at all"
        await self.send(writer, "200 OK", [("Content-Encoding", "gzip")], body)

    async def loop_a(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "302 Found", [("Location", "/loop-b")], b"")

    async def loop_b(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "302 Found", [("Location", "/loop-a")], b"")

    async def redirect(self, writer: asyncio.StreamWriter, target: str) -> None:
        location = parse_qs(urlsplit(target).query)["to"][0]
        await self.send(writer, "302 Found", [("Location", location)], b"")

    async def status(self, writer: asyncio.StreamWriter, target: str) -> None:
        code = int(urlsplit(target).path.rsplit("/", 1)[1])
        phrase = {404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}
        await self.send(writer, f"{code} {phrase.get(code, 'X')}", [], b"error page")

    async def retry(self, writer: asyncio.StreamWriter, target: str) -> None:
        # /retry/<key>?after=N: first request gets 429 with Retry-After N, later ones 200.
        path = urlsplit(target).path
        after = parse_qs(urlsplit(target).query).get("after", ["1"])[0]
        if self.hits[path] == 1:
            await self.send(writer, "429 Too Many Requests", [("Retry-After", after)], b"")
        else:
            await self.ok(writer, target)

    async def reset_mid_body(self, writer: asyncio.StreamWriter, target: str) -> None:
        writer.write(response_head("200 OK", [("Content-Length", "100000")]) + b"z" * 1000)
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        # SO_LINGER with a zero timeout turns close() into a TCP reset.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def short_body(self, writer: asyncio.StreamWriter, target: str) -> None:
        writer.write(response_head("200 OK", [("Content-Length", "1000")]) + b"only ten b")
        await writer.drain()

    async def meta_charset(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Type", "text/html")], META_CHARSET_PAGE)

    async def png_as_html(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Type", "text/html")], png_bytes())

    async def pdf(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Type", "application/pdf")], pdf_bytes())

    async def huge_title(self, writer: asyncio.StreamWriter, target: str) -> None:
        headers = [("Content-Type", "text/html; charset=utf-8")]
        await self.send(writer, "200 OK", headers, HUGE_TITLE_PAGE)

    async def script_only(self, writer: asyncio.StreamWriter, target: str) -> None:
        await self.send(writer, "200 OK", [("Content-Type", "text/html")], SCRIPT_ONLY_PAGE)

    async def cookie(self, writer: asyncio.StreamWriter, target: str) -> None:
        # /cookie/set sets a cookie and redirects to /cookie/check, which echoes the Cookie header.
        if target.startswith("/cookie/set"):
            headers = [("Set-Cookie", "consent=yes; Path=/"), ("Location", "/cookie/check")]
            await self.send(writer, "302 Found", headers, b"")
        else:
            seen = self.request_headers[-1].get("cookie", "")
            await self.send(writer, "200 OK", [("Content-Type", "text/plain")], seen.encode())
