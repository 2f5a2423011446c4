"""Content-Encoding decoded stage by stage, each stage with an output limit, and the cap
applied to the decoded bytes (httpx decodes before anyone can count: GUIDE section 7).

Used on the event loop while a body streams in, so every step yields at most _STEP bytes."""

from __future__ import annotations

import tempfile
import zlib
from typing import IO, Any, Protocol

import httpx

try:  # brotli is optional: without it "br" is simply not offered to servers
    import brotli

    HAVE_BROTLI = hasattr(brotli.Decompressor(), "can_accept_more_data")  # output limit: >= 1.2
except ImportError:  # pragma: no cover
    HAVE_BROTLI = False

__all__ = [
    "HAVE_BROTLI",
    "BoundedBody",
    "DecodeError",
    "RawBody",
    "TooLarge",
    "content_encodings",
    "decoding_message",
    "too_large_message",
]

_STEP = 64 * 1024  # most bytes a decoder stage may produce per call
_MAX_ENCODINGS = 3  # "gzip, gzip" is legal; a tower of them is an attack
# Bytes of one body as sent kept in memory while it streams in; the rest waits in a file.
SPOOL_AT = 1024 * 1024


class DecodeError(Exception):
    """The body is not valid in its declared content encoding."""


class TooLarge(Exception):
    """The decoded body passed the cap."""


class _Stage(Protocol):
    def feed(self, data: bytes) -> bytes:
        """Decode `data`; return at most about _STEP bytes, keeping the rest for `more`."""

    def pending(self) -> bool:
        """True when output is waiting and `feed(b"")` must be called again."""

    def finish(self) -> None:
        """Raise DecodeError if the compressed stream stopped before its end."""


class _ZlibStage:
    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._d: Any = None  # zlib's decompress object has no public type
        self._full = False
        self._fed = False

    def _start(self, data: bytes) -> None:
        if self._encoding == "deflate":
            # HTTP "deflate" means zlib-wrapped, but some servers send raw deflate.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        else:
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        if self._d is None:
            if not data:
                return b""
            self._start(data)
        if data:
            self._fed = True
        if self._d.eof:
            tail = self._d.unused_data + data
            if self._encoding != "deflate" and tail[:2] == b"\x1f\x8b":
                self._start(tail)  # another gzip member (RFC 1952 allows several)
                data = tail
            else:
                return b""  # bytes after the end of the stream are ignored, as browsers do
        else:
            data = self._d.unconsumed_tail + data
        try:
            out: bytes = self._d.decompress(data, _STEP)
        except zlib.error as exc:
            raise DecodeError(f"the {self._encoding} data is corrupt ({exc})") from None
        self._full = len(out) >= _STEP
        return out

    def pending(self) -> bool:
        if self._d is None:
            return False
        if self._d.eof:
            return self._encoding != "deflate" and self._d.unused_data[:2] == b"\x1f\x8b"
        return self._full or bool(self._d.unconsumed_tail)

    def finish(self) -> None:
        if self._fed and not self._d.eof:
            raise DecodeError(f"the {self._encoding} data ends before its end marker")


class _BrotliStage:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()
        self._full = False
        self._fed = False

    def feed(self, data: bytes) -> bytes:
        if data:
            self._fed = True
            if self._d.is_finished():
                return b""
        try:
            out: bytes = self._d.process(data, output_buffer_limit=_STEP)
        except brotli.error as exc:
            raise DecodeError(f"the br data is corrupt ({exc})") from None
        # The limit is a soft one (the buffer grows in blocks), so "full" means reached.
        self._full = len(out) >= _STEP
        return out

    def pending(self) -> bool:
        if self._d.is_finished():
            return False
        return self._full or not self._d.can_accept_more_data()

    def finish(self) -> None:
        if self._fed and not self._d.is_finished():
            raise DecodeError("the br data ends before its end marker")


def content_encodings(response: httpx.Response) -> list[str]:
    names = [
        name.strip().lower()
        for value in response.headers.get_list("content-encoding")
        for name in value.split(",")
    ]
    return [name for name in names if name and name != "identity"]


class BoundedBody:
    """The decoded body, decoded through every content encoding with a cap on each step."""

    def __init__(self, encodings: list[str], max_bytes: int) -> None:
        if len(encodings) > _MAX_ENCODINGS:
            raise DecodeError(
                f"the body is compressed {len(encodings)} times over ({', '.join(encodings)}); "
                f"more than {_MAX_ENCODINGS} layers are refused"
            )
        stages: list[_Stage] = []
        for name in reversed(encodings):  # the last encoding listed was applied last
            if name in ("gzip", "x-gzip"):
                stages.append(_ZlibStage("gzip"))
            elif name == "deflate":
                stages.append(_ZlibStage("deflate"))
            elif name == "br" and HAVE_BROTLI:
                stages.append(_BrotliStage())
            else:
                raise DecodeError(f"the server used the {name!r} content encoding, not supported")
        self._stages = stages
        self._max = max_bytes
        self._size = 0
        # A list of pieces, not a growing buffer: growing one by realloc briefly needs twice its
        # size, and the freed big blocks fragment the heap (RSS 376 MB instead of ~120 MB in
        # benchmarks/fetch_speed.py with 8 fetches capped at 10 MB).
        self._pieces: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._push(0, data)

    def _push(self, index: int, data: bytes) -> None:
        if index == len(self._stages):
            self._size += len(data)
            if self._size > self._max:
                self._pieces = []  # let go now, whoever still holds this object
                raise TooLarge
            self._pieces.append(data)
            return
        stage = self._stages[index]
        out = stage.feed(data)
        while True:
            if out:
                self._push(index + 1, out)
            if not stage.pending():
                return
            out = stage.feed(b"")

    def finish(self) -> bytes:
        for stage in self._stages:
            stage.finish()
        body = b"".join(self._pieces)
        self._pieces = []
        return body


class RawBody:
    """A body as sent, capped at `max_bytes`: in memory up to SPOOL_AT bytes, past that in an
    unnamed temporary file until it is complete. Eight fetches of bodies that turn out too
    large then hold 8 MB between them instead of 80 MB."""

    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._size = 0
        self._pieces: list[bytes] = []
        self._file: IO[bytes] | None = None

    def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            self.close()  # let go now, whoever still holds this object
            raise TooLarge
        if self._file is None and self._size > SPOOL_AT:
            self._file = tempfile.TemporaryFile(prefix="workbench-body-")
            self._file.writelines(self._pieces)
            self._pieces = []
        if self._file is not None:
            self._file.write(data)
        else:
            self._pieces.append(data)

    def finish(self) -> bytes:
        if self._file is None:
            body = b"".join(self._pieces)
        else:
            self._file.seek(0)
            body = self._file.read()
        self.close()
        return body

    def close(self) -> None:
        self._pieces = []
        if self._file is not None:
            self._file.close()  # unnamed: closing it frees the disk space
            self._file = None


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large_message(max_bytes: int) -> str:
    return f"the server sent more than {_size(max_bytes)}; raise fetch.max_bytes to allow it"


def decoding_message(exc: Exception) -> str:
    return f"could not decode the body: {exc}"
