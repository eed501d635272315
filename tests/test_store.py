"""The store: ingestion into a real DuckDB file, idempotence, versions, failures, views,
read-only queries, and a kill -9 in the middle of a run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.parse import read
from yusuan.parse.facts import facts, write_csv
from yusuan.store.db import Store, StoreError
from yusuan.store.ingest import ingest
from yusuan.store.synth import document, generate


def test_reference_ingested_once(tmp_path: Path, reference_path: Path) -> None:
    db = tmp_path / "y.duckdb"
    doc = read(reference_path)
    with Store(db) as s:
        r = s.ingest_file(reference_path)
        assert r.status == "stored"
        assert r.facts == len(list(facts(doc)))
        again = s.ingest_file(reference_path)
        assert (again.status, again.id) == ("unchanged", r.id)
        assert s.count("documents") == 1
        assert s.count("facts") == r.facts
        d = s.document(r.id)
        assert d is not None
        assert (d["department"], d["year"], d["kind"], d["scope"]) == ("张家口市总工会", 2024, "预算", "部门")
        # key figures in 元, read from the tables (783.57 / 682.75 / 100.82 万元)
        assert d["expenditure_total"] == Decimal("7835700")
        assert d["basic_total"] == Decimal("6827500")
        assert d["project_total"] == Decimal("1008200")
        assert d["personnel"] == Decimal("6827500")
        assert d["three_public_total"] == Decimal("0")
        assert s.disclosure(r.id) == doc
        assert s.check() == []


def test_facts_match_the_contract_csv(tmp_path: Path, reference_path: Path) -> None:
    with Store(tmp_path / "y.duckdb") as s:
        r = s.ingest_file(reference_path)
        assert r.id is not None
        expected = write_csv(facts(read(reference_path)))
        assert s.facts_csv(r.id) == expected
        columns, _ = s.query('SELECT * FROM facts LIMIT 1')
        for c in ("file", "table", "title", "page", "row", "code", "item", "column", "value", "unit"):
            assert c in columns
        _, total = s.query("SELECT sum(yuan) FROM facts WHERE \"table\" = 'expenditure' "
                           "AND item = '合计' AND \"column\" = '合计'")
        assert total == [(Decimal("7835700"),)]


def test_claims_are_checked_against_the_prior_year(tmp_path: Path, reference_path: Path) -> None:
    with Store(tmp_path / "y.duckdb") as s:
        s.ingest_file(reference_path)
        _, rows = s.query("SELECT subject, prior_year, claimed_change, computed_change, agrees "
                          "FROM claims ORDER BY subject")
        # 较2023年预算减少8.39万元；基本支出减少10.58万元；项目支出增加2.19万元 — no 2023 stored
        assert rows == [
            ("basic", 2023, Decimal("-105800"), None, None),
            ("project", 2023, Decimal("21900"), None, None),
            ("total", 2023, Decimal("-83900"), None, None),
        ]


def test_synthetic_series_claims_agree_and_a_wrong_one_is_caught(tmp_path: Path) -> None:
    # indexes 0..3 are the same department in 2022..2025, without injected errors
    docs = [document(7, i, error_rate=0.0) for i in range(4)]
    for d in docs:
        (tmp_path / d.name).write_text(d.text, encoding="utf-8")
    with Store(tmp_path / "y.duckdb") as s:
        summary = ingest(s, [tmp_path], jobs=1, progress=False)
        assert summary.stored == 4
        _, rows = s.query("SELECT year, subject, agrees FROM claims ORDER BY year, subject")
        assert len(rows) == 9  # total, basic, project for 2023..2025
        assert all(agrees for _, _, agrees in rows)
        _, rows = s.query("SELECT year, prior_year, change_total FROM department_years ORDER BY year")
        b = [d.budget for d in docs]
        assert rows[1] == (2023, 2022, Decimal(b[1].total - b[0].total) * 100)

    bad = document(7, 3, error_rate=0.0)
    text = bad.text.replace("较2024年预算", "较2023年预算")
    assert text != bad.text
    (tmp_path / bad.name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "y.duckdb") as s:
        r = s.ingest_file(tmp_path / bad.name)
        assert r.status == "replaced"
        _, rows = s.query("SELECT prior_year, agrees FROM claims WHERE year = 2025 AND subject = 'total'")
        assert rows == [(2023, False)]


def test_new_version_replaces_and_keeps_history(tmp_path: Path) -> None:
    d = document(3, 2, error_rate=0.0)
    v1 = tmp_path / "v1.md"
    v2 = tmp_path / "v2.md"
    v1.write_text(d.text, encoding="utf-8")
    v2.write_text(d.text.replace("负责本行业领域的管理工作", "负责本领域的管理和服务工作"), encoding="utf-8")
    with Store(tmp_path / "y.duckdb") as s:
        r1 = s.ingest_file(v1)
        r2 = s.ingest_file(v2)
        assert (r1.status, r2.status) == ("stored", "replaced")
        assert r2.replaced == (r1.id,)
        assert [x["id"] for x in s.documents()] == [r2.id]
        history = s.documents(history=True)
        assert {x["id"]: x["superseded_by"] for x in history} == {r1.id: r2.id, r2.id: None}
        assert s.count("facts") == r2.facts  # the views count the current version only
        assert s.ingest_file(v1).status == "unchanged"  # an old version does not come back
        assert s.delete(r2.id) is True
        assert [x["id"] for x in s.documents()] == [r1.id]
        assert s.delete("nope") is False
        assert s.check() == []


def test_bad_files_are_recorded_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    d = document(5, 0, error_rate=0.0)
    (folder / "good.md").write_text(d.text, encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    (folder / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    (folder / "notes.txt").write_text("ignored: not a disclosure extension", encoding="utf-8")
    with Store(tmp_path / "y.duckdb") as s:
        summary = ingest(s, [folder], jobs=1, progress=False)
        assert (summary.stored, summary.failed) == (1, 2)
        reasons = dict(summary.failures)
        assert reasons[str(folder / "empty.md")] == "文件是空的。"
        assert "旧版 Office" in reasons[str(folder / "old.xlsx")]
        assert {f["source"] for f in s.failures()} == {str(folder / "empty.md"), str(folder / "old.xlsx")}
        # a missing file named explicitly is a failure too, not a crash
        r = s.ingest_file(tmp_path / "missing.md")
        assert r.status == "failed" and r.reason and "无法打开" in r.reason


def test_query_is_read_only(tmp_path: Path, reference_path: Path) -> None:
    db = tmp_path / "y.duckdb"
    with Store(db) as s:
        s.ingest_file(reference_path)
        for sql in ("DELETE FROM all_facts", "DROP VIEW facts", "CREATE TABLE x (a INT)",
                    "SELECT 1; DELETE FROM all_facts", "COPY all_facts TO 'x.csv'"):
            with pytest.raises(StoreError, match="只读"):
                s.query(sql)
        with pytest.raises(StoreError, match="SQL 语句有误"):
            s.query("SELEC 1")
        with pytest.raises(StoreError, match="SQL 语句有误"):
            s.query("SELECT nope FROM facts")
        assert s.count("facts") > 0
    with pytest.raises(StoreError, match="不存在"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_parallel_ingest_of_a_folder(tmp_path: Path) -> None:
    manifest = generate(12, tmp_path / "corpus", seed=11, error_rate=0.5)
    with Store(tmp_path / "y.duckdb") as s:
        first = ingest(s, [tmp_path / "corpus"], jobs=2, batch=5, progress=False)
        assert (first.stored, first.failed) == (12, 0)
        again = ingest(s, [tmp_path / "corpus"], jobs=2, progress=False)
        assert (again.unchanged, again.stored) == (12, 0)
        assert s.count("documents") == 12
        _, rows = s.query("SELECT count(*) FROM findings WHERE severity = 'error'")
        injected = sum(1 for m in manifest if m["injected"])
        assert injected > 0 and rows[0][0] >= injected
        assert s.check() == []


def test_cli_ingest_and_query(tmp_path: Path, reference_path: Path) -> None:
    from click.testing import CliRunner

    from yusuan.cli import cli

    db = str(tmp_path / "y.duckdb")
    runner = CliRunner()
    r = runner.invoke(cli, ["ingest", str(reference_path), str(tmp_path / "nope.md"), "--db", db])
    assert r.exit_code == 0, r.output
    assert "nope.md" in r.stderr and "新存入 1" in r.stderr and "失败 1" in r.stderr
    r = runner.invoke(cli, ["query", "SELECT department, year FROM documents", "--db", db,
                            "--format", "csv"])
    assert r.exit_code == 0
    assert r.stdout == "department,year\n张家口市总工会,2024\n"
    r = runner.invoke(cli, ["query", "SELECT count(*) AS n FROM facts", "--db", db, "--format", "json"])
    assert r.exit_code == 0 and '"n": 196' in r.stdout
    assert runner.invoke(cli, ["query", "SELEC", "--db", db]).exit_code == 2
    assert runner.invoke(cli, ["query", "SELECT 1", "--db", str(tmp_path / "no.duckdb")]).exit_code == 2
    assert runner.invoke(cli, ["ingest", str(reference_path), "--db", db, "--strict",
                               str(tmp_path / "nope.md")]).exit_code == 2


@pytest.mark.slow
def test_kill_9_leaves_a_consistent_database(tmp_path: Path) -> None:
    generate(120, tmp_path / "corpus", seed=5, error_rate=0.2)
    db = tmp_path / "y.duckdb"
    cmd = [sys.executable, "-m", "yusuan", "ingest", str(tmp_path / "corpus"), "--db", str(db),
           "-j", "1", "--batch", "3", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(str(db) + ".wal")
    # kill once a few batches are committed (the WAL has grown); the deadline is generous
    # because a loaded machine can be slow to get there
    deadline = time.monotonic() + 240
    while (time.monotonic() < deadline and proc.poll() is None
           and not (wal.exists() and wal.stat().st_size > 200_000)):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as s:
        partial = s.count("documents")
        assert s.check() == []
    assert 0 < partial < 120
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"未变化 {partial}" in done.stderr
    with Store(db) as s:
        assert s.count("documents") == 120
        assert s.check() == []


def test_fast_model_json_equals_the_model_serialiser(reference_path: Path) -> None:
    import json

    from yusuan.model.serialize import from_json, to_json
    from yusuan.store.prepare import model_json

    doc = read(reference_path)
    assert json.loads(model_json(doc)) == json.loads(to_json(doc))
    assert from_json(model_json(doc)) == doc


def _as_schema_1(db: Path) -> dict[str, str]:
    """Rewrite a store's models the way schema version 1 kept them (JSON text in
    ``document_models.model_json``); returns id → JSON."""
    import zlib

    import duckdb

    con = duckdb.connect(str(db))
    models = {str(i): zlib.decompress(z).decode()
              for i, z in con.execute("SELECT document_id, model_zlib FROM document_models").fetchall()}
    con.execute("DROP TABLE document_models")
    con.execute("CREATE TABLE document_models (document_id VARCHAR PRIMARY KEY, model_json VARCHAR NOT NULL)")
    con.executemany("INSERT INTO document_models VALUES (?, ?)", list(models.items()))
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    return models


def test_a_schema_1_store_is_migrated_without_loss(tmp_path: Path) -> None:
    """Models stored as JSON text (schema 1) are read as they are by a read-only store and
    become compressed BLOBs when the store is opened for writing; every version, the
    history and the models survive, and the model is fetched by its key."""
    from yusuan.model.serialize import from_json

    d = document(3, 2, error_rate=0.0)
    v1, v2 = tmp_path / "v1.md", tmp_path / "v2.md"
    v1.write_text(d.text, encoding="utf-8")
    v2.write_text(d.text.replace("负责本行业领域的管理工作", "负责本领域的管理和服务工作"), encoding="utf-8")
    db = tmp_path / "y.duckdb"
    with Store(db) as s:
        r1, r2 = s.ingest_file(v1), s.ingest_file(v2)
        assert r1.id is not None and r2.id is not None
        history = s.documents(history=True)
        facts = s.count("facts")
    models = _as_schema_1(db)
    assert set(models) == {r1.id, r2.id}
    with Store(db, read_only=True) as s:  # not migrated: read as text
        assert s.model_json(r1.id) == models[r1.id]
    with Store(db) as s:
        assert s.query("SELECT value FROM meta WHERE key = 'schema_version'")[1] == [("2",)]
        assert s.query("SELECT data_type FROM information_schema.columns WHERE "
                       "table_name = 'document_models' AND column_name = 'model_zlib'")[1] == [("BLOB",)]
        assert {i: s.model_json(i) for i in models} == models
        assert s.disclosure(r2.id) == from_json(models[r2.id])
        assert s.documents(history=True) == history
        assert s.count("facts") == facts
        assert s.check() == []
        plan = s.query("EXPLAIN ANALYZE SELECT model_zlib FROM document_models WHERE document_id = ?",
                       [r1.id])[1][0][1]
        assert "Index Scan" in plan
        with pytest.raises(KeyError):
            s.model_json("nope")
        # and the store goes on: a delete revives the older version with its model
        assert s.delete(r2.id) is True
        assert s.disclosure(r1.id) == from_json(models[r1.id])
        assert s.check() == []


def test_memory_limit_default_option_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yusuan.store.db import MEMORY_ENV

    def limit(s: Store) -> str:
        return str(s.query("SELECT current_setting('memory_limit')")[1][0][0])

    monkeypatch.delenv(MEMORY_ENV, raising=False)
    with Store(tmp_path / "a.duckdb") as s:
        assert limit(s) == "953.6 MiB"  # the default, 1GB (10^9 bytes)
    with Store(tmp_path / "a.duckdb", memory_limit="300MB") as s:
        assert limit(s) == "286.1 MiB"
    monkeypatch.setenv(MEMORY_ENV, "200MB")
    with Store(tmp_path / "a.duckdb", read_only=True) as s:
        assert limit(s) == "190.7 MiB"
    monkeypatch.setenv(MEMORY_ENV, "lots")
    with pytest.raises(StoreError, match="内存上限“lots”无效"):
        Store(tmp_path / "a.duckdb")
