"""Readers: any published file → ``RawDocument`` → (``assemble``) → ``Disclosure``.

``read(path)`` recognises the format from the content (not only the extension), runs
that format's reader and the assembler. Readers are imported lazily: reading markdown
never imports the PDF library.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from yusuan.model import Disclosure
from yusuan.parse import _accel
from yusuan.parse.errors import UnreadableError
from yusuan.parse.raw import RawDocument

__all__ = ["UnreadableError", "detect_format", "read", "read_raw"]

_accel.guard()  # before any compiled module can be imported

#: format → module in yusuan.parse providing ``read_raw(data: bytes, source: str) -> RawDocument``
READERS: dict[str, str] = {
    "md": "markdown",
    "pdf": "pdf",
    "xlsx": "xlsx",
    "docx": "docx",
    "html": "html",
}

#: Refuse files larger than this outright (a hostile or mistaken upload).
MAX_BYTES = 200 * 1024 * 1024


def detect_format(data: bytes, name: str = "") -> str | None:
    """The format of ``data`` from its first bytes, falling back to the extension."""
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or name.lower().endswith(".docx"):
            return "docx"
        if b"xl/" in data[:65536] or name.lower().endswith(".xlsx"):
            return "xlsx"
        return {".docx": "docx", ".xlsx": "xlsx"}.get(Path(name).suffix.lower())
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip().lower()
    if text.startswith(("<!doctype html", "<html")) or "<table" in text[:1024]:
        return "html"
    ext = Path(name).suffix.lower()
    if ext in (".md", ".markdown", ".txt"):
        return "md"
    if ext in (".html", ".htm"):
        return "html"
    if "|" in text or text:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "md"
    return None


def read_raw(data: bytes, source: str) -> RawDocument:
    """The raw blocks of a file already in memory."""
    fmt = detect_format(data, source)
    if fmt == "ole":
        raise UnreadableError(source, "这是旧版 Office（.doc/.xls）文件，请另存为 .docx 或 .xlsx 后再读取。")
    if fmt is None or fmt not in READERS:
        raise UnreadableError(source, "无法识别文件格式，支持 PDF、Markdown、XLSX、DOCX 和 HTML。")
    try:
        module = importlib.import_module(f"yusuan.parse.{READERS[fmt]}")
    except ImportError as e:  # pragma: no cover - depends on the installed extras
        raise UnreadableError(source, f"读取 {fmt} 文件所需的组件未安装（{e.name}）。") from e
    raw: RawDocument = module.read_raw(data, source)
    return raw


def read(path: str | Path, source: str | None = None) -> Disclosure:
    """Read the disclosure in ``path``. ``source`` is the name recorded in locations
    (default: the path as given). Raises ``UnreadableError`` with one Chinese sentence."""
    name = source if source is not None else str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UnreadableError(name, "文件不存在。") from None
    except OSError as e:
        raise UnreadableError(name, f"无法打开文件（{e.strerror}）。") from None
    if p.is_dir():
        raise UnreadableError(name, "这是一个文件夹，不是文件。")
    if size == 0:
        raise UnreadableError(name, "文件是空的。")
    if size > MAX_BYTES:
        raise UnreadableError(name, f"文件过大（{size // 1048576} MB），超过 {MAX_BYTES // 1048576} MB 的上限。")
    return read_bytes(p.read_bytes(), name)


def read_bytes(data: bytes, source: str) -> Disclosure:
    """Read a disclosure from bytes (an upload); ``source`` names it in locations."""
    from yusuan.parse.assemble import assemble

    return assemble(read_raw(data, source))
