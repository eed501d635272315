"""The Noto Serif CJK SC subset the PDF writer sets its text in (``render.fonts``): built
once into a cache folder and found there afterwards, named with "CJK", left out without a
source font or a writable cache, and backed by the installed Noto CJK faces for the
characters it lacks."""

from __future__ import annotations

import io
import os
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from yusuan.render import fonts, pdf
from yusuan.render.budget import load_budget
from yusuan.render.derive import derive
from yusuan.render.layout import Heading, Para, layout

ROOT = Path(__file__).resolve().parent.parent
ZJK = ROOT / "examples" / "zjk-trade-union-2024.yaml"

SOURCE = fonts.find_source(fonts.SOURCE_FAMILY, "Regular")
needs_noto = pytest.mark.skipif(SOURCE is None, reason="Noto Serif CJK SC is not installed")

#: Outside GB 2312, in the installed Noto Serif CJK SC (CJK extension A).
RARE = "㙟䶮"


def test_characters_cover_gb2312_and_budget_symbols() -> None:
    for char in "预算部门一般公共预算财政拨款收支总表（单位：万元）、。《》“”—…％①Ⅻ℃ABC123.,￥":
        assert fonts.covers(char), char
    for char in RARE + "\U00020000":
        assert not fonts.covers(char), char
    ranges = fonts.characters()
    assert all(a <= b for a, b in ranges) and all(b + 1 < c for (_, b), (c, _) in pairwise(ranges))
    assert 7000 < sum(b - a + 1 for a, b in ranges) < 9000


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fonts.cache_dir() == tmp_path / "yusuan" / "fonts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert fonts.cache_dir() == Path.home() / ".cache" / "yusuan" / "fonts"


def test_unknown_family_has_no_source() -> None:
    assert fonts.find_source("No Such Family 预算", "Regular") is None


@needs_noto
def test_build_then_cache_hit_and_face_name(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    assert SOURCE is not None
    cache = tmp_path / "fonts"
    face = fonts.ensure("Regular", cache)
    assert isinstance(face, fonts.SubsetFace)
    assert face.weight == 400 and face.path.parent == cache and face.path.is_file()
    built = face.path.stat()
    assert built.st_size < SOURCE.stat().st_size / 3
    assert [p.name for p in cache.iterdir()] == [face.path.name]  # no temporary file left

    font = TTFont(str(face.path))
    family = font["name"].getDebugName(1)
    assert family == fonts.FAMILY and "CJK" in family
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "预算（）、。，ABC123")
    assert not any(ord(c) in cmap for c in RARE)

    again = fonts.ensure("Regular", cache)  # cache hit: the same file, not rewritten
    assert again == face
    assert again.path.stat().st_mtime_ns == built.st_mtime_ns and again.path.stat().st_ino == built.st_ino


@needs_noto
def test_changed_source_gets_a_new_subset(tmp_path: Path) -> None:
    assert SOURCE is not None
    copy = tmp_path / "NotoSerifCJK-Regular.ttc"
    shutil.copyfile(SOURCE, copy)
    first = fonts.subset_path(copy, "Regular", tmp_path)
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))
    assert fonts.subset_path(copy, "Regular", tmp_path) != first
    assert fonts.subset_path(copy, "Bold", tmp_path) != fonts.subset_path(copy, "Regular", tmp_path)


def test_missing_source_font_is_a_problem_not_an_error(tmp_path: Path) -> None:
    problem = fonts.ensure("Regular", tmp_path / "fonts", source=tmp_path / "missing.ttc")
    assert isinstance(problem, str) and "not installed" in problem
    assert not (tmp_path / "fonts").exists()


def test_source_without_the_face_is_a_problem(tmp_path: Path) -> None:
    other = fonts.find_source("DejaVu Sans", "Book") or fonts.find_source("DejaVu Sans", "Regular")
    if other is None:
        pytest.skip("DejaVu Sans is not installed")
    problem = fonts.ensure("Regular", tmp_path, source=other)
    assert isinstance(problem, str) and fonts.SOURCE_FAMILY in problem
    assert list(tmp_path.iterdir()) == []


@needs_noto
def test_unwritable_cache_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # the cache folder cannot be made under a file (even as root)
    subset = fonts.subset_faces(blocker / "fonts")
    assert subset.faces == () and subset.problem
    assert pdf.print_css(subset) == pdf.PRINT_CSS


@needs_noto
def test_print_css_loads_the_subset_before_the_installed_families(tmp_path: Path) -> None:
    subset = fonts.subset_faces(tmp_path)
    assert [f.weight for f in subset.faces] == [400, 700] and subset.problem is None
    css = pdf.print_css(subset)
    assert css.count("@font-face") == 2
    assert f'font-family: "{fonts.FAMILY}", {pdf.FAMILIES};' in css
    assert all(f.path.as_uri() in css for f in subset.faces)


@pytest.mark.slow
@needs_noto
def test_rare_characters_fall_back_to_the_installed_face() -> None:
    """A character outside the subset is set in the installed Noto face: a real glyph
    from a font that has it, not a missing-glyph box (Pango sets a character no font has,
    such as U+20000 here, in the first family, i.e. the subset)."""
    import pdfplumber

    printed = layout(derive(load_budget(ZJK)))
    text = f"单位地址：{RARE}村预算"
    blocks = (Heading(f"{RARE}测试", 1, "rare"), Para(text))
    small = type(printed)(printed.title, blocks, printed.profile, printed.doc)
    data = pdf.write(small)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        chars = [c for p in doc.pages for c in p.chars]
    page_text = "".join(c["text"] for c in chars)
    assert text in page_text
    by_char = {c["text"]: c for c in chars}
    for char in RARE:
        font = by_char[char]["fontname"]
        assert "CJK" in font and fonts.FAMILY.replace(" ", "-") not in font, font
        assert by_char[char]["width"] > 5
    assert fonts.FAMILY.replace(" ", "-") in by_char["预"]["fontname"]


@needs_noto
def test_two_processes_building_at_once_both_get_a_whole_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = ("import sys; from pathlib import Path; from yusuan.render import fonts; "
              "face = fonts.ensure('Bold', Path(sys.argv[1])); print(face.path if not isinstance(face, str) else face)")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs[0] == outs[1] and Path(outs[0]).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [Path(outs[0]).name]

    from fontTools.ttLib import TTFont

    font = TTFont(outs[0])
    assert font["name"].getDebugName(1) == fonts.FAMILY and font["name"].getDebugName(2) == "Bold"

