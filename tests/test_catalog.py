"""The classification catalogue: its data against the reference document, the corpus and the
observed code lists of ../shared, its internal consistency, the look-ups and the command."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from yusuan.catalog import (
    CONFIDENCES,
    LEVELS,
    Catalog,
    Entry,
    counts_markdown,
    load_catalog,
    parse_rows,
)
from yusuan.commands.catalog import command
from yusuan.model.text import normalize


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


# ------------------------------------------------------------------ reference document

_ROW = re.compile(r"^\|\s*\d+\s*\|\s*(\d{3}|\d{5}|\d{7})\s*\|\s*([^|]+?)\s*\|")
_SUMMARY_CLASS = re.compile(r"\|\s*([一二三四五六七八九十]+)、([^|]+?支出|预备费|[^|]*科目)\s*\|")


def reference_rows(path: Path) -> list[tuple[str, str, str]]:
    """(scheme, code, name) of every coded table row of the reference markdown; the scheme
    follows the table's header (功能分类科目 or 经济分类科目)."""
    out = []
    scheme = "function"
    for line in path.read_text(encoding="utf-8").splitlines():
        if "经济分类科目" in line:
            scheme = "economic"
        elif "功能分类科目" in line:
            scheme = "function"
        m = _ROW.match(line)
        if m:
            out.append((scheme, m.group(1), normalize(m.group(2))))
    return out


def test_reference_document_codes_known_for_2024(cat: Catalog, reference_path: Path) -> None:
    rows = reference_rows(reference_path)
    assert len({(s, c) for s, c, _ in rows}) >= 25  # the parse found the tables
    assert ("economic", "30108", "机关事业单位基本养老保险缴费") in rows
    wrong = []
    for scheme, code, name in rows:
        entry = cat.get(scheme, code, 2024)  # type: ignore[arg-type]
        if entry is None or entry.name != name:
            wrong.append((scheme, code, name, entry.name if entry else None))
    assert wrong == []


def test_reference_summary_classes_in_order(cat: Catalog, reference_path: Path) -> None:
    text = reference_path.read_text(encoding="utf-8")
    names: list[str] = []
    for m in _SUMMARY_CLASS.finditer(text):
        if m.group(2) not in names:
            names.append(m.group(2))
    assert names[0] == "一般公共服务支出" and names[-1] == "人行科目"
    standard = [e.name for e in cat.classes("function", 2024)]
    assert names[:-1] == standard  # same names, same order as the codes
    hebei = cat.find_name("function", "人行科目", 2024)
    assert len(hebei) == 1 and not hebei[0].standard
    assert "人行科目" not in standard


# ------------------------------------------------------------------ observed lists

@pytest.mark.parametrize("scheme", ["function", "economic"])
def test_observed_lists_fully_covered(cat: Catalog, shared_dir: Path, scheme: str) -> None:
    path = shared_dir / "data" / f"{scheme}_classification_observed.csv"
    missing = []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for r in rows:
        years: list[int | None] = [int(y) for y in r["years_seen"].split(";") if y] or [None]
        for year in years:
            entry = cat.get(scheme, r["code"], year)  # type: ignore[arg-type]
            names = {e.name for e in cat.names(scheme, r["code"])}  # type: ignore[arg-type]
            if entry is None or r["name"] not in names:
                missing.append((r["code"], r["name"], year))
    assert missing == []


def test_observed_old_names_resolve_by_year(cat: Catalog) -> None:
    # alt_names_seen of the observed list: 20805 was 行政事业单位离退休 in 2019
    assert cat.get("function", "20805", 2019).name == "行政事业单位离退休"  # type: ignore[union-attr]


# ------------------------------------------------------------------ corpus

_SPLIT = re.compile(r"^\s*(\d{3})(?:\s{1,6}(\d{2}))?(?:\s{1,6}(\d{2}))?\s+([\u4e00-\u9fff][^\s\d]*)")
_JOINED = re.compile(r"^\s*(\d{5}|\d{7})\s+([\u4e00-\u9fff][^\s\d]*)")


def corpus_codes(corpus_dir: Path) -> list[tuple[str, int, str, str, str]]:
    """(file, year, scheme, code, name) of every line of the corpus that starts with a code
    (joined, 2080505, or split in columns, 208 05 05) followed by a name."""
    with (corpus_dir / "manifest.csv").open(encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    out = []
    for row in manifest:
        text = subprocess.run(
            ["pdftotext", "-layout", str(corpus_dir / row["file"]), "-"],
            capture_output=True, check=True,
        ).stdout.decode("utf-8")
        for raw in text.splitlines():
            line = normalize(raw)
            m = _JOINED.match(line)
            if m:
                code, name = m.group(1), m.group(2)
            else:
                m = _SPLIT.match(line)
                if not m:
                    continue
                code, name = "".join(g for g in m.groups()[:3] if g), m.group(4)
            scheme = {"2": "function", "3": "economic"}.get(code[0])
            if scheme is None or len(name) < 2 or name.startswith("万元"):
                continue
            out.append((row["file"], int(row["year"]), scheme, code, name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_corpus_codes_known_by_year(cat: Catalog, corpus_dir: Path) -> None:
    found = corpus_codes(corpus_dir)
    assert len({(c, n) for _, _, _, c, n in found}) > 100
    wrong = []
    for file, year, scheme, code, name in found:
        # the manifest flags this document's economic table as column-misaligned in
        # pdftotext: its codes and names do not stand on the same line
        if scheme == "economic" and file.startswith("普陀区社会福利院"):
            continue
        entry = cat.get(scheme, code, year)  # type: ignore[arg-type]
        name = name.replace("(", "（").replace(")", "）")
        if entry is None or not printed_as(entry, name, cat, year):
            wrong.append((file, year, code, name, entry.name if entry else None))
    assert wrong == []


def printed_as(entry: Entry, printed: str, cat: Catalog, year: int) -> bool:
    """Whether ``printed`` is how a layout extraction can show the entry's name: in full,
    or, for a name wrapped over several lines, a fragment of at least four characters. A
    类 code may also carry the name of one of its 款 whose two digits went to the next line."""
    def fits(name: str) -> bool:
        return name == printed or (len(printed) >= 4 and printed in name)

    if fits(entry.name):
        return True
    return entry.level == "类" and any(
        fits(k.name) for k in cat.children(entry.scheme, entry.code, year))


# ------------------------------------------------------------------ renames by year

@pytest.mark.parametrize(("code", "year", "name"), [
    ("20805", 2019, "行政事业单位离退休"),
    ("20805", 2022, "行政事业单位离退休"),
    ("20805", 2023, "行政事业单位养老支出"),
    ("20805", 2024, "行政事业单位养老支出"),
    ("210", 2016, "医疗卫生与计划生育支出"),
    ("210", 2018, "医疗卫生与计划生育支出"),
    ("210", 2019, "卫生健康支出"),
    ("207", 2018, "文化体育与传媒支出"),
    ("207", 2019, "文化旅游体育与传媒支出"),
    ("2080504", 2019, "未归口管理的行政单位离退休"),
    ("2080501", 2024, "行政单位离退休"),
])
def test_names_by_year(cat: Catalog, code: str, year: int, name: str) -> None:
    entry = cat.get("function", code, year)
    assert entry is not None and entry.name == name


def test_withdrawn_and_renamed_codes(cat: Catalog) -> None:
    assert not cat.is_known("function", "2080504", 2024)  # merged into 2080501 in 2023
    assert cat.is_known("function", "2080504", 2019)
    assert [e.name for e in cat.names("function", "210")][-2:] == ["医疗卫生与计划生育支出", "卫生健康支出"]
    assert cat.get("function", "210").name == "卫生健康支出"  # type: ignore[union-attr]
    assert cat.renamed("function", "医疗卫生与计划生育支出", 2024).name == "卫生健康支出"  # type: ignore[union-attr]
    assert cat.renamed("function", "行政事业单位离退休", 2023).code == "20805"  # type: ignore[union-attr]
    assert cat.renamed("function", "卫生健康支出", 2024) is None  # current name
    assert cat.renamed("function", "没有这个科目", 2024) is None


# ------------------------------------------------------------------ look-ups

def test_find_name_normalises_spaces_and_brackets(cat: Catalog) -> None:
    hits = cat.find_name("economic", "维修(护)费", 2024)
    assert [e.code for e in hits] == ["30213"]
    assert [e.code for e in cat.find_name("function", "住房 保障 支出", 2024)] == ["221"]
    assert cat.find_name("function", "行政事业单位养老支出", 2020) == ()
    # 行政运行 is the name of many 项
    assert {"2010101", "2010601", "2120101"} <= {e.code for e in cat.find_name("function", "行政运行", 2024)}


def test_search_by_code_prefix_and_name(cat: Catalog) -> None:
    by_code = cat.search("20805", year=2024)
    assert by_code[0].code == "20805" and {"2080505", "2080506"} <= {e.code for e in by_code}
    assert all(e.code.startswith("20805") for e in by_code)
    by_name = cat.search("养老", year=2024)
    assert {"20805", "2080505", "30108"} <= {e.code for e in by_name}
    assert all("养老" in e.name for e in by_name)
    assert {e.scheme for e in cat.search("养老", scheme="economic")} == {"economic"}
    assert cat.search("") == ()


def test_children_classes_chain(cat: Catalog) -> None:
    kids = cat.children("function", "20805", 2024)
    assert [e.code for e in kids] == sorted(e.code for e in kids)
    assert "2080504" not in {e.code for e in kids}
    assert "2080504" in {e.code for e in cat.children("function", "20805", 2019)}
    econ = cat.classes("economic", 2024)
    assert [e.code for e in econ] == ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]
    fn = [e.code for e in cat.classes("function", 2024)]
    assert fn[0] == "201" and fn[-1] == "234" and len(fn) == 30
    assert "224" not in [e.code for e in cat.classes("function", 2018)]
    chain = cat.chain("function", "2080505", 2024)
    assert [(e.code, e.name) for e in chain] == [
        ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
        ("2080505", "机关事业单位基本养老保险缴费支出")]
    assert cat.chain("function", "2080505", 2020)[1].name == "行政事业单位离退休"


def test_load_catalog_is_cached(cat: Catalog) -> None:
    assert load_catalog() is cat
    assert len(cat) == sum(cat.counts().values())


# ------------------------------------------------------------------ consistency of the data

def _overlap(a: Entry, b: Entry) -> bool:
    lo = max(a.valid_from or 0, b.valid_from or 0)
    hi = min(a.valid_to or 9999, b.valid_to or 9999)
    return lo <= hi


def test_every_entry_well_formed(cat: Catalog) -> None:
    for e in cat.entries:
        assert e.level in LEVELS and e.confidence in CONFIDENCES, e
        assert e.source and all(s.split(":")[0] in {"observed", "reference-document", "public", "recalled"}
                                for s in e.sources), e
        assert e.valid_from is None or e.valid_to is None or e.valid_from <= e.valid_to, e
        if e.standard:
            assert len(e.code) == {"类": 3, "款": 5, "项": 7}[e.level], e
            assert e.parent == ({5: e.code[:3], 7: e.code[:5]}.get(len(e.code))), e
        if e.scheme == "economic":
            assert e.level != "项", e
        else:
            assert e.note or e.standard, e  # a regional line says what it is


def test_every_child_has_its_parent_in_overlapping_years(cat: Catalog) -> None:
    orphans = [(e.scheme, e.code, e.name, e.period) for e in cat.entries if e.parent
               and not any(_overlap(e, p) for p in cat.names(e.scheme, e.parent))]
    assert orphans == []


def test_names_of_one_code_do_not_overlap_in_time(cat: Catalog) -> None:
    clashes = []
    for scheme in ("function", "economic"):
        for code in {e.code for e in cat.entries if e.scheme == scheme}:
            names = cat.names(scheme, code)
            clashes += [(code, a.name, b.name) for i, a in enumerate(names)
                        for b in names[i + 1:] if _overlap(a, b)]
    assert clashes == []


def test_csv_round_trip_of_the_parser() -> None:
    text = ("code,name,level,parent,valid_from,valid_to,source,confidence,note\n"
            "208,社会保障和就业支出,类,,,,recalled,medium,\n"
            "20805,行政事业单位离退休,款,208,,2022,recalled,high,改名\n")
    entries = parse_rows("function", text)
    assert entries[1] == Entry("function", "20805", "行政事业单位离退休", "款", "208", None, 2022,
                               "recalled", "high", "改名")


# ------------------------------------------------------------------ the command

def test_cli_code_detail() -> None:
    result = CliRunner().invoke(command, ["2080505"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "208 社会保障和就业支出 › 20805 行政事业单位养老支出 › 2080505 机关事业单位基本养老保险缴费支出" in out
    assert "可信度：高" in out and "来源：" in out and "级次：项" in out


def test_cli_code_names_by_year() -> None:
    out = CliRunner().invoke(command, ["20805"]).output
    assert "至2022年　行政事业单位离退休" in out
    assert "2023年起　行政事业单位养老支出" in out
    assert "2080505  机关事业单位基本养老保险缴费支出" in out  # children listed


def test_cli_name_search_and_year() -> None:
    result = CliRunner().invoke(command, ["养老", "--year", "2024"])
    assert result.exit_code == 0
    assert "行政事业单位养老支出" in result.output and "30108" in result.output
    old = CliRunner().invoke(command, ["养老", "--year", "2020", "--scheme", "function"])
    assert "行政事业单位养老支出" not in old.output and "2080505" in old.output


def test_cli_json_and_csv() -> None:
    data = json.loads(CliRunner().invoke(command, ["210", "--format", "json"]).output)
    d = data[0]["details"][0]
    assert d["entry"]["name"] == "卫生健康支出"
    assert [n["name"] for n in d["names"]][-2:] == ["医疗卫生与计划生育支出", "卫生健康支出"]
    rows = list(csv.DictReader(CliRunner().invoke(command, ["30108", "--format", "csv"]).output.splitlines()))
    assert rows[0]["code"] == "30108" and rows[0]["scheme"] == "economic"


def test_cli_nothing_found_exits_1() -> None:
    result = CliRunner().invoke(command, ["量子纠缠"])
    assert result.exit_code == 1
    assert "没有匹配的科目" in result.stderr
    both = CliRunner().invoke(command, ["2080505", "量子纠缠"])
    assert both.exit_code == 1 and "2080505" in both.stdout


def test_docs_counts_are_current(cat: Catalog) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "catalog.md").read_text(encoding="utf-8")
    block = doc.split("<!-- counts:start -->\n")[1].split("\n<!-- counts:end -->")[0]
    assert block == counts_markdown(cat), "regenerate the counts table of docs/catalog.md"
