"""A subset of the installed Noto Serif CJK SC for the PDF writer, built once and cached.

The installed Noto Serif CJK faces are OpenType collections of 26 MB each (65 535 glyphs,
five regions). Writing a PDF with them costs WeasyPrint more than with a small font: it
copies the whole collection out of HarfBuzz for every render, its HarfBuzz subsetting at
write time works on the big face, and it compresses bigger embedded fonts (callgrind:
0.77 G of the 6.34 G instructions of a render of the reference, see docs/authoring.md
"Speed"). This module cuts the Simplified Chinese face (Regular and Bold) down to the characters a
budget disclosure uses (``characters()``: GB 2312, ASCII, Latin-1, general punctuation,
CJK symbols and punctuation, full-width forms and the number/letter-like symbols of
budget tables) and renames it ``FAMILY``, which still contains "CJK".

The PDF writer loads the subset with ``@font-face`` and lists the installed Noto CJK
families after it: Pango falls back per character, so a character outside the subset
(a rare place-name character outside GB 2312) is still set in the full Noto face.

The subset is built with HarfBuzz's subsetter (``libharfbuzz-subset``, which WeasyPrint
already needs; about a second per weight, where fontTools' pure-Python subsetter took
40–60 s) and renamed with fontTools. It is cached as one file per weight under
``$XDG_CACHE_HOME/yusuan/fonts`` (``~/.cache/yusuan/fonts``), named by a digest of the
source font's path, size and modification time, the character set and the builder
version, so a changed font or character set builds a new file. A file is written to a
temporary name in the same folder and moved into place (``os.replace``): two processes
building at once both write complete files and one of them wins.

Nothing here raises: when the subset cannot be had (no HarfBuzz subsetter, no installed
Noto Serif CJK SC, a read-only cache) ``subset_faces`` says why in ``FontSubset.problem``
and returns no faces, and the PDF writer uses the installed fonts as before.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The family name of the subset faces (the name the PDF shows, with WeasyPrint's prefix).
FAMILY = "Noto Serif CJK SC Subset"
#: The installed family the subset is cut from.
SOURCE_FAMILY = "Noto Serif CJK SC"
#: The weights the print style uses: CSS weight and the fontconfig style name.
WEIGHTS: tuple[tuple[int, str], ...] = ((400, "Regular"), (700, "Bold"))
#: Bumped whenever the way a subset is built changes (part of the cache key).
BUILDER_VERSION = 1

#: Code point ranges kept besides GB 2312 (inclusive).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 supplement, Latin extended-A (×, ÷, ±, §, °, …)
    (0x02C6, 0x02DD),  # spacing modifiers (ˇ, ˉ of GB 2312 and their kin)
    (0x0391, 0x03C9),  # Greek
    (0x0401, 0x0451),  # Cyrillic (GB 2312 row 7)
    (0x2000, 0x206F),  # general punctuation (—, …, ‰, ※, quotes)
    (0x20AC, 0x20AC),  # euro sign
    (0x2100, 0x218F),  # letter-like symbols and number forms (℃, №, Ⅰ–Ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (①, ⑴, ⒈)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■, □, ▲, ○, ●)
    (0x2605, 0x2606),  # stars
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」【】〔〕)
    (0x3220, 0x3243),  # parenthesised ideographs (㈠ …)
    (0x3280, 0x32B0),  # circled ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF5E),  # full-width ASCII forms
    (0xFFE0, 0xFFE6),  # full-width signs (￥, ￡)
)


@dataclass(frozen=True)
class SubsetFace:
    """One built subset face: its CSS weight and the cached font file."""

    weight: int
    path: Path


@dataclass(frozen=True)
class FontSubset:
    """The subset faces to load, or none and why."""

    faces: tuple[SubsetFace, ...]
    problem: str | None = None


def _gb2312() -> list[int]:
    """Every character of GB 2312 (rows 0xA1–0xF7, cells 0xA1–0xFE that decode)."""
    out = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return out


def _ranges(points: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Sorted code points as inclusive ranges."""
    out: list[tuple[int, int]] = []
    for cp in sorted(set(points)):
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return tuple(out)


@functools.cache
def characters() -> tuple[tuple[int, int], ...]:
    """The subset's characters, as sorted inclusive code point ranges."""
    points = set(_gb2312())
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return _ranges(points)


def covers(char: str) -> bool:
    """Whether ``char`` is one of the subset's characters."""
    cp = ord(char)
    return any(first <= cp <= last for first, last in characters())


def cache_dir() -> Path:
    """Where subsets are kept: ``$XDG_CACHE_HOME/yusuan/fonts`` or ``~/.cache/yusuan/fonts``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yusuan" / "fonts"


def cache_key(source: Path, style: str) -> str:
    """Digest of what a subset file depends on: the source file (path, size, mtime), the
    style, the character set and the builder version."""
    stat = source.stat()
    spec = f"{BUILDER_VERSION}|{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{SOURCE_FAMILY}|{style}|"
    digest = hashlib.sha256(spec.encode())
    digest.update(repr(characters()).encode())
    return digest.hexdigest()[:20]


def subset_path(source: Path, style: str, cache: Path) -> Path:
    """The cache file of the subset of ``source`` in ``style``."""
    return cache / f"NotoSerifCJKSC-Subset-{style}-{cache_key(source, style)}.otf"


@functools.cache
def _fontconfig() -> tuple[Any, Any, Any]:
    """WeasyPrint's cffi handle on fontconfig, and a loaded fontconfig configuration."""
    from weasyprint.text.ffi import ffi, fontconfig

    return ffi, fontconfig, fontconfig.FcInitLoadConfigAndFonts()


def find_source(family: str, style: str) -> Path | None:
    """The installed font file fontconfig picks for ``family`` in ``style`` (what Pango
    would use), or None when fontconfig answers with another family."""
    ffi, fc, config = _fontconfig()
    pattern = ffi.gc(fc.FcPatternCreate(), fc.FcPatternDestroy)
    fc.FcPatternAddString(pattern, b"family", family.encode())
    fc.FcPatternAddString(pattern, b"style", style.encode())
    fc.FcConfigSubstitute(config, pattern, fc.FcMatchPattern)
    fc.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    match = fc.FcFontMatch(config, pattern, result)
    if match == ffi.NULL:
        return None
    match = ffi.gc(match, fc.FcPatternDestroy)
    value = ffi.new("FcChar8 **")
    families: list[str] = []
    while fc.FcPatternGetString(match, b"family", len(families), value) == 0:
        families.append(ffi.string(value[0]).decode())
    if family not in families or fc.FcPatternGetString(match, b"file", 0, value) != 0:
        return None
    return Path(os.fsdecode(ffi.string(value[0])))


def face_index(source: Path, family: str) -> int | None:
    """Index in ``source`` (a collection or a single font) of the face named ``family``."""
    from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

    with source.open("rb") as f:
        is_collection = f.read(4) == b"ttcf"
    fonts = TTCollection(str(source), lazy=True).fonts if is_collection else [TTFont(str(source), lazy=True)]
    for index, font in enumerate(fonts):
        names = {font["name"].getDebugName(i) for i in (1, 16)}
        if family in names:
            return index
    return None


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add_range (hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_set_clear (hb_set_t *set);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
"""


@functools.cache
def _harfbuzz() -> tuple[Any, Any, Any]:
    """A cffi handle on HarfBuzz and its subsetter (the libraries WeasyPrint loads)."""
    import cffi  # type: ignore[import-untyped]

    ffi = cffi.FFI()
    ffi.cdef(_HB_CDEF)
    hb = ffi.dlopen("libharfbuzz.so.0")
    subset = ffi.dlopen("libharfbuzz-subset.so.0")
    return ffi, hb, subset


def _hb_subset(source: Path, index: int, ranges: Iterable[tuple[int, int]]) -> bytes | None:
    """``source``'s face ``index`` cut down to ``ranges`` by HarfBuzz (glyph closure over
    the default OpenType layout features, metrics and layout tables kept)."""
    ffi, hb, hbs = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(source))
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    hb.hb_blob_destroy(blob)
    request = hbs.hb_subset_input_create_or_fail()
    try:
        if request == ffi.NULL:
            return None
        unicodes = hbs.hb_subset_input_unicode_set(request)
        for first, last in ranges:
            hb.hb_set_add_range(unicodes, first, last)
        out = hbs.hb_subset_or_fail(face, request)
        if out == ffi.NULL:
            return None
        data = hb.hb_face_reference_blob(out)
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(data, length)
        font = bytes(ffi.buffer(pointer, length[0])) if pointer != ffi.NULL else None
        hb.hb_blob_destroy(data)
        hb.hb_face_destroy(out)
        return font
    finally:
        if request != ffi.NULL:
            hbs.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)


def _renamed(font: bytes, style: str) -> bytes:
    """``font`` with ``FAMILY`` as its family name (fontconfig and the PDF use it)."""
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(font))
    name = ttfont["name"]
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    name.removeNames(nameID=16)
    name.removeNames(nameID=17)
    for name_id, text in ((1, FAMILY), (2, style), (3, f"yusuan:{postscript}"), (4, full), (6, postscript)):
        name.setName(text, name_id, 3, 1, 0x409)
        name.setName(text, name_id, 1, 0, 0)
    out = io.BytesIO()
    ttfont.save(out)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".build-", suffix=".otf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(source: Path, style: str, dest: Path) -> str | None:
    """Build the subset of ``source``'s ``SOURCE_FAMILY`` face into ``dest``; the problem
    (in English, for logs and tests) or None."""
    index = face_index(source, SOURCE_FAMILY)
    if index is None:
        return f"{source} has no {SOURCE_FAMILY} face"
    font = _hb_subset(source, index, characters())
    if font is None:
        return f"HarfBuzz could not subset {source}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(dest, _renamed(font, style))
    return None


def ensure(style: str, cache: Path | None = None, source: Path | None = None) -> SubsetFace | str:
    """The subset face of ``style``, built if it is not cached yet; or the problem."""
    weight = dict((s, w) for w, s in WEIGHTS).get(style, 400)
    try:
        source = source or find_source(SOURCE_FAMILY, style)
        if source is None or not source.is_file():
            return f"{SOURCE_FAMILY} {style} is not installed"
        path = subset_path(source, style, cache or cache_dir())
        if not path.is_file():
            problem = build(source, style, path)
            if problem:
                return problem
        return SubsetFace(weight, path)
    except Exception as exc:  # any failure means: use the installed fonts
        return f"{type(exc).__name__}: {exc}"


@functools.cache
def subset_faces(cache: Path | None = None) -> FontSubset:
    """The subset faces of every weight in ``WEIGHTS`` (once per process and cache folder),
    or none and the first problem: the writer then uses the installed fonts."""
    faces = []
    for _, style in WEIGHTS:
        face = ensure(style, cache)
        if isinstance(face, str):
            return FontSubset((), face)
        faces.append(face)
    return FontSubset(tuple(faces))


def font_face_css(subset: FontSubset) -> str:
    """``@font-face`` rules loading ``subset``'s faces as ``FAMILY`` (empty without faces)."""
    return "".join(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
                   f"src: url({face.path.resolve().as_uri()}) }}\n" for face in subset.faces)
