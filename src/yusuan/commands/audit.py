"""``yusuan audit FILE... [--format text|json|html|checksheet] [--select RULES] [--ignore RULES]
[--approved DATE --published DATE]`` (CLI-CONTRACT.md): exit 0 when no finding is an error,
1 when one is, 2 when a file cannot be read (its object still printed with ``"error"``; the
batch goes on). ``--format checksheet -o 检查表.xlsx`` writes the bureau's check sheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from yusuan.commands._common import error_line, output


@click.command(name="audit")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "checksheet"]),
              default="text", show_default=True,
              help="输出格式：文本、JSON、网页（HTML）或检查表（checksheet，Excel，须用 -o 指定文件）")
@click.option("--select", "select", multiple=True,
              help="只运行这些规则（规则编号、类别或前缀，逗号分隔，可重复）")
@click.option("--ignore", "ignore", multiple=True,
              help="不运行这些规则（规则编号、类别或前缀，逗号分隔，可重复）")
@click.option("-o", "--output", "out", default=None,
              help="输出文件（默认标准输出）；HTML 且有多个文件时可给一个文件夹，每个文件一页")
@click.option("--approved", default=None, metavar="YYYY-MM-DD",
              help="财政部门批复日期（与 --published 一起检查是否在批复后 20 日内公开）")
@click.option("--published", default=None, metavar="YYYY-MM-DD",
              help="公开日期（与 --approved 一起检查及时性）")
def command(files: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
            out: str | None, approved: str | None, published: str | None) -> None:
    """审核公开文件：表内勾稽、表间一致、说明与表格、科目、完整性、绩效目标和文字规范。

    规则列表见 ``yusuan rules``。退出码：0 没有错误；1 至少一个错误；2 有文件无法读取。
    """
    from yusuan.audit import audit
    from yusuan.audit.checksheet import Entry, workbook
    from yusuan.audit.engine import load_rules
    from yusuan.audit.registry import known_name
    from yusuan.audit.report import finding_json, json_object, to_html, to_text
    from yusuan.parse import UnreadableError, read

    load_rules()  # before importing a rule module: registration order is the documented order
    from yusuan.audit import timeliness

    names = [n.strip() for v in (*select, *ignore) for n in v.split(",") if n.strip()]
    unknown = [n for n in names if not known_name(n)]
    if unknown:
        error_line(f"未知的规则或类别：{'、'.join(unknown)}（用 yusuan rules 查看全部规则）")
        raise SystemExit(2)
    sel = list(select) or None
    dates = _dates(approved, published)
    if fmt == "checksheet" and (out is None or out == "-"):
        error_line("检查表是 Excel 文件，请用 -o 指定输出文件（如 -o 检查表.xlsx）")
        raise SystemExit(2)
    sheet: list[Any] = []
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
            sheet.append(Entry(objects[-1], None))
            continue
        findings = audit(doc, select=sel, ignore=ignore)
        timely = None
        if dates is not None and _enabled("timeliness", sel, ignore):
            timely = timeliness.check(*dates)
            if fmt != "checksheet":
                findings = (*timely, *findings)
        has_error = has_error or any(f.severity == "error" for f in (*findings, *(timely or ())))
        if fmt == "checksheet":
            sheet.append(Entry(json_object(path, doc, findings), doc,
                               None if timely is None else tuple(finding_json(f) for f in timely)))
        elif fmt == "json":
            objects.append(json_object(path, doc, findings))
        elif fmt == "text":
            texts.append(to_text(path, doc, findings))
        else:
            pages.append((path, to_html(path, doc, findings)))
    if fmt == "checksheet":
        assert out is not None
        try:
            Path(out).write_bytes(workbook(sheet))
        except OSError as e:
            error_line(f"{out}：无法写入检查表：{e.strerror or e}")
            raise SystemExit(2) from None
    elif fmt == "html" and out is not None and len(files) > 1 and Path(out).is_dir():
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


def _dates(approved: str | None, published: str | None) -> tuple[Any, Any] | None:
    """The two dates of ``--approved``/``--published`` (both or neither); a bad or
    single date ends the command with one Chinese line (exit 2)."""
    from yusuan.audit.timeliness import parse_date

    if approved is None and published is None:
        return None
    if approved is None or published is None:
        error_line("检查及时性需要同时给出 --approved（批复日期）和 --published（公开日期）")
        raise SystemExit(2)
    a, p = parse_date(approved), parse_date(published)
    for given, value, what in ((approved, a, "--approved"), (published, p, "--published")):
        if value is None:
            error_line(f"{what} 的日期“{given}”无法识别，请写作 YYYY-MM-DD")
            raise SystemExit(2)
    return a, p


def _enabled(rule_id: str, select: list[str] | None, ignore: tuple[str, ...]) -> bool:
    from yusuan.audit.registry import matches

    def names(values: Any) -> list[str]:
        return [n.strip() for v in values for n in v.split(",") if n.strip()]

    if select is not None and not matches(rule_id, "completeness", names(select)):
        return False
    return not matches(rule_id, "completeness", names(ignore))
