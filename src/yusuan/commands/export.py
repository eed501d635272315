"""``yusuan export --to csv|parquet|xlsx|fdp -o DIR [--db FILE]``."""

from __future__ import annotations

import click

from yusuan.commands._common import error_line


@click.command(name="export")
@click.option("--to", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "fdp"]), required=True,
              help="格式：csv、parquet、xlsx，或 fdp（Fiscal Data Package，可导入 OpenSpending）")
@click.option("-o", "--output", "out", required=True, help="输出目录")
@click.option("--db", default="yusuan.duckdb", show_default=True, help="数据库文件")
def command(fmt: str, out: str, db: str) -> None:
    """导出数据库中的当前文档：文档、事实、审核发现、表格与增减说明核对。

    fdp 导出 datapackage.json 与 budget.csv（功能分类、经济分类为层级维度），并用 frictionless 校验。
    """
    from yusuan.store.db import Store, StoreError
    from yusuan.store.export import export

    try:
        store = Store(db, read_only=True)
    except StoreError as e:
        error_line(str(e))
        raise SystemExit(2) from None
    with store:
        result = export(store, out, fmt)
    for f in result.files:
        click.echo(f)
    counts = "，".join(f"{k} {v} 行" for k, v in result.rows.items())
    click.echo(f"已导出：{counts}。", err=True)
    if result.errors:
        for problem in result.errors[:20]:
            error_line(f"校验未通过：{problem}")
        raise SystemExit(1)
