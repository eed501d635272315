"""``yusuan template budget.xlsx``: a blank budget workbook with instructions, data
validation and drop-downs for codes (from the catalogue)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="template")
@click.argument("output", default="budget.xlsx")
@click.option("--year", type=int, default=None, help="预算年度（决定科目下拉列表的口径，默认明年）")
@click.option(
    "--profile", type=click.Choice(["hebei", "shanghai"]), default="hebei", show_default=True, help="地区模板"
)
def command(output: str, year: int | None, profile: str) -> None:
    """生成预算填报工作簿（Excel）：填报说明、下拉列表和数据校验；填好后用 yusuan render 生成公开文件。"""
    import datetime

    from yusuan.render.workbook import write_template

    y = year or datetime.date.today().year + 1
    Path(output).write_bytes(write_template(y, profile))
    click.echo(output)
