"""``yusuan parse FILE... [--format json|csv] [-o OUT]`` (CLI-CONTRACT.md)."""

from __future__ import annotations

import json
from typing import Any

import click

from yusuan.commands._common import error_line, output


@click.command(name="parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True, help="输出格式：结构化模型（json）或数据（csv）")
@click.option("-o", "--output", "out", default=None, help="输出文件（默认标准输出）")
def command(files: tuple[str, ...], fmt: str, out: str | None) -> None:
    """读取公开文件（PDF、Markdown、XLSX、DOCX、HTML），输出结构化模型或数据。

    每个文件单独读取；无法读取的文件在标准错误输出一行说明，其余文件照常处理，退出码为 2。
    """
    from yusuan.model.serialize import document_to_dict
    from yusuan.parse import UnreadableError, read
    from yusuan.parse.facts import CSV_HEADER, facts, write_csv

    failed = False
    documents: list[dict[str, Any]] = []
    with output(out) as stream:
        if fmt == "csv":
            stream.write(",".join(CSV_HEADER) + "\n")
        for path in files:
            try:
                doc = read(path)
            except UnreadableError as e:
                error_line(str(e))
                failed = True
                if fmt == "json":
                    documents.append({"file": path, "error": e.reason})
                continue
            if fmt == "csv":
                stream.write(write_csv(facts(doc, file=path), header=False))
            else:
                documents.append(document_to_dict(doc))
        if fmt == "json":
            payload: Any = documents[0] if len(files) == 1 and documents else documents
            json.dump(payload, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
    if failed:
        raise SystemExit(2)
