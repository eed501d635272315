"""``yusuan query SQL [--db FILE] [--format table|csv|json]`` (CLI-CONTRACT.md)."""

from __future__ import annotations

import click

from yusuan.commands._common import error_line, output


@click.command(name="query")
@click.argument("sql")
@click.option("--db", default="yusuan.duckdb", show_default=True, help="数据库文件")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="输出格式")
@click.option("-o", "--output", "out", default=None, help="输出文件（默认标准输出）")
def command(sql: str, db: str, fmt: str, out: str | None) -> None:
    """在数据库上运行只读 SQL（表和视图见 docs/store.md：documents、facts、findings……）。

    数据库无法打开或 SQL 无效时退出码为 2。
    """
    from yusuan.store.db import Store, StoreError
    from yusuan.store.present import write_rows

    try:
        with Store(db, read_only=True) as store:
            columns, rows = store.query(sql)
    except StoreError as e:
        error_line(str(e))
        raise SystemExit(2) from None
    with output(out) as stream:
        write_rows(stream, columns, rows, fmt)
