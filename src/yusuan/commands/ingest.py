"""``yusuan ingest PATH... [--db FILE]`` (CLI-CONTRACT.md): read, audit and store."""

from __future__ import annotations

import click

from yusuan.commands._common import error_line


@click.command(name="ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default="yusuan.duckdb", show_default=True, help="数据库文件")
@click.option("-j", "--jobs", type=int, default=None, help="并行进程数（默认：CPU 核数）")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="local：本机多进程写入数据库；dask：在 Dask 集群上运行，写 Parquet")
@click.option("--scheduler", default=None, help="Dask 调度器地址（默认：启动本机集群）")
@click.option("--parquet", "parquet_dir", default=None,
              help="dask 引擎的 Parquet 输出目录（默认：与数据库同名的 .parquet 目录）")
@click.option("--batch", type=int, default=32, show_default=True, help="每个事务写入的文档数")
@click.option("--progress/--no-progress", default=None, help="显示进度条（默认：终端中显示）")
@click.option("--strict", is_flag=True, help="有文件读取失败时以退出码 2 结束")
def command(paths: tuple[str, ...], db: str, jobs: int | None, engine: str,
            scheduler: str | None, parquet_dir: str | None, batch: int,
            progress: bool | None, strict: bool) -> None:
    """读取并审核文件（或文件夹，递归读取），存入数据库。

    同一文件重复入库不会改变数据库；同一部门、年度、类型、口径的新版本替换旧版本并保留历史。
    无法读取的文件会被报告并记录，其余文件照常入库。
    """
    if engine == "dask":
        from yusuan.store.scale import ingest_dask

        out = parquet_dir or str(db).removesuffix(".duckdb") + ".parquet"
        result = ingest_dask(paths, out, scheduler=scheduler, progress=progress)
        for source, reason in result.failures:
            error_line(f"{source}：{reason}")
        click.echo(result.text(), err=True)
        if strict and result.failures:
            raise SystemExit(2)
        return

    from yusuan.store.db import Store, StoreError
    from yusuan.store.ingest import ingest

    try:
        store = Store(db)
    except StoreError as e:
        error_line(str(e))
        raise SystemExit(2) from None
    with store:
        summary = ingest(store, paths, jobs=jobs, batch=batch, progress=progress,
                         on_result=_report_failure)
    click.echo(summary.text(), err=True)
    if strict and summary.failed:
        raise SystemExit(2)


def _report_failure(r: object) -> None:
    from yusuan.store.db import IngestResult

    if isinstance(r, IngestResult) and r.status == "failed":
        error_line(f"{r.source}：{r.reason}")
