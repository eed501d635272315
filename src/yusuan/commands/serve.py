"""``yusuan serve [--host 127.0.0.1] [--port 8000] [--db FILE] [--token T]`` (CLI-CONTRACT.md)."""

from __future__ import annotations

import click


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=int, help="端口")
@click.option("--db", default="yusuan.duckdb", show_default=True, help="数据库文件")
@click.option("--token", default=None, envvar="YUSUAN_TOKEN",
              help="写操作（上传、删除）所需的令牌；也可用环境变量 YUSUAN_TOKEN。未设置时只接受本机写入")
@click.option("--max-upload-mb", default=50, show_default=True, type=int, help="单个上传文件的大小上限（MB）")
@click.option("--max-pages", default=500, show_default=True, type=int, help="上传 PDF 的页数上限")
@click.option("--timeout", default=60.0, show_default=True, type=float, help="单个文件的处理时限（秒）")
@click.option("--workers", default=0, type=int, help="处理上传的进程数（默认等于处理器核数）")
@click.option("--cache-mb", default=256, show_default=True, type=int, help="页面缓存的大小上限（MB）")
def command(host: str, port: int, db: str, token: str | None, max_upload_mb: int, max_pages: int,
            timeout: float, workers: int, cache_mb: int) -> None:
    """启动网页应用（审核、浏览、对比、编制），并提供 /api 接口与 /docs 接口文档。"""
    import uvicorn

    from yusuan.store.db import StoreError
    from yusuan.web.app import create_app

    try:
        app = create_app(db, token or None, max_upload_bytes=max_upload_mb * 1024 * 1024,
                         max_pages=max_pages, timeout=timeout, workers=workers or None,
                         cache_mb=cache_mb, prestart=True)
    except StoreError as e:
        click.echo(str(e), err=True)
        raise SystemExit(2) from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"yusuan 网页应用已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）", err=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
