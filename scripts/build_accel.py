"""Compile the parser's hot modules with mypyc (``make install`` runs this).

The modules listed in ``yusuan.parse._accel.MODULES`` are compiled in a scratch copy of
``src/`` and the extension modules copied beside their sources (git ignores them). They
are an accelerator: when this fails (no C compiler, no Python headers) the sources are
used and nothing else changes. ``yusuan.parse._accel`` makes sure a compiled module is
only used while no source is newer. See docs/parsing.md, "Speed".

    python scripts/build_accel.py          # build
    python scripts/build_accel.py --clean  # remove the compiled modules
"""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PARSE = SRC / "yusuan" / "parse"
sys.path.insert(0, str(SRC))
from yusuan.parse._accel import MODULES  # noqa: E402


def _built_files() -> list[Path]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    out = [p for p in PARSE.iterdir() if p.name.endswith(suffixes) and p.name.split(".")[0] in MODULES]
    out += [p for p in SRC.iterdir() if "__mypyc" in p.name and p.name.endswith(suffixes)]
    return out


def clean() -> None:
    for p in _built_files():
        p.unlink()


def build() -> int:
    clean()
    with tempfile.TemporaryDirectory(prefix="yusuan-accel-") as tmp:
        work = Path(tmp)
        shutil.copytree(SRC / "yusuan", work / "yusuan",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
        targets = [f"yusuan/parse/{m}.py" for m in MODULES]
        env = {**os.environ, "MYPYC_OPT_LEVEL": os.environ.get("MYPYC_OPT_LEVEL", "3")}
        proc = subprocess.run([sys.executable, "-m", "mypyc", *targets], cwd=work, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-5:])
            print(f"yusuan: the parser accelerator was not built; the pure-Python parser is used.\n{tail}")
            return 0
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        for p in (work / "yusuan" / "parse").iterdir():
            if p.name.endswith(suffixes):
                shutil.copy2(p, PARSE / p.name)
        for p in work.iterdir():
            if p.name.endswith(suffixes):
                shutil.copy2(p, SRC / p.name)
    # the copies must not look older than the sources they were built from
    for p in _built_files():
        p.touch()
    print(f"yusuan: parser accelerator built ({', '.join(MODULES)}).")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--clean"]:
        clean()
        sys.exit(0)
    sys.exit(build())
