"""``yusuan audit FILE... [--format text|json|html] [--select RULES] [--ignore RULES]``
(CLI-CONTRACT.md): exit 0 when no finding is an error, 1 when one is, 2 when a file
cannot be read (its object still printed with ``"error"``; the batch goes on)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from yusuan.commands._common import error_line, output


@click.command(name="audit")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="输出格式：文本、JSON 或网页（HTML）")
@click.option("--select", "select", multiple=True,
              help="只运行这些规则（规则编号、类别或前缀，逗号分隔，可重复）")
@click.option("--ignore", "ignore", multiple=True,
              help="不运行这些规则（规则编号、类别或前缀，逗号分隔，可重复）")
@click.option("-o", "--output", "out", default=None,
              help="输出文件（默认标准输出）；HTML 且有多个文件时可给一个文件夹，每个文件一页")
def command(files: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
            out: str | None) -> None:
    """审核公开文件：表内勾稽、表间一致、说明与表格、科目、完整性、绩效目标和文字规范。

    规则列表见 ``yusuan rules``。退出码：0 没有错误；1 至少一个错误；2 有文件无法读取。
    """
    from yusuan.audit import audit
    from yusuan.audit.engine import load_rules
    from yusuan.audit.registry import known_name
    from yusuan.audit.report import json_object, to_html, to_text
    from yusuan.parse import UnreadableError, read

    load_rules()
    names = [n.strip() for v in (*select, *ignore) for n in v.split(",") if n.strip()]
    unknown = [n for n in names if not known_name(n)]
    if unknown:
        error_line(f"未知的规则或类别：{'、'.join(unknown)}（用 yusuan rules 查看全部规则）")
        raise SystemExit(2)
    sel = list(select) or None
    unreadable = False
    has_error = False
    objects: list[dict[str, Any]] = []
    pages: list[tuple[str, str]] = []
    texts: list[str] = []
    for path in files:
        try:
            doc = read(path)
        except UnreadableError as e:
            error_line(str(e))
            unreadable = True
            objects.append(json_object(path, None, (), error=e.reason))
            texts.append(f"{path}：无法读取：{e.reason}\n")
            pages.append((path, to_html(path, None, ())))
            continue
        findings = audit(doc, select=sel, ignore=ignore)
        has_error = has_error or any(f.severity == "error" for f in findings)
        if fmt == "json":
            objects.append(json_object(path, doc, findings))
        elif fmt == "text":
            texts.append(to_text(path, doc, findings))
        else:
            pages.append((path, to_html(path, doc, findings)))
    if fmt == "html" and out is not None and len(files) > 1 and Path(out).is_dir():
        for path, page in pages:
            (Path(out) / (Path(path).name + ".html")).write_text(page, encoding="utf-8")
    else:
        with output(out) as stream:
            if fmt == "json":
                payload: Any = objects[0] if len(files) == 1 else objects
                json.dump(payload, stream, ensure_ascii=False, indent=2)
                stream.write("\n")
            elif fmt == "text":
                stream.write("\n".join(texts))
            else:
                stream.write("\n".join(p for _, p in pages))
    if unreadable:
        raise SystemExit(2)
    if has_error:
        raise SystemExit(1)
