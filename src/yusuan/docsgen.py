"""Generated documentation: ``python -m yusuan.docsgen`` (``make docs``) rewrites
docs/cli.md from the command line's own help and docs/rules.md from the rule registry.
Tests fail when either is stale (tests/test_docs.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]


def cli_reference() -> str:
    """The markdown of docs/cli.md: every subcommand's ``--help``."""
    from yusuan.cli import COMMANDS, cli

    ctx = click.Context(cli, info_name="yusuan", terminal_width=100, max_content_width=100,
                        help_option_names=["-h", "--help"])
    out = [
        "# Command-line reference",
        "",
        "Generated from the commands' own help by `python -m yusuan.docsgen` (`make docs`);",
        "do not edit by hand. The behaviour outside scripts rely on is fixed by",
        "`../shared/docs/CLI-CONTRACT.md`.",
        "",
        "```text",
        cli.get_help(ctx).rstrip(),
        "```",
        "",
    ]
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        if command is None:
            continue
        sub = click.Context(command, info_name=name, parent=ctx, terminal_width=100,
                            max_content_width=100, help_option_names=["-h", "--help"])
        out += [f"## yusuan {name}", "", "```text", command.get_help(sub).rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _fresh_cli_reference() -> str:
    """``cli_reference()`` from a fresh interpreter: click remembers each command's help
    option once built, so the text must not depend on what ran before in this process."""
    import subprocess

    code = "import sys; from yusuan.docsgen import cli_reference; sys.stdout.write(cli_reference())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                         env={**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"})
    return out.stdout.decode("utf-8")


def generated() -> dict[Path, str]:
    """Every generated document: path → content."""
    from yusuan.audit.docs import catalogue

    return {ROOT / "docs" / "cli.md": _fresh_cli_reference(), ROOT / "docs" / "rules.md": catalogue()}


def main() -> int:
    for path, text in generated().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
