"""``yusuan render INPUT... --to html,pdf,xlsx,docx,md -o DIR [--profile hebei|shanghai]``.

INPUT is a budget input (YAML/JSON, or the Excel workbook of ``yusuan template``) or a
published disclosure in any readable format; each is written in every format asked for.
"""

from __future__ import annotations

from pathlib import Path

import click

from yusuan.commands._common import error_line


def _is_budget(path: Path) -> bool:
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return True
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from yusuan.render.workbook import is_budget_workbook

        return is_budget_workbook(path)
    return False


@click.command(name="render")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--to",
    "to",
    default="html,pdf,xlsx,docx,md",
    show_default=True,
    help="输出格式，逗号分隔：html、pdf、xlsx、docx、md",
)
@click.option("-o", "--output", "out", default=".", show_default=True, help="输出文件夹")
@click.option(
    "--profile",
    type=click.Choice(["hebei", "shanghai"]),
    default=None,
    help="地区模板（默认取填报文件中的 profile，或按文件内容推断）",
)
def command(inputs: tuple[str, ...], to: str, out: str, profile: str | None) -> None:
    """由预算填报文件（YAML/JSON/Excel 工作簿）或已公开的文件生成公开文件。

    填报内容有误时列出全部问题及其位置（YAML 路径或工作表单元格），该文件不生成，其余文件照常处理，退出码为 2。
    """
    from yusuan.parse import UnreadableError, read
    from yusuan.render import EXTENSIONS, FORMATS, derive, render
    from yusuan.render.budget import InvalidBudget, load_budget

    formats = [f.strip().lower() for f in to.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.UsageError(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}；可选：{'、'.join(FORMATS)}。")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in inputs:
        path = Path(name)
        try:
            if not path.is_file():
                raise UnreadableError(name, "文件不存在。")
            doc = derive(load_budget(path), profile) if _is_budget(path) else read(path)
        except InvalidBudget as e:
            click.echo(str(e), err=True)
            failed = True
            continue
        except UnreadableError as e:
            error_line(str(e))
            failed = True
            continue
        for fmt in formats:
            target = folder / f"{path.stem}{EXTENSIONS[fmt]}"
            target.write_bytes(render(doc, fmt, profile))
            click.echo(str(target))
    if failed:
        raise SystemExit(2)
