"""Turn bytes of unknown provenance into text, or refuse them with a clear reason.

Order of evidence, strongest first: a byte-order mark, binary signatures, a declared
charset (HTTP header, ``<meta>``, the caller), strict UTF-8, then detection of legacy
encodings. A declared single-byte charset loses to data that is valid multi-byte UTF-8,
because mislabelled UTF-8 pages are common and legacy text is almost never valid UTF-8 by
accident.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = [
    "BinaryContentError",
    "DecodeError",
    "decode_text",
    "html_declared_charset",
]


class DecodeError(ValueError):
    """The bytes could not be read as text in any plausible encoding."""


class BinaryContentError(DecodeError):
    """The bytes are a binary file (an image, an archive, a PDF...), not text."""


# Signatures of common binary formats, checked at offset 0.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"RIFF", "a RIFF media file (WebP, WAV, AVI)"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x7fELF", "an ELF executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

# BOMs, longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels that browsers (WHATWG Encoding) read as windows-1252; Python would be stricter.
_WINDOWS_1252_ALIASES = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252"})

# Control bytes that never occur in text (tab, newlines, form feed and ESC excepted).
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B)))
_CONTROL_BYTES = _CONTROL_BYTES | frozenset(range(0x1C, 0x20)) | frozenset({0x7F})

_SNIFF = 8192

# Tie-break between equally clean detections (short text): commonest on the web first.
_PREFERRED = {
    name: rank
    for rank, name in enumerate(
        "cp1252 cp1250 cp1251 gb18030 shift_jis euc_jp big5 euc_kr cp949 gb2312 koi8_r "
        "cp1253 cp1254 cp1255 cp1256 iso8859_2 iso8859_15 latin_1 cp1257 cp1258 "
        "iso8859_5 iso8859_7 iso8859_9 koi8_u tis_620 cp874".split()
    )
}

# Characters a Western-European text decoded as windows-1252 plausibly contains.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŽžŸ"
    "“”‘’„‚–—…•€£¥©®°«»·§¶±×÷½¼¾²\u00a0"
)
# Spanish opening marks are plausible only at the start of a word.
_BAD_INVERTED = re.compile(r"\w[¿¡]")


def _codec_name(label: str) -> str | None:
    """Python's canonical codec name for a charset label, or None when unknown."""
    cleaned = label.strip().strip("\"'").strip().lower()
    if not cleaned:
        return None
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        return None


def _sniff_binary(data: bytes) -> str | None:
    """Describe ``data`` if it looks like a binary file, else None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    controls = len(head) - len(head.translate(None, bytes(_CONTROL_BYTES)))  # C, not a loop
    if head and controls / len(head) > 0.05:
        return "binary data (it is full of control bytes)"
    return None


def _plausible(text: str) -> bool:
    """True when decoded text has few characters that real text never contains."""
    if not text:
        return True
    bad = 0
    for ch in text[:20000]:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\t\n\r\f\x1b") or cat in ("Co", "Cn") or ch == "\ufffd":
            bad += 1
    return bad / min(len(text), 20000) < 0.01


def _looks_western(text: str) -> bool:
    """True when ``text`` read as windows-1252 looks like a Western-European language."""
    letters = 0
    non_ascii_letters = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
            continue
        if ch not in _WESTERN and ch not in "¿¡":
            return False
        if ch.isalpha():
            letters += 1
            non_ascii_letters += 1
    if _BAD_INVERTED.search(text):
        return False
    # Cyrillic or Greek read as 1252 turns almost every letter into an accented one.
    return letters == 0 or non_ascii_letters / letters < 0.3


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """Read BOM-less UTF-16 whose NUL bytes fall in a regular pattern (mostly ASCII text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:_SNIFF]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    for nuls, others, codec in (
        (odd_nuls, even_nuls, "utf-16-le"),
        (even_nuls, odd_nuls, "utf-16-be"),
    ):
        if nuls >= 0.6 * half and others <= 0.02 * half:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return text if _plausible(text) else None
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if _plausible(text) else None


def _detect_legacy(data: bytes) -> tuple[str | None, list[str]]:
    """Guess a legacy encoding; returns the text (or None) and the encodings tried."""
    tried: list[str] = []
    # charset_normalizer cannot tell windows-1252 from its neighbours on short Western
    # text (it says cp1250 for "café"), so windows-1252 goes first when it reads plainly.
    tried.append("windows-1252")
    western = _try(data, "cp1252")
    if western is not None and _looks_western(western):
        return western, tried

    from charset_normalizer import from_bytes  # lazy: only legacy bytes need it

    results = list(from_bytes(data))
    tried.append("charset_normalizer detection")
    if results:
        # Equally clean readings: prefer the encodings most used on the web.
        least = min(r.chaos for r in results)
        clean = [r for r in results if r.chaos <= least + 0.01]
        best = min(clean, key=lambda r: _PREFERRED.get(r.encoding, len(_PREFERRED)))
        text = str(best)
        tried.append(best.encoding)
        if _plausible(text):
            return text, tried
    return None, tried


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` into text.

    ``declared`` is a charset label from an HTTP header, a ``<meta>`` tag or the caller.
    A byte-order mark overrides it; an unknown label is ignored. Raises
    :class:`BinaryContentError` for binary files and :class:`DecodeError` when no
    plausible encoding fits, naming the encodings tried.
    """
    if not data:
        return ""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(bom_codec)
            except UnicodeDecodeError as exc:
                name = bom_codec.upper().removesuffix("-SIG")
                raise DecodeError(
                    f"the data starts with a {name} byte-order mark but is not valid "
                    f"{name} (byte {exc.start}); re-save the file as UTF-8"
                ) from exc

    tried: list[str] = []
    codec = _codec_name(declared) if declared else None
    if declared and codec is None:
        tried.append(f"declared {declared!r} (unknown to Python, ignored)")

    # A declared UTF-16/32 without a BOM legitimately contains NUL bytes.
    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        text = _try(data, codec)
        if text is not None:
            return text
        tried.append(codec)
        codec = None

    what = _sniff_binary(data)
    if what is not None:
        if what.startswith("binary data (it contains NUL"):
            text = _decode_utf16_without_bom(data)
            if text is not None:
                return text
        raise BinaryContentError(
            f"this looks like {what}, not text; give an article as text, Markdown or HTML"
        )

    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None

    if codec is not None and codec != "utf-8":
        if utf8 is not None and not utf8.isascii():
            return utf8  # mislabelled UTF-8: see the module docstring
        candidates = ["cp1252", "latin-1"] if codec in _WINDOWS_1252_ALIASES else [codec]
        for candidate in candidates:
            text = _try(data, candidate)
            if text is not None:
                return text
            tried.append(f"declared {declared} as {candidate}")
    if utf8 is not None:
        return utf8
    tried.append("utf-8")

    text, more = _detect_legacy(data)
    if text is not None:
        return text
    tried.extend(more)
    raise DecodeError(
        "could not decode the text; tried "
        + ", ".join(dict.fromkeys(tried))
        + ". Re-save it as UTF-8, or give its encoding explicitly"
    )


_META_RE = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)
_XML_DECL_RE = re.compile(
    rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)", re.IGNORECASE
)
_COMMENT_RE = re.compile(rb"<!--.*?(?:-->|\Z)", re.DOTALL)


def html_declared_charset(data: bytes, *, limit: int = 4096) -> str | None:
    """The charset an HTML document declares in its first ``limit`` bytes, or None.

    Finds ``<meta charset=...>``, ``<meta http-equiv="Content-Type" content="...;
    charset=...">`` and an XML declaration; ignores commented-out tags and labels Python
    does not know. A declared UTF-16 in a byte-compatible document means UTF-8 (as in
    browsers), since the tag could not have been read otherwise.
    """
    head = _COMMENT_RE.sub(b"", data[:limit])
    match = _XML_DECL_RE.search(head) or _META_RE.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    codec = _codec_name(label)
    if codec is None:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return label
