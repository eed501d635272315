"""Helpers shared by the subcommands: output files, one-line errors on stderr."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click


@contextlib.contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or the file ``path`` (UTF-8)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        yield f


def error_line(message: str) -> None:
    """One line on standard error (the contract's 'one line naming the file and reason')."""
    click.echo(message.replace("\n", " "), err=True)
