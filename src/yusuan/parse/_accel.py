"""The parser's compiled modules: used only while they match their sources.

``make install`` compiles the parser's hot modules (``MODULES``) with mypyc
(``scripts/build_accel.py``); the extension modules it writes beside the sources
(``assemble.cpython-311-….so``) are what Python imports first. They are an accelerator,
never the reference: the sources are the code, and every test passes on them alone.

A compiled module is worth nothing once a source it was built from has changed (an edit
after ``make install``, a checkout of another commit): Python would still import the old
machine code. So before any of them is imported, ``guard()`` compares times: if any source
of ``yusuan/parse`` or ``yusuan/model`` is newer than the oldest compiled module, or
``YUSUAN_PURE`` is set, every module of ``MODULES`` is loaded from its source instead (all or
none: compiled modules call each other directly, bypassing ``sys.modules``).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

#: the modules ``scripts/build_accel.py`` compiles, all in ``yusuan.parse``
MODULES = ("assemble", "layouts", "markdown", "project")

_HERE = Path(__file__).resolve().parent
_SOURCE_DIRS = (_HERE, _HERE.parent / "model")


def compiled_files(directory: Path = _HERE) -> dict[str, Path]:
    """Module name (of ``MODULES``) → its compiled file in ``directory``, where one exists."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found: dict[str, Path] = {}
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return found
    for entry in entries:
        for suffix in suffixes:
            if entry.name.endswith(suffix) and entry.name[: -len(suffix)] in MODULES:
                found[entry.name[: -len(suffix)]] = Path(entry.path)
    return found


def fresh(compiled: dict[str, Path], source_dirs: Sequence[Path] = _SOURCE_DIRS) -> bool:
    """True when every module of ``MODULES`` is compiled and no source is newer."""
    if set(compiled) != set(MODULES):
        return False
    try:
        built = min(p.stat().st_mtime for p in compiled.values())
        newest = max(
            e.stat().st_mtime for d in source_dirs for e in os.scandir(d) if e.name.endswith(".py")
        )
    except (OSError, ValueError):
        return False
    return newest <= built


class _FromSource(importlib.abc.MetaPathFinder):
    """Finds the modules of ``MODULES`` as their ``.py`` sources."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __package__ or name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, self.directory / f"{name}.py")


def guard() -> bool:
    """Makes the compiled modules be used only when fresh; True when they are used."""
    compiled = compiled_files()
    if not compiled:
        return False
    if not os.environ.get("YUSUAN_PURE") and fresh(compiled):
        return True
    if not any(isinstance(f, _FromSource) for f in sys.meta_path):
        sys.meta_path.insert(0, _FromSource(_HERE))
    return False


def in_use() -> list[str]:
    """The modules of ``MODULES`` loaded from compiled files (for reports and benchmarks)."""
    out = []
    for name in MODULES:
        module = sys.modules.get(f"{__package__}.{name}")
        if module is not None and not str(getattr(module, "__file__", "")).endswith(".py"):
            out.append(name)
    return out
