"""The parser's compiled modules (``yusuan.parse._accel``): used only while fresh, and
giving exactly what the sources give."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from yusuan.parse import _accel

ROOT = Path(__file__).resolve().parent.parent

_DUMP = """
import json, sys
from yusuan.model.serialize import to_json
from yusuan.parse import _accel, read
docs = [json.loads(to_json(read(p))) for p in sys.argv[1:]]
print(json.dumps({"in_use": _accel.in_use(), "docs": docs}, ensure_ascii=False, default=str))
"""


def _dump(paths: list[Path], pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "YUSUAN_PURE"}
    if pure:
        env["YUSUAN_PURE"] = "1"
    out = subprocess.run([sys.executable, "-c", _DUMP, *map(str, paths)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def _fake_build(tmp_path: Path, names: tuple[str, ...], built: float, source: float) -> dict[str, Path]:
    suffix = ".cpython-311-x86_64-linux-gnu.so"
    compiled = {}
    for name in names:
        so = tmp_path / f"{name}{suffix}"
        so.write_bytes(b"")
        os.utime(so, (built, built))
        compiled[name] = so
    py = tmp_path / "assemble.py"
    py.write_text("")
    os.utime(py, (source, source))
    return compiled


def test_compiled_modules_are_fresh_only_when_no_source_is_newer(tmp_path: Path) -> None:
    assert _accel.fresh(_fake_build(tmp_path, _accel.MODULES, built=2000.0, source=1000.0), [tmp_path])
    assert not _accel.fresh(_fake_build(tmp_path, _accel.MODULES, built=1000.0, source=2000.0), [tmp_path])


def test_a_partial_build_is_not_used(tmp_path: Path) -> None:
    partial = _fake_build(tmp_path, _accel.MODULES[:-1], built=2000.0, source=1000.0)
    assert not _accel.fresh(partial, [tmp_path])


def test_compiled_files_are_found_by_extension_suffix(tmp_path: Path) -> None:
    import importlib.machinery

    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (tmp_path / f"assemble{suffix}").write_bytes(b"")
    (tmp_path / f"other{suffix}").write_bytes(b"")
    (tmp_path / "assemble.py").write_text("")
    assert _accel.compiled_files(tmp_path) == {"assemble": tmp_path / f"assemble{suffix}"}


def test_yusuan_pure_loads_every_module_from_its_source(reference_path: Path) -> None:
    result = _dump([reference_path], pure=True)
    assert result["in_use"] == []


@pytest.mark.slow
def test_compiled_and_pure_parsers_give_the_same_model(reference_path: Path, corpus_dir: Path) -> None:
    """Whatever this machine runs by default (compiled where ``make install`` could build
    it) gives the same model, field for field, as the sources alone."""
    pdf = sorted(corpus_dir.glob("*.pdf"))[0]
    default, pure = _dump([reference_path, pdf], pure=False), _dump([reference_path, pdf], pure=True)
    assert pure["in_use"] == []
    docs = default["docs"]
    assert isinstance(docs, list) and len(docs) == 2
    assert docs == pure["docs"]
    assert sum(len(t["rows"]) for t in docs[0]["tables"]) > 100
