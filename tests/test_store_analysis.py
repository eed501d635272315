"""Reports, charts, exports, the synthetic corpus and the Dask engine, on real DuckDB files."""

from __future__ import annotations

import csv
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.store.db import Store
from yusuan.store.ingest import ingest
from yusuan.store.synth import INJECTIONS, document, generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    folder = tmp_path_factory.mktemp("synth")
    manifest = generate(24, folder / "docs", seed=21, error_rate=0.0)
    return folder / "docs", manifest


@pytest.fixture(scope="module")
def db(corpus: tuple[Path, list[dict[str, object]]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "y.duckdb"
    with Store(path) as s:
        assert ingest(s, [corpus[0]], jobs=1, progress=False).stored == 24
    return path


def test_synth_is_deterministic_and_clean(tmp_path: Path) -> None:
    a = document(4, 9, error_rate=0.0)
    assert document(4, 9, error_rate=0.0).text == a.text
    assert document(5, 9, error_rate=0.0).text != a.text
    from yusuan.audit import audit
    from yusuan.parse import read_bytes

    for i in range(8):  # documents without injected errors carry no error-level finding
        d = document(4, i, error_rate=0.0)
        found = [f for f in audit(read_bytes(d.text.encode(), d.name)) if f.severity == "error"
                 and f.rule != "narrative-amount"]  # see docs/audit-quality.md
        assert found == [], (d.name, found)


def test_synth_injections_are_in_the_manifest(tmp_path: Path) -> None:
    manifest = generate(30, tmp_path, seed=2, error_rate=1.0)
    saved = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert saved == manifest
    assert all(m["injected"] for m in manifest)
    for m in manifest:
        for inj in m["injected"]:  # type: ignore[attr-defined]
            assert inj["kind"] in INJECTIONS and inj["rules"]
    assert len({m["department"] for m in manifest}) >= 7


def test_compare_and_function_reports(db: Path, corpus: tuple[Path, list[dict[str, object]]]) -> None:
    from yusuan.store.reports import by_function, compare

    with Store(db, read_only=True) as s:
        r = compare(s, year=2024)
        assert len(r.rows) == 6  # 24 documents = 6 departments × 4 years
        want = {m["department"]: Decimal(str(m["total"])) for m in corpus[1] if m["year"] == 2024}
        got = {row[0]: row[4] for row in r.rows}
        assert got == want
        f = by_function(s, year=2024, level="类")
        assert sum(row[2] for row in f.rows) == sum(want.values())


def test_department_over_years(db: Path, corpus: tuple[Path, list[dict[str, object]]]) -> None:
    from yusuan.store.reports import over_years

    dept = str(corpus[1][0]["department"])
    with Store(db, read_only=True) as s:
        r = over_years(s, dept)
    assert [row[0] for row in r.rows] == [2022, 2023, 2024, 2025]
    assert r.rows[0][5] is None  # no prior year stored for 2022
    totals = [row[1] for row in r.rows]
    assert [row[5] for row in r.rows[1:]] == [b - a for a, b in itertools.pairwise(totals)]
    assert [row[8] for row in r.rows[1:]] == [True, True, True]


def test_outliers_view_flags_an_extreme_share(tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]) -> None:
    with Store(tmp_path / "o.duckdb") as s:
        ingest(s, [corpus[0]], jobs=1, progress=False)
        # personnel shares 0.80–0.84 everywhere, then one department at 0.01
        s.connection.execute("UPDATE document_versions SET personnel = expenditure_total * "
                             "(0.80 + 0.01 * (hash(id) % 5))")
        s.connection.execute("UPDATE document_versions SET personnel = expenditure_total * 0.01 "
                             "WHERE id = (SELECT min(id) FROM document_versions WHERE year = 2023)")
        from yusuan.store.reports import outliers

        r = outliers(s, 2023)
    assert [row[2] for row in r.rows] == ["personnel_share"]


def test_charts(db: Path, tmp_path: Path, corpus: tuple[Path, list[dict[str, object]]]) -> None:
    from yusuan.store import charts, reports

    dept = str(corpus[1][0]["department"])
    with Store(db, read_only=True) as s:
        fig = reports.function_figure(s, dept, 2024)
        data = reports.function_chart_data(s, dept, 2024)
        years = reports.years_figure(s, dept)
    trace = fig["data"][0]
    assert trace["type"] == "treemap"
    roots = [v for v, p in zip(trace["values"], trace["parents"], strict=True) if p == ""]
    total = next(Decimal(str(m["total"])) for m in corpus[1] if m["department"] == dept and m["year"] == 2024)
    assert round(sum(roots), 2) == float(total)
    assert [t["name"] for t in years["data"]] == ["基本支出", "项目支出"]
    svg = charts.treemap_svg(data, "t")
    assert svg.startswith("<svg") and svg.count("<rect") > len(roots)
    rects = charts.squarify([6, 6, 4, 3, 2, 2, 1], (0, 0, 600, 400))
    assert sum(w * h for _, _, w, h in rects) == pytest.approx(600 * 400)


@pytest.mark.browser
def test_png_chart_through_chromium(db: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from yusuan.cli import cli
    from yusuan.store.charts import chromium

    if chromium() is None:
        pytest.skip("no Chromium on this machine")
    out = tmp_path / "t.png"
    r = CliRunner().invoke(cli, ["report", "chart", "treemap", "--year", "2024", "--db", str(db),
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_exports(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from yusuan.store.export import export, neutralise, validate_package

    with Store(db, read_only=True) as s:
        n_facts = s.count("facts")
        r = export(s, tmp_path / "csv", "csv")
        assert r.rows["facts"] == n_facts
        with (tmp_path / "csv" / "facts.csv").open(encoding="utf-8") as f:
            assert sum(1 for _ in csv.reader(f)) == n_facts + 1
        export(s, tmp_path / "pq", "parquet")
        got = s.connection.execute(
            f"SELECT count(*) FROM read_parquet('{tmp_path / 'pq' / 'facts.parquet'}')").fetchone()
        assert got == (n_facts,)
        export(s, tmp_path / "x", "xlsx")
        fdp = export(s, tmp_path / "fdp", "fdp")
        assert fdp.errors == []
        # the budget lines sum to every document's total expenditure (leaf rows only)
        with (tmp_path / "fdp" / "budget.csv").open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["table"] == "expenditure"]
        _, total = s.query("SELECT sum(expenditure_total) FROM documents")
        assert sum(Decimal(r["amount"]) for r in rows) == total[0][0]
    wb = load_workbook(tmp_path / "x" / "yusuan.xlsx", read_only=True)
    assert wb.sheetnames == ["documents", "facts", "findings", "doc_tables", "claims"]
    assert neutralise("=1+2") == "'=1+2" and neutralise("-3") == "'-3" and neutralise("行政运行") == "行政运行"
    dims = json.loads((tmp_path / "fdp" / "datapackage.json").read_text(encoding="utf-8"))["model"]["dimensions"]
    assert dims["functional-classification"]["attributes"]["item_code"]["parent"] == "section_code"
    assert dims["economic-classification"]["attributes"]["section_code"]["parent"] == "class_code"
    # validation is able to fail
    bad = (tmp_path / "fdp" / "budget.csv").read_text(encoding="utf-8").replace(",", ",x", 1)
    lines = bad.splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",不是数字"
    (tmp_path / "fdp" / "budget.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert validate_package(tmp_path / "fdp" / "datapackage.json")


@pytest.mark.slow
def test_dask_local_cluster_writes_partitioned_parquet(corpus: tuple[Path, list[dict[str, object]]],
                                                       tmp_path: Path) -> None:
    import duckdb
    from distributed import Client, LocalCluster

    from yusuan.store.scale import attach, ingest_dask

    out = tmp_path / "pq"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary = ingest_dask([corpus[0]], str(out), client=client, chunk_size=5)
        again = ingest_dask([corpus[0]], str(out), client=client, chunk_size=5)
    assert summary.documents == again.documents == 24 and summary.workers == 2
    assert sorted(p.name for p in (out / "facts").iterdir()) == [f"year={y}" for y in (2022, 2023, 2024, 2025)]
    con = duckdb.connect()
    assert "pq_facts" in attach(con, out)
    assert con.execute("SELECT count(*) FROM pq_documents").fetchone() == (24,)  # idempotent
    assert con.execute("SELECT DISTINCT region FROM pq_facts").fetchall() == [("河北",)]
    want = sum(Decimal(str(m["total"])) * 10000 for m in corpus[1])
    got = con.execute("SELECT sum(expenditure_total) FROM pq_documents").fetchone()
    assert got == (want,)
